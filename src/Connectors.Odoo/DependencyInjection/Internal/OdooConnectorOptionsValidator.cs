using System.Text.RegularExpressions;
using Microsoft.Extensions.Options;

namespace Concord.Connectors.Odoo.DependencyInjection.Internal;

/// <summary>Validates <see cref="OdooConnectorOptions"/> at start; every message names the option and the instance.</summary>
internal sealed partial class OdooConnectorOptionsValidator : IValidateOptions<OdooConnectorOptions>
{
    public ValidateOptionsResult Validate(string? name, OdooConnectorOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var at = $"OdooConnectorOptions[{name}]";
        var failures = new List<string>();

        if (options.BaseAddress is null)
        {
            failures.Add($"{at}.BaseAddress is required: the server's URL, such as https://acme.odoo.com.");
        }
        else if (!options.BaseAddress.IsAbsoluteUri || options.BaseAddress.Scheme is not ("https" or "http"))
        {
            failures.Add($"{at}.BaseAddress must be an absolute http(s) URL.");
        }
        else if (options.BaseAddress.Scheme == "http" && !options.AllowInsecureHttp)
        {
            failures.Add($"{at}.BaseAddress uses http://, which sends the API key in clear text: use https://, or set {at}.AllowInsecureHttp for a loopback test server.");
        }

        if (string.IsNullOrWhiteSpace(options.Database))
        {
            failures.Add($"{at}.Database is required: the Odoo database name.");
        }

        if (string.IsNullOrWhiteSpace(options.Login) && options.ApiFlavor != OdooApiFlavor.Json2)
        {
            failures.Add($"{at}.Login is required for JSON-RPC (ApiFlavor {options.ApiFlavor}): the API user's login.");
        }

        if (string.IsNullOrWhiteSpace(options.ApiKey))
        {
            failures.Add($"{at}.ApiKey is required: an API key of the API user (Preferences → Account Security).");
        }

        if (options.BatchSize is < 1 or > 5000)
        {
            failures.Add($"{at}.BatchSize ({options.BatchSize}) must be between 1 and 5000.");
        }

        if (options.PageSize is < 1 or > 5000)
        {
            failures.Add($"{at}.PageSize ({options.PageSize}) must be between 1 and 5000.");
        }

        if (options.ChangeOverlap < TimeSpan.Zero || options.ChangeOverlap > TimeSpan.FromDays(1))
        {
            failures.Add($"{at}.ChangeOverlap ({options.ChangeOverlap}) must be between 0 and 1 day; keep it above Odoo's limit_time_real (120 s by default).");
        }

        if (options.DeleteCheckEveryPolls < 1)
        {
            failures.Add($"{at}.DeleteCheckEveryPolls ({options.DeleteCheckEveryPolls}) must be at least 1.");
        }

        if (!PrefixPattern().IsMatch(options.EffectiveExternalIdPrefix()))
        {
            failures.Add($"{at}.ExternalIdPrefix ('{options.EffectiveExternalIdPrefix()}') must look like __name__ (letters, digits, underscores, starting and ending with two underscores) so that it is never an installed module's name.");
        }

        if (string.IsNullOrWhiteSpace(options.Language))
        {
            failures.Add($"{at}.Language is required: an installed Odoo language code such as en_US.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    [GeneratedRegex("^__[A-Za-z0-9_]+__$", RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 100)]
    private static partial Regex PrefixPattern();
}
