namespace Concord.Connectors.Odoo.Mapping;

/// <summary>BCP 47 ⇄ Odoo language codes (<c>fr-BE</c> ⇄ <c>fr_BE</c>); a bare language gets its usual Odoo region.</summary>
internal static class OdooLanguage
{
    private static readonly Dictionary<string, string> Defaults = new(StringComparer.OrdinalIgnoreCase)
    {
        ["en"] = "en_US", ["ja"] = "ja_JP", ["zh"] = "zh_CN", ["sv"] = "sv_SE", ["da"] = "da_DK", ["cs"] = "cs_CZ",
        ["el"] = "el_GR", ["uk"] = "uk_UA", ["ko"] = "ko_KR", ["he"] = "he_IL", ["ar"] = "ar_001", ["nb"] = "nb_NO",
        ["et"] = "et_EE", ["sl"] = "sl_SI", ["ca"] = "ca_ES", ["fa"] = "fa_IR", ["vi"] = "vi_VN", ["hi"] = "hi_IN",
        ["ka"] = "ka_GE", ["sq"] = "sq_AL", ["sr"] = "sr_RS", ["ms"] = "ms_MY", ["bs"] = "bs_BA",
    };

    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, string> Converted = new(StringComparer.Ordinal);

    public static string? ToOdoo(string? bcp47)
    {
        if (string.IsNullOrWhiteSpace(bcp47))
        {
            return null;
        }

        // A handful of distinct tags in practice: convert each once.
        return Converted.Count < 1024 ? Converted.GetOrAdd(bcp47, Convert) : Convert(bcp47);
    }

    private static string Convert(string bcp47)
    {
        var parts = bcp47.Split('-');
        if (parts.Length >= 2 && parts[^1].Length == 2)
        {
            return $"{parts[0].ToLowerInvariant()}_{parts[^1].ToUpperInvariant()}";
        }

        var language = parts[0].ToLowerInvariant();
        return Defaults.TryGetValue(language, out var known) ? known : $"{language}_{language.ToUpperInvariant()}";
    }

    public static string? FromOdoo(string? code) => string.IsNullOrWhiteSpace(code) ? null : code.Split('@')[0].Replace('_', '-');
}
