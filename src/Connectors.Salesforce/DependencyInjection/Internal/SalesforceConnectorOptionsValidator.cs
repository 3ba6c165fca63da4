using System.Globalization;
using System.Text.RegularExpressions;
using Concord.Connectors.Salesforce.Auth;
using Microsoft.Extensions.Options;

namespace Concord.Connectors.Salesforce.DependencyInjection.Internal;

/// <summary>Validates the options of the connector named <c>name</c> at start; every message names the option.</summary>
internal sealed partial class SalesforceConnectorOptionsValidator(string name) : IValidateOptions<SalesforceConnectorOptions>
{
    public ValidateOptionsResult Validate(string? optionsName, SalesforceConnectorOptions options)
    {
        if (!string.Equals(optionsName, name, StringComparison.Ordinal))
        {
            return ValidateOptionsResult.Skip;
        }

        var failures = new List<string>();
        var prefix = $"Salesforce connector '{name}': SalesforceConnectorOptions.";
        if (options.MyDomainUrl is null)
        {
            failures.Add(prefix + "MyDomainUrl is required (https://<your-domain>.my.salesforce.com).");
        }
        else if (!SalesforceHosts.IsMyDomain(options.MyDomainUrl, options.AllowLoopbackForTesting))
        {
            failures.Add(prefix + $"MyDomainUrl '{options.MyDomainUrl}' must be an https My Domain URL (https://<your-domain>.my.salesforce.com, or <domain>--<sandbox>.sandbox.my.salesforce.com); token requests for client credentials only work there.");
        }

        if (string.IsNullOrWhiteSpace(options.ClientId))
        {
            failures.Add(prefix + "ClientId (the consumer key) is required.");
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
                    failures.Add(prefix + "Username (the integration user, the JWT 'sub') is required when AuthMode is JwtBearer.");
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
                    failures.Add(prefix + $"JwtAudience '{options.JwtAudience}' must be an https URL: https://login.salesforce.com (production) or https://test.salesforce.com (sandbox).");
                }

                break;
            case SalesforceAuthMode.RefreshToken:
                if (string.IsNullOrWhiteSpace(options.RefreshToken))
                {
                    failures.Add(prefix + "RefreshToken is required when AuthMode is RefreshToken.");
                }

                break;
            default:
                failures.Add(prefix + $"AuthMode '{options.AuthMode}' is not one of ClientCredentials, JwtBearer, RefreshToken.");
                break;
        }

        var version = ApiVersionPattern().Match(options.ApiVersion ?? string.Empty);
        if (!version.Success)
        {
            failures.Add(prefix + $"ApiVersion '{options.ApiVersion}' must look like '{SalesforceConnectorOptions.DefaultApiVersion}' (major version, '.0'; no 'v').");
        }
        else if (int.Parse(version.Groups[1].Value, CultureInfo.InvariantCulture) < 46)
        {
            failures.Add(prefix + $"ApiVersion '{options.ApiVersion}' is too old: collections upsert and the 200 + 'created' answer need 46.0 or later.");
        }

        CheckField(failures, prefix + "AccountExternalIdField", options.AccountExternalIdField);
        CheckField(failures, prefix + "ContactExternalIdField", options.ContactExternalIdField);

        if (options.BatchSize is < 1 or > SalesforceConnectorOptions.MaxBatchSize)
        {
            failures.Add(prefix + $"BatchSize ({options.BatchSize}) must be between 1 and {SalesforceConnectorOptions.MaxBatchSize} (sObject Collections take at most 200 records).");
        }

        if (options.QueryPageSize is < 200 or > 2000)
        {
            failures.Add(prefix + $"QueryPageSize ({options.QueryPageSize}) must be between 200 and 2000.");
        }

        if (!(options.DailyBudgetShare > 0 && options.DailyBudgetShare <= 1))
        {
            failures.Add(prefix + $"DailyBudgetShare ({options.DailyBudgetShare}) must be above 0 and at most 1 (0.8 = stop non-urgent calls at 80 % of the daily allocation).");
        }

        if (options.BudgetRetryAfter <= TimeSpan.Zero || options.BudgetRetryAfter > TimeSpan.FromDays(1))
        {
            failures.Add(prefix + $"BudgetRetryAfter ({options.BudgetRetryAfter}) must be above zero and at most one day.");
        }

        if (options.Resilience is null)
        {
            failures.Add(prefix + "Resilience is required.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static void CheckField(List<string> failures, string option, string? field)
    {
        if (field is null || !FieldPattern().IsMatch(field))
        {
            failures.Add($"{option} '{field}' must be a field API name such as Concord_Id__c.");
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
