using Concord.Canonical.Errors;
using Concord.Canonical.Resilience;

namespace Concord.Connectors.Salesforce;

/// <summary>
/// Options of one Salesforce connector instance (configuration section <c>Concord:Salesforce</c>). Validated when the
/// host starts: a wrong value stops the host with a message that names the option.
/// </summary>
public sealed class SalesforceConnectorOptions
{
    /// <summary>The default connector name, and the vendor family name.</summary>
    public const string DefaultName = "salesforce";

    /// <summary>The API version used when none is configured.</summary>
    public const string DefaultApiVersion = "65.0";

    /// <summary>The most records one sObject Collections call takes.</summary>
    public const int MaxBatchSize = 200;

    /// <summary>
    /// The org's My Domain URL, for example <c>https://acme.my.salesforce.com</c> (or
    /// <c>https://acme--uat.sandbox.my.salesforce.com</c>). Token requests go there; client credentials work nowhere else.
    /// </summary>
    public Uri? MyDomainUrl { get; set; }

    /// <summary>The OAuth flow.</summary>
    /// <value>The default value is <see cref="SalesforceAuthMode.ClientCredentials"/>.</value>
    public SalesforceAuthMode AuthMode { get; set; } = SalesforceAuthMode.ClientCredentials;

    /// <summary>The consumer key of the External Client App (or Connected App). Required in every mode.</summary>
    public string? ClientId { get; set; }

    /// <summary>The consumer secret. Required for <see cref="SalesforceAuthMode.ClientCredentials"/>; sent with a refresh token when set.</summary>
    public string? ClientSecret { get; set; }

    /// <summary>The integration user's username, the JWT <c>sub</c>. Required for <see cref="SalesforceAuthMode.JwtBearer"/>.</summary>
    public string? Username { get; set; }

    /// <summary>
    /// The RSA private key in PEM (<c>-----BEGIN PRIVATE KEY-----</c> or <c>-----BEGIN RSA PRIVATE KEY-----</c>) whose
    /// certificate is uploaded to the app. Required for <see cref="SalesforceAuthMode.JwtBearer"/>; read it from configuration
    /// or a secret store, never from source.
    /// </summary>
    public string? PrivateKeyPem { get; set; }

    /// <summary>
    /// The JWT <c>aud</c>: <c>https://login.salesforce.com</c> for production, <c>https://test.salesforce.com</c> for a
    /// sandbox, even when the token request goes to the My Domain (My Domain as audience is reported to fail).
    /// </summary>
    /// <value>The default value is <c>https://login.salesforce.com</c>.</value>
    public string JwtAudience { get; set; } = "https://login.salesforce.com";

    /// <summary>The refresh token obtained interactively. Required for <see cref="SalesforceAuthMode.RefreshToken"/>.</summary>
    public string? RefreshToken { get; set; }

    /// <summary>The REST API version, <c>NN.0</c>; 46.0 or later (collections upsert and the 200 + <c>created</c> answer need it).</summary>
    /// <value>The default value is <c>65.0</c>.</value>
    public string ApiVersion { get; set; } = DefaultApiVersion;

    /// <summary>The Account external-id field (External ID + Unique, case-sensitive) that holds the canonical id.</summary>
    /// <value>The default value is <c>Concord_Id__c</c>.</value>
    public string AccountExternalIdField { get; set; } = "Concord_Id__c";

    /// <summary>The Contact external-id field that holds the canonical contact id.</summary>
    /// <value>The default value is <c>Concord_Id__c</c>.</value>
    public string ContactExternalIdField { get; set; } = "Concord_Id__c";

    /// <summary>Records per sObject Collections call, 1 to 200.</summary>
    /// <value>The default value is 200.</value>
    public int BatchSize { get; set; } = MaxBatchSize;

    /// <summary>The query page size asked for with <c>Sforce-Query-Options: batchSize=N</c>, 200 to 2,000 (Salesforce may return other sizes).</summary>
    /// <value>The default value is 2,000.</value>
    public int QueryPageSize { get; set; } = 2000;

    /// <summary>
    /// The share of the org's daily API allocation (read from <c>Sforce-Limit-Info</c>) past which the connector refuses
    /// non-urgent calls with a <see cref="ErrorCategory.RateLimited"/> error, leaving the rest to other integrations.
    /// Between 0 (exclusive) and 1.
    /// </summary>
    /// <value>The default value is 0.8.</value>
    public double DailyBudgetShare { get; set; } = 0.8;

    /// <summary>How long callers are told to wait (<see cref="ConcordException.RetryAfter"/>) when the daily budget share is spent.</summary>
    /// <value>The default value is 1 hour.</value>
    public TimeSpan BudgetRetryAfter { get; set; } = TimeSpan.FromHours(1);

    /// <summary>
    /// Write the ISO codes to <c>BillingCountryCode</c>/<c>BillingStateCode</c> (orgs with State and Country/Territory picklists)
    /// instead of the free-text <c>BillingCountry</c>/<c>BillingState</c>.
    /// </summary>
    /// <value>The default value is false.</value>
    public bool UseStateAndCountryPicklists { get; set; }

    /// <summary>
    /// For tests only: accept <c>http</c> and loopback hosts (127.0.0.1, localhost) as My Domain and as the token's
    /// <c>instance_url</c>, so that a local simulator can stand in for Salesforce. Never set it in production.
    /// </summary>
    /// <value>The default value is false.</value>
    public bool AllowLoopbackForTesting { get; set; }

    /// <summary>
    /// The resilience pipeline of the connector's HTTP clients (timeouts, retries of idempotent calls, circuit breaker,
    /// client-side limiter). Upserts by external id are idempotent and retried; token requests are not.
    /// </summary>
    /// <value>The defaults of <see cref="ConnectorResilienceOptions"/>, with 25 requests per second.</value>
    public ConnectorResilienceOptions Resilience { get; set; } = new() { PermitLimit = 25 };
}
