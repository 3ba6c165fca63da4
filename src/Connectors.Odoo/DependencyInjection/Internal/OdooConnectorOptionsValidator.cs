using System.Globalization;
using System.Text.RegularExpressions;

namespace Concord.Connectors.Odoo.DependencyInjection.Internal;

/// <summary>
/// The rules only Odoo's options have; the shared ones (base address, insecure http, batch size, resilience) run first
/// in Concord.Canonical. Every message starts with the configuration path of the value.
/// </summary>
internal static partial class OdooConnectorOptionsValidator
{
    public static IEnumerable<string> Validate(string path, OdooConnectorOptions options)
    {
        if (string.IsNullOrWhiteSpace(options.Database))
        {
            yield return $"{path}:{nameof(options.Database)} is required: the Odoo database name.";
        }

        if (!Enum.IsDefined(options.ApiFlavor))
        {
            yield return $"{path}:{nameof(options.ApiFlavor)} ({options.ApiFlavor}) must be one of Auto, JsonRpc, Json2.";
        }
        else if (string.IsNullOrWhiteSpace(options.Login) && options.ApiFlavor != OdooApiFlavor.Json2)
        {
            yield return $"{path}:{nameof(options.Login)} is required for JSON-RPC ({path}:{nameof(options.ApiFlavor)} {options.ApiFlavor}): the API user's login.";
        }

        if (string.IsNullOrWhiteSpace(options.ApiKey))
        {
            yield return $"{path}:{nameof(options.ApiKey)} is required: an API key of the API user (Preferences → Account Security).";
        }

        if (options.PageSize is < 1 or > 5000)
        {
            yield return string.Create(CultureInfo.InvariantCulture, $"{path}:{nameof(options.PageSize)} ({options.PageSize}) must be between 1 and 5000.");
        }

        if (options.ChangeOverlap < TimeSpan.Zero || options.ChangeOverlap > TimeSpan.FromDays(1))
        {
            yield return string.Create(CultureInfo.InvariantCulture, $"{path}:{nameof(options.ChangeOverlap)} ({options.ChangeOverlap}) must be between 0 and 1 day; keep it above Odoo's limit_time_real (120 s by default).");
        }

        if (options.DeleteCheckEveryPolls < 1)
        {
            yield return string.Create(CultureInfo.InvariantCulture, $"{path}:{nameof(options.DeleteCheckEveryPolls)} ({options.DeleteCheckEveryPolls}) must be at least 1.");
        }

        var prefix = options.EffectiveExternalIdPrefix();
        if (!PrefixPattern().IsMatch(prefix))
        {
            yield return $"{path}:{nameof(options.ExternalIdPrefix)} ({prefix}) must look like __name__ (letters, digits, underscores, starting and ending with two underscores) so that it is never an installed module's name.";
        }

        if (string.IsNullOrWhiteSpace(options.Language))
        {
            yield return $"{path}:{nameof(options.Language)} is required: an installed Odoo language code such as en_US.";
        }
    }

    [GeneratedRegex("^__[A-Za-z0-9_]+__$", RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 100)]
    private static partial Regex PrefixPattern();
}
