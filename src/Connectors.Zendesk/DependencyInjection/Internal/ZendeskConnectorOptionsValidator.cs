using System.Globalization;
using System.Text.RegularExpressions;
using Concord.Canonical.Connectors;

namespace Concord.Connectors.Zendesk.DependencyInjection.Internal;

/// <summary>
/// The rules only Zendesk's options have; the shared ones (base address, insecure http, batch size, resilience) run first
/// in Concord.Canonical. Every message starts with the configuration path of the value.
/// </summary>
internal static partial class ZendeskConnectorOptionsValidator
{
    public static IEnumerable<string> Validate(string path, ZendeskConnectorOptions options)
    {
        var failures = new List<string>();
        var prefix = path + ":";

        // Null, relative and http:// addresses are the shared rules' to report.
        if (options.BaseAddress is { IsAbsoluteUri: true } baseAddress && baseAddress.Scheme == Uri.UriSchemeHttps)
        {
            if (!ConnectorOptions.IsLoopback(baseAddress) && !baseAddress.Host.EndsWith(".zendesk.com", StringComparison.OrdinalIgnoreCase))
            {
                failures.Add(prefix + $"BaseAddress ({baseAddress}) must be the account's address, https://<subdomain>.zendesk.com.");
            }

            if (baseAddress.AbsolutePath != "/")
            {
                failures.Add(prefix + $"BaseAddress ({baseAddress}) must be the account's root, without a path (the connector adds /api/v2).");
            }
        }

        switch (options.AuthMode)
        {
            case ZendeskAuthMode.OAuth:
                if (string.IsNullOrWhiteSpace(options.ClientId))
                {
                    failures.Add(prefix + "ClientId is required when AuthMode is OAuth: the OAuth client's identifier.");
                }

                if (string.IsNullOrWhiteSpace(options.ClientSecret))
                {
                    failures.Add(prefix + "ClientSecret is required when AuthMode is OAuth: the OAuth client's secret.");
                }

                break;
            case ZendeskAuthMode.ApiToken:
                if (string.IsNullOrWhiteSpace(options.Email))
                {
                    failures.Add(prefix + "Email is required when AuthMode is ApiToken: the agent whose email precedes /token.");
                }

                if (string.IsNullOrWhiteSpace(options.ApiToken))
                {
                    failures.Add(prefix + "ApiToken is required when AuthMode is ApiToken (API tokens stop working on 30 April 2027; prefer OAuth).");
                }

                break;
            default:
                failures.Add(prefix + $"AuthMode ({options.AuthMode}) must be OAuth or ApiToken.");
                break;
        }

        if (!Enum.IsDefined(options.Plan))
        {
            failures.Add(prefix + $"Plan ({options.Plan}) must be one of Team (200), Professional (400), Enterprise (700), EnterprisePlus (2500).");
        }

        if (options.RefreshAhead < TimeSpan.Zero || options.RefreshAhead > TimeSpan.FromHours(1))
        {
            failures.Add(prefix + $"RefreshAhead ({options.RefreshAhead}) must be between 00:00:00 and 01:00:00.");
        }

        if (!(options.RateLimitHeadroom >= 0 && options.RateLimitHeadroom <= 0.5))
        {
            failures.Add(prefix + string.Create(CultureInfo.InvariantCulture, $"RateLimitHeadroom ({options.RateLimitHeadroom}) must be between 0 and 0.5."));
        }

        if (options.IncrementalRequestsPerMinute is < 1 or > 30)
        {
            failures.Add(prefix + string.Create(CultureInfo.InvariantCulture, $"IncrementalRequestsPerMinute ({options.IncrementalRequestsPerMinute}) must be between 1 and 30 (10, or 30 with High Volume)."));
        }

        if (options.MaxJobsInFlight is < 1 or > ZendeskConnectorOptions.JobLimit)
        {
            failures.Add(prefix + string.Create(CultureInfo.InvariantCulture, $"MaxJobsInFlight ({options.MaxJobsInFlight}) must be between 1 and {ZendeskConnectorOptions.JobLimit}."));
        }

        if (options.JobPollInitialDelay <= TimeSpan.Zero || options.JobPollInitialDelay > options.JobPollMaxDelay)
        {
            failures.Add(prefix + $"JobPollInitialDelay ({options.JobPollInitialDelay}) must be above zero and at most JobPollMaxDelay ({options.JobPollMaxDelay}).");
        }

        if (options.JobPollMaxDelay > TimeSpan.FromMinutes(5))
        {
            failures.Add(prefix + $"JobPollMaxDelay ({options.JobPollMaxDelay}) must be at most 00:05:00.");
        }

        if (options.JobTimeout < options.JobPollMaxDelay || options.JobTimeout > TimeSpan.FromDays(1))
        {
            failures.Add(prefix + $"JobTimeout ({options.JobTimeout}) must be at least JobPollMaxDelay ({options.JobPollMaxDelay}) and at most one day (job results are kept a day).");
        }

        var keys = options.OrganizationFields ?? new ZendeskOrganizationFieldKeys();
        CheckKey(failures, prefix + "OrganizationFields:TaxIds", keys.TaxIds);
        CheckKey(failures, prefix + "OrganizationFields:Currency", keys.Currency);
        CheckKey(failures, prefix + "OrganizationFields:LifecycleStage", keys.LifecycleStage);
        CheckKey(failures, prefix + "OrganizationFields:Street", keys.Street);
        CheckKey(failures, prefix + "OrganizationFields:Street2", keys.Street2);
        CheckKey(failures, prefix + "OrganizationFields:City", keys.City);
        CheckKey(failures, prefix + "OrganizationFields:PostalCode", keys.PostalCode);
        CheckKey(failures, prefix + "OrganizationFields:Region", keys.Region);
        CheckKey(failures, prefix + "OrganizationFields:Country", keys.Country);
        CheckKey(failures, prefix + "JobTitleUserField", options.JobTitleUserField);
        foreach (var (attribute, key) in options.CustomFieldMappings ?? new Dictionary<string, string>())
        {
            if (string.IsNullOrWhiteSpace(key))
            {
                failures.Add(prefix + $"CustomFieldMappings:{attribute} must name an organization field key.");
            }
            else
            {
                CheckKey(failures, prefix + $"CustomFieldMappings:{attribute}", key);
            }
        }

        var marketplace = new[] { options.MarketplaceName, options.MarketplaceOrganizationId, options.MarketplaceAppId };
        if (marketplace.Any(v => !string.IsNullOrWhiteSpace(v)) && marketplace.Any(string.IsNullOrWhiteSpace))
        {
            failures.Add(prefix + "MarketplaceName, MarketplaceOrganizationId and MarketplaceAppId go together: set all three (a Marketplace app) or none.");
        }

        return failures;
    }

    private static void CheckKey(List<string> failures, string option, string? key)
    {
        if (!string.IsNullOrEmpty(key) && !FieldKey().IsMatch(key))
        {
            failures.Add($"{option} ({key}) must be a Zendesk field key: lower-case letters, digits and underscores.");
        }
    }

    [GeneratedRegex("^[a-z0-9_]{1,64}$", RegexOptions.CultureInvariant)]
    private static partial Regex FieldKey();
}
