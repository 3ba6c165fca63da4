using System.Globalization;
using System.Text.RegularExpressions;
using Concord.Canonical.Connectors;
using Concord.Connectors.Salesforce.Auth;

namespace Concord.Connectors.Salesforce.DependencyInjection.Internal;

/// <summary>
/// The rules only Salesforce's options have; the shared ones (base address, insecure http, batch size, resilience) run
/// first in Concord.Canonical. Every message starts with the configuration path of the value.
/// </summary>
internal static partial class SalesforceConnectorOptionsValidator
{
    public static IEnumerable<string> Validate(string path, SalesforceConnectorOptions options)
    {
        var failures = new List<string>();
        var prefix = path + ":";

        // Null, relative and http:// addresses are the shared rules' to report.
        if (options.BaseAddress is { IsAbsoluteUri: true } baseAddress && baseAddress.Scheme == Uri.UriSchemeHttps
            && !SalesforceHosts.IsMyDomain(baseAddress, options.AllowInsecureHttp))
        {
            failures.Add(prefix + $"BaseAddress ({baseAddress}) must be the org's My Domain URL (https://<your-domain>.my.salesforce.com, or <domain>--<sandbox>.sandbox.my.salesforce.com); token requests for client credentials only work there.");
        }

        if (string.IsNullOrWhiteSpace(options.ClientId))
        {
            failures.Add(prefix + "ClientId is required: the consumer key of the External Client App.");
        }

        switch (options.AuthMode)
        {
            case SalesforceAuthMode.ClientCredentials:
                if (string.IsNullOrWhiteSpace(options.ClientSecret))
                {
                    failures.Add(prefix + "ClientSecret is required when AuthMode is ClientCredentials.");
                }

                break;
            case SalesforceAuthMode.JwtBearer:
                if (string.IsNullOrWhiteSpace(options.Username))
                {
                    failures.Add(prefix + "Username is required when AuthMode is JwtBearer: the integration user, the JWT 'sub'.");
                }

                if (string.IsNullOrWhiteSpace(options.PrivateKeyPem))
                {
                    failures.Add(prefix + "PrivateKeyPem is required when AuthMode is JwtBearer.");
                }
                else if (!IsRsaPrivateKey(options.PrivateKeyPem))
                {
                    failures.Add(prefix + "PrivateKeyPem is not an RSA private key in PEM (-----BEGIN PRIVATE KEY----- or -----BEGIN RSA PRIVATE KEY-----).");
                }

                if (!Uri.TryCreate(options.JwtAudience, UriKind.Absolute, out var audience) || audience.Scheme != Uri.UriSchemeHttps)
                {
                    failures.Add(prefix + $"JwtAudience ({options.JwtAudience}) must be an https URL: https://login.salesforce.com (production) or https://test.salesforce.com (sandbox).");
                }
                else if (options.BaseAddress is { IsAbsoluteUri: true } org && AudienceMismatch(audience, org) is { } mismatch)
                {
                    failures.Add(prefix + mismatch);
                }

                break;
            case SalesforceAuthMode.RefreshToken:
                if (string.IsNullOrWhiteSpace(options.RefreshToken))
                {
                    failures.Add(prefix + "RefreshToken is required when AuthMode is RefreshToken.");
                }

                break;
            default:
                failures.Add(prefix + $"AuthMode ({options.AuthMode}) must be one of ClientCredentials, JwtBearer, RefreshToken.");
                break;
        }

        var version = ApiVersionPattern().Match(options.ApiVersion ?? string.Empty);
        if (!version.Success)
        {
            failures.Add(prefix + $"ApiVersion ({options.ApiVersion}) must look like {SalesforceConnectorOptions.DefaultApiVersion} (major version, '.0'; no 'v').");
        }
        else if (int.Parse(version.Groups[1].Value, CultureInfo.InvariantCulture) < 46)
        {
            failures.Add(prefix + $"ApiVersion ({options.ApiVersion}) is too old: collections upsert and the 200 + 'created' answer need 46.0 or later.");
        }

        CheckField(failures, prefix + "AccountExternalIdField", options.AccountExternalIdField);
        CheckField(failures, prefix + "ContactExternalIdField", options.ContactExternalIdField);

        failures.AddRange(CustomAttributeMap.Validate(prefix + "CustomFieldMappings", options.CustomFieldMappings, FieldPattern().IsMatch, StringComparer.OrdinalIgnoreCase));
        foreach (var (attribute, field) in options.CustomFieldMappings.OrderBy(m => m.Key, StringComparer.Ordinal))
        {
            if (!string.IsNullOrWhiteSpace(field)
                && (ConnectorMapped.Contains(field) || string.Equals(field, options.AccountExternalIdField, StringComparison.OrdinalIgnoreCase)))
            {
                failures.Add(prefix + $"CustomFieldMappings:{attribute} maps {field}, which the connector maps already (from the canonical customer); map a field of its own.");
            }
        }

        if (options.QueryPageSize is < 200 or > 2000)
        {
            failures.Add(prefix + string.Create(CultureInfo.InvariantCulture, $"QueryPageSize ({options.QueryPageSize}) must be between 200 and 2000."));
        }

        if (options.ChangeFeedOverlap < TimeSpan.Zero || options.ChangeFeedOverlap > TimeSpan.FromDays(1))
        {
            failures.Add(prefix + string.Create(CultureInfo.InvariantCulture, $"ChangeFeedOverlap ({options.ChangeFeedOverlap}) must be between zero and one day (the window the change feed reads again for rows that commit late)."));
        }

        if (!(options.DailyBudgetShare > 0 && options.DailyBudgetShare <= 1))
        {
            failures.Add(prefix + string.Create(CultureInfo.InvariantCulture, $"DailyBudgetShare ({options.DailyBudgetShare}) must be above 0 and at most 1 (0.8 = stop non-urgent calls at 80 % of the daily allocation)."));
        }

        if (options.BudgetRecheckInterval < TimeSpan.FromSeconds(1) || options.BudgetRecheckInterval > TimeSpan.FromDays(1))
        {
            failures.Add(prefix + string.Create(CultureInfo.InvariantCulture, $"BudgetRecheckInterval ({options.BudgetRecheckInterval}) must be between one second and one day."));
        }

        return failures;
    }

    /// <summary>The Account fields the connector reads and writes itself; a custom mapping of one would fight it.</summary>
    private static readonly HashSet<string> ConnectorMapped = new(StringComparer.OrdinalIgnoreCase)
    {
        "Id", "Name", "Website", "Phone", "Fax", "AccountNumber", "Description", "Industry",
        "BillingStreet", "BillingCity", "BillingState", "BillingPostalCode", "BillingCountry", "BillingStateCode", "BillingCountryCode",
        "ShippingStreet", "ShippingCity", "ShippingState", "ShippingPostalCode", "ShippingCountry", "ShippingStateCode", "ShippingCountryCode",
        "FirstName", "LastName", "PersonEmail", "PersonMobilePhone", "IsPersonAccount", "RecordTypeId",
        "IsDeleted", "MasterRecordId", "LastModifiedById", "LastModifiedDate", "SystemModstamp",
    };

    /// <summary>
    /// A JWT audience for the other kind of org than the base address: Salesforce refuses the assertion
    /// (<c>invalid_grant</c>, "audience is invalid") at the first call, so it is said at start instead. A My Domain
    /// audience is accepted as it is.
    /// </summary>
    private static string? AudienceMismatch(Uri audience, Uri org)
    {
        var sandbox = org.Host.EndsWith(".sandbox.my.salesforce.com", StringComparison.OrdinalIgnoreCase)
            || org.Host.EndsWith(".scratch.my.salesforce.com", StringComparison.OrdinalIgnoreCase);
        var production = !sandbox && org.Host.EndsWith(".my.salesforce.com", StringComparison.OrdinalIgnoreCase);
        if (sandbox && audience.Host.Equals("login.salesforce.com", StringComparison.OrdinalIgnoreCase))
        {
            return $"JwtAudience ({audience.GetLeftPart(UriPartial.Authority)}) is the production audience, but BaseAddress ({org}) is a sandbox: use https://test.salesforce.com.";
        }

        if (production && audience.Host.Equals("test.salesforce.com", StringComparison.OrdinalIgnoreCase))
        {
            return $"JwtAudience ({audience.GetLeftPart(UriPartial.Authority)}) is the sandbox audience, but BaseAddress ({org}) is a production org: use https://login.salesforce.com.";
        }

        return null;
    }

    private static void CheckField(List<string> failures, string option, string? field)
    {
        if (field is null || !FieldPattern().IsMatch(field))
        {
            failures.Add($"{option} ({field}) must be a field API name such as Concord_Id__c.");
        }
    }

    private static bool IsRsaPrivateKey(string pem)
    {
        try
        {
            using var rsa = System.Security.Cryptography.RSA.Create();
            rsa.ImportFromPem(pem);
            return true;
        }
        catch (Exception ex) when (ex is ArgumentException or System.Security.Cryptography.CryptographicException)
        {
            return false;
        }
    }

    [GeneratedRegex(@"^([1-9][0-9]{1,2})\.0$", RegexOptions.CultureInvariant)]
    private static partial Regex ApiVersionPattern();

    [GeneratedRegex(@"^[A-Za-z][A-Za-z0-9_]{0,79}$", RegexOptions.CultureInvariant)]
    private static partial Regex FieldPattern();
}
