using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Concord.Connectors.Odoo.Api;

/// <summary>What the connector learned about its server once: the version, the API it speaks and (JSON-RPC) the uid.</summary>
internal sealed record OdooServerProfile(OdooServerVersion Version, OdooApiFlavor Flavor, int Uid);

/// <summary>An Odoo series (<c>18.0</c>, <c>saas~18.4</c>, <c>19.0</c>) with the feature switches that depend on it.</summary>
internal readonly partial record struct OdooServerVersion(int Major, int Minor)
{
    /// <summary>JSON-2 exists from Online saas-18.4 and 19.0.</summary>
    public bool HasJson2 => Major > 18 || (Major == 18 && Minor >= 4);

    /// <summary><c>res.partner.mobile</c> was removed in saas-18.2 (absent from 19.0).</summary>
    public bool HasMobile => Major < 18 || (Major == 18 && Minor < 2);

    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Major}.{Minor}");

    /// <summary>Reads <c>server_version_info</c> (<c>[18,0,0,"final",0,""]</c>) or, failing that, the version text (<c>saas~18.4</c>).</summary>
    public static OdooServerVersion? Parse(JsonElement[]? info, string? text)
    {
        if (info is { Length: >= 2 } && info[0].ValueKind == JsonValueKind.Number && info[1].ValueKind == JsonValueKind.Number)
        {
            return new OdooServerVersion(info[0].GetInt32(), info[1].GetInt32());
        }

        if (text is not null && VersionPattern().Match(text) is { Success: true } match)
        {
            return new OdooServerVersion(
                int.Parse(match.Groups[1].ValueSpan, CultureInfo.InvariantCulture),
                int.Parse(match.Groups[2].ValueSpan, CultureInfo.InvariantCulture));
        }

        return null;
    }

    [GeneratedRegex(@"(\d+)\.(\d+)", RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 100)]
    private static partial Regex VersionPattern();
}
