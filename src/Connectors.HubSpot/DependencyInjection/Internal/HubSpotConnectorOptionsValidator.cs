using System.Globalization;
using System.Text.RegularExpressions;
using Concord.Connectors.HubSpot.Api;
using Concord.Connectors.HubSpot.Mapping;

namespace Concord.Connectors.HubSpot.DependencyInjection.Internal;

/// <summary>
/// The rules only HubSpot's options have; the shared ones (base address present, absolute and https unless a loopback
/// simulator, batch size, resilience) run first in Concord.Canonical. Every message starts with the configuration path
/// of the value (<c>Concord:HubSpot:ApiVersion (2025-09) must be one of …</c>).
/// </summary>
internal static partial class HubSpotConnectorOptionsValidator
{
    public static IEnumerable<string> Validate(string path, HubSpotConnectorOptions options)
    {
        var failures = new List<string>();
        var prefix = path + ":";

        // Null, relative and http:// addresses are the shared rules' to report.
        if (options.BaseAddress is { IsAbsoluteUri: true } baseAddress && (!string.IsNullOrEmpty(baseAddress.UserInfo) || baseAddress.AbsolutePath != "/"))
        {
            failures.Add(prefix + $"BaseAddress ({baseAddress}) must be the API root without a path or user info, such as https://api.hubapi.com (or https://api-eu1.hubapi.com); the connector adds the API paths.");
        }

        if (!ApiPaths.Supported.Contains(options.ApiVersion, StringComparer.Ordinal))
        {
            failures.Add(prefix + $"ApiVersion ({options.ApiVersion}) must be one of {string.Join(", ", ApiPaths.Supported)} ('v3' is the legacy path family HubSpot stops supporting in September 2027).");
        }

        switch (options.AuthMode)
        {
            case HubSpotAuthMode.StaticToken:
                if (string.IsNullOrWhiteSpace(options.AccessToken))
                {
                    failures.Add(prefix + "AccessToken is required when AuthMode is StaticToken: the private-app token, service key or static app token.");
                }

                break;
            case HubSpotAuthMode.OAuth:
                if (string.IsNullOrWhiteSpace(options.ClientId))
                {
                    failures.Add(prefix + "ClientId is required when AuthMode is OAuth: the app's client id.");
                }

                if (string.IsNullOrWhiteSpace(options.ClientSecret))
                {
                    failures.Add(prefix + "ClientSecret is required when AuthMode is OAuth: the app's client secret.");
                }

                if (string.IsNullOrWhiteSpace(options.RefreshToken))
                {
                    failures.Add(prefix + "RefreshToken is required when AuthMode is OAuth: the refresh token from the app install (the token store's newer one wins once saved).");
                }

                if (options.RefreshAhead < TimeSpan.Zero || options.RefreshAhead > TimeSpan.FromMinutes(25))
                {
                    failures.Add(prefix + $"RefreshAhead ({options.RefreshAhead}) must be between 0 and 25 minutes (HubSpot access tokens live 30 minutes).");
                }

                break;
            default:
                failures.Add(prefix + $"AuthMode ({options.AuthMode}) must be StaticToken or OAuth.");
                break;
        }

        CheckProperty(failures, prefix + "CompanyUniqueProperty", options.CompanyUniqueProperty);
        CheckProperty(failures, prefix + "ContactUniqueProperty", options.ContactUniqueProperty);
        if (options.TaxIdProperty is not null)
        {
            CheckProperty(failures, prefix + "TaxIdProperty", options.TaxIdProperty);
        }

        foreach (var (attribute, property) in options.CustomProperties)
        {
            var at = $"{prefix}CustomProperties:{attribute}";
            if (string.IsNullOrWhiteSpace(attribute))
            {
                failures.Add(prefix + "CustomProperties has an empty attribute name: each key is a canonical custom attribute.");
            }

            CheckProperty(failures, at, property);
            if (HubSpotSchema.BuiltInAttributes.Any(b => b.Attribute == attribute || b.Property == property)
                || HubSpotSchema.CompanyStandard.Contains(property, StringComparer.Ordinal)
                || property == options.CompanyUniqueProperty || property == options.TaxIdProperty)
            {
                failures.Add(at + $" ({property}) is already mapped by the connector (built-in: {string.Join(", ", HubSpotSchema.BuiltInAttributes.Select(b => b.Attribute))}; standard properties; the unique and tax-id properties).");
            }
        }

        if (options.MaxParallelBatches is < 1 or > 16)
        {
            failures.Add(prefix + $"MaxParallelBatches ({options.MaxParallelBatches}) must be between 1 and 16.");
        }

        if (options.TenSecondlyLimit is < 1 or > 1000)
        {
            failures.Add(prefix + $"TenSecondlyLimit ({options.TenSecondlyLimit}) must be between 1 and 1000 (100 Free/Starter, 190 Professional/Enterprise, 250 with the add-on, 110 public apps).");
        }

        if (!(options.RateLimitHeadroom >= 0 && options.RateLimitHeadroom <= 0.5))
        {
            failures.Add(prefix + string.Create(CultureInfo.InvariantCulture, $"RateLimitHeadroom ({options.RateLimitHeadroom}) must be between 0 and 0.5."));
        }

        if (options.TenSecondlyLimit is >= 1 and <= 1000 && options.RateLimitHeadroom is >= 0 and <= 0.5 && options.MaxParallelBatches is >= 1 and <= 16
            && options.TenSecondlyLimit - Limits.PortalLimits.Permits(options.TenSecondlyLimit, options.RateLimitHeadroom) < options.MaxParallelBatches)
        {
            // HubSpot counts a request when it arrives, the limiter when it leaves: the headroom must cover the requests in flight.
            failures.Add(prefix + string.Create(CultureInfo.InvariantCulture, $"RateLimitHeadroom ({options.RateLimitHeadroom}) leaves {options.TenSecondlyLimit - Limits.PortalLimits.Permits(options.TenSecondlyLimit, options.RateLimitHeadroom)} of {options.TenSecondlyLimit} requests per window free, fewer than MaxParallelBatches ({options.MaxParallelBatches}) in flight: raise the headroom or lower MaxParallelBatches."));
        }

        if (options.SearchRequestsPerSecond is < 1 or > 5)
        {
            failures.Add(prefix + $"SearchRequestsPerSecond ({options.SearchRequestsPerSecond}) must be between 1 and 5 (HubSpot allows 5 per account).");
        }

        if (!(options.DailyReserveShare >= 0 && options.DailyReserveShare < 1))
        {
            failures.Add(prefix + string.Create(CultureInfo.InvariantCulture, $"DailyReserveShare ({options.DailyReserveShare}) must be at least 0 and below 1 (0.05 = hold non-urgent work in the last 5 % of the daily allowance; 0 = never)."));
        }

        if (options.DailyBudgetRecheck < TimeSpan.FromSeconds(1) || options.DailyBudgetRecheck > TimeSpan.FromDays(1))
        {
            failures.Add(prefix + $"DailyBudgetRecheck ({options.DailyBudgetRecheck}) must be between 1 second and 1 day.");
        }

        if (!TryFindZone(options.PortalTimeZone))
        {
            failures.Add(prefix + $"PortalTimeZone ({options.PortalTimeZone}) must be a time zone id this machine knows (IANA, such as Europe/Berlin, or Windows).");
        }

        if (options.ChangeFeedOverlap < TimeSpan.Zero || options.ChangeFeedOverlap > TimeSpan.FromHours(1))
        {
            failures.Add(prefix + $"ChangeFeedOverlap ({options.ChangeFeedOverlap}) must be between 0 and 1 hour.");
        }

        if (options.LockedRetryDelay < TimeSpan.Zero || options.LockedRetryDelay > TimeSpan.FromMinutes(1))
        {
            failures.Add(prefix + $"LockedRetryDelay ({options.LockedRetryDelay}) must be between 0 and 1 minute (HubSpot's lock lasts 2 s).");
        }

        return failures;
    }

    internal static bool TryFindZone(string? id)
    {
        if (string.IsNullOrWhiteSpace(id))
        {
            return false;
        }

        try
        {
            _ = TimeZoneInfo.FindSystemTimeZoneById(id);
            return true;
        }
        catch (Exception ex) when (ex is TimeZoneNotFoundException or InvalidTimeZoneException)
        {
            return false;
        }
    }

    private static void CheckProperty(List<string> failures, string option, string? property)
    {
        if (property is null || !PropertyPattern().IsMatch(property))
        {
            failures.Add($"{option} ({property}) must be a HubSpot property's internal name (lower case letters, digits and underscores, such as concord_external_id).");
        }
    }

    [GeneratedRegex("^[a-z][a-z0-9_]{0,99}$", RegexOptions.CultureInvariant)]
    private static partial Regex PropertyPattern();
}
