using Concord.Canonical.Connectors;

namespace Concord.Connectors.Zendesk;

/// <summary>
/// Options of one Zendesk connector instance. Bind it from configuration (<c>Concord:Zendesk</c> for the default
/// instance, <c>Concord:Zendesk:eu</c> by convention for the instance named <c>eu</c>); it is validated when the host
/// starts, and every message names the configuration path of the value. <see cref="ConnectorOptions"/> holds what every
/// connector has: <see cref="ConnectorOptions.BaseAddress"/> (the account, <c>https://acme.zendesk.com</c>; OAuth tokens
/// are requested there too), <see cref="ConnectorOptions.AllowInsecureHttp"/> (a simulator on a loopback host),
/// <see cref="ConnectorOptions.BatchSize"/> (items per job: 100 by default, at most <see cref="MaxBatchSize"/>) and
/// <see cref="ConnectorOptions.Resilience"/> (a ceiling of 2,500 requests a minute; the connector's own limiter keeps to
/// <see cref="Plan"/> and the account's <c>X-Rate-Limit</c>).
/// </summary>
public sealed class ZendeskConnectorOptions : ConnectorOptions
{
    /// <summary>The name of the default instance, and the vendor family: <c>zendesk</c>.</summary>
    public const string DefaultName = "zendesk";

    /// <summary>The configuration section of the default instance: <c>Concord:Zendesk</c>.</summary>
    public const string SectionName = "Concord:Zendesk";

    /// <summary>The largest <see cref="ConnectorOptions.BatchSize"/>: the most items one Zendesk job (<c>*_many</c>) takes (100).</summary>
    public const int MaxBatchSize = 100;

    /// <summary>The most jobs Zendesk lets an account have queued or running (30).</summary>
    public const int JobLimit = 30;

    /// <summary>Creates the options with their defaults.</summary>
    public ZendeskConnectorOptions()
        : base(defaultBatchSize: MaxBatchSize, maxBatchSize: MaxBatchSize)
    {
        // A ceiling only: the connector's own limiter keeps to the plan and to X-Rate-Limit, and is resized at run time.
        Resilience.PermitLimit = 2500;
        Resilience.Window = TimeSpan.FromMinutes(1);
        Resilience.QueueLimit = 1000;
    }

    /// <summary>How the connector authenticates.</summary>
    /// <value>The default value is <see cref="ZendeskAuthMode.OAuth"/>.</value>
    public ZendeskAuthMode AuthMode { get; set; } = ZendeskAuthMode.OAuth;

    /// <summary>The OAuth client's identifier (Admin Center, Apps and integrations, APIs, OAuth clients). Required for <see cref="ZendeskAuthMode.OAuth"/>.</summary>
    public string? ClientId { get; set; }

    /// <summary>The OAuth client's secret. Required for <see cref="ZendeskAuthMode.OAuth"/>.</summary>
    public string? ClientSecret { get; set; }

    /// <summary>
    /// The refresh token obtained once through the authorization-code flow. Zendesk rotates it on every refresh: the
    /// newest one is kept in the <see cref="IConnectorTokenStore"/>, which wins over this value after the first refresh.
    /// Without it (and without a stored one) the connector uses the <c>client_credentials</c> grant.
    /// </summary>
    public string? RefreshToken { get; set; }

    /// <summary>The scopes asked for on the token endpoint, space-separated.</summary>
    /// <value>The default value is <c>read write</c>.</value>
    public string Scopes { get; set; } = "read write";

    /// <summary>How long before its expiry an access token is refreshed (a refresh is single-flight: one for all concurrent calls).</summary>
    /// <value>The default value is 5 minutes.</value>
    public TimeSpan RefreshAhead { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>The agent whose email precedes <c>/token</c> in <see cref="ZendeskAuthMode.ApiToken"/> mode; the calls run with that agent's permissions.</summary>
    public string? Email { get; set; }

    /// <summary>The API token for <see cref="ZendeskAuthMode.ApiToken"/> mode. Zendesk retires API tokens: every remaining token stops working on 30 April 2027.</summary>
    public string? ApiToken { get; set; }

    /// <summary>The <c>X-Zendesk-Marketplace-Name</c> sent on every request, for software used by several Zendesk customers (a global OAuth client).</summary>
    public string? MarketplaceName { get; set; }

    /// <summary>The <c>X-Zendesk-Marketplace-Organization-Id</c> sent on every request.</summary>
    public string? MarketplaceOrganizationId { get; set; }

    /// <summary>The <c>X-Zendesk-Marketplace-App-Id</c> sent on every request.</summary>
    public string? MarketplaceAppId { get; set; }

    /// <summary>The account's plan: the request budget the limiter starts from, until the first <c>X-Rate-Limit</c> header says the real one.</summary>
    /// <value>The default value is <see cref="ZendeskPlan.Team"/> (200 requests a minute, the smallest current plan).</value>
    public ZendeskPlan Plan { get; set; } = ZendeskPlan.Team;

    /// <summary>The share of the minute budget left unused, for other integrations and for timing noise, between 0 and 0.5.</summary>
    /// <value>The default value is 0.05.</value>
    public double RateLimitHeadroom { get; set; } = 0.05;

    /// <summary>Requests a minute across the whole <c>/incremental/*</c> family (10; 30 with the High Volume add-on).</summary>
    /// <value>The default value is 10.</value>
    public int IncrementalRequestsPerMinute { get; set; } = 10;

    /// <summary>How many jobs the connector keeps queued or running at once, 1 to <see cref="JobLimit"/>.</summary>
    /// <value>The default value is 30.</value>
    public int MaxJobsInFlight { get; set; } = JobLimit;

    /// <summary>How long after submitting a job it is first polled; later polls back off (doubling) to <see cref="JobPollMaxDelay"/>.</summary>
    /// <value>The default value is 1 second.</value>
    public TimeSpan JobPollInitialDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>The longest wait between two polls of a job.</summary>
    /// <value>The default value is 15 seconds.</value>
    public TimeSpan JobPollMaxDelay { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>How long a job may stay queued or running before its inputs fail as <c>Transient</c> (the job may still complete; repeating is safe).</summary>
    /// <value>The default value is 10 minutes.</value>
    public TimeSpan JobTimeout { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>
    /// Whether to write users with <c>users/create_or_update_many</c>. Bulk user import is off in Zendesk until the account
    /// owner asks support to switch it on; while it answers 403 the connector falls back to single
    /// <c>users/create_or_update</c> calls (one a second, five a minute per user) and says so once in the log.
    /// </summary>
    /// <value>The default value is <see langword="true"/> (try it, fall back when refused).</value>
    public bool UseBulkUserImport { get; set; } = true;

    /// <summary>Where the billing address goes: the organization's <c>details</c> text, or organization fields.</summary>
    /// <value>The default value is <see cref="ZendeskAddressTarget.Details"/>.</value>
    public ZendeskAddressTarget AddressTarget { get; set; } = ZendeskAddressTarget.Details;

    /// <summary>
    /// The organization field keys the canonical fields without a standard Zendesk field are written to (tax ids,
    /// currency, lifecycle stage, and the address parts when <see cref="AddressTarget"/> is
    /// <see cref="ZendeskAddressTarget.OrganizationFields"/>). A key set to empty is not carried.
    /// </summary>
    public ZendeskOrganizationFieldKeys OrganizationFields { get; set; } = new();

    /// <summary>
    /// Host-defined mappings from canonical custom attributes to organization field keys
    /// (<c>Concord:Zendesk:CustomFieldMappings:tier = sla_tier</c>). Values are written and read as text.
    /// </summary>
    public IDictionary<string, string> CustomFieldMappings { get; set; } = new Dictionary<string, string>(StringComparer.Ordinal);

    /// <summary>The user field key a contact's job title is written to; empty: job titles are not carried.</summary>
    /// <value>The default value is empty.</value>
    public string? JobTitleUserField { get; set; }

    /// <summary>
    /// Whether organization and user fields the options name but the account lacks are created (as text fields) the
    /// first time they are needed. Creating fields needs an admin token with the write scope; without this option, a
    /// missing field fails the write with a <c>Configuration</c> error naming it.
    /// </summary>
    /// <value>The default value is <see langword="false"/>.</value>
    public bool CreateMissingFields { get; set; }
}

/// <summary>How the Zendesk connector authenticates.</summary>
public enum ZendeskAuthMode
{
    /// <summary>OAuth bearer tokens from <c>/oauth/tokens</c>, refreshed ahead of expiry and on a 401, rotated pairs kept in the token store: the target method.</summary>
    OAuth,

    /// <summary>
    /// <c>Basic base64("{email}/token:{api_token}")</c>, as a migration path only: from 28 July 2026 unused tokens are
    /// deactivated, from 27 October 2026 no account can create tokens, and on 30 April 2027 every remaining API token stops
    /// working. The connector logs a warning at start.
    /// </summary>
    ApiToken,
}

/// <summary>Zendesk plans and their Support API budgets (requests a minute).</summary>
public enum ZendeskPlan
{
    /// <summary>Suite Team or Support Team: 200 a minute.</summary>
    Team = 200,

    /// <summary>Suite Growth, Suite Professional or Support Professional: 400 a minute.</summary>
    Professional = 400,

    /// <summary>Suite Enterprise or Support Enterprise: 700 a minute.</summary>
    Enterprise = 700,

    /// <summary>Suite Enterprise Plus, or any plan with the High Volume API add-on: 2,500 a minute.</summary>
    EnterprisePlus = 2500,
}

/// <summary>Where the Zendesk connector writes the billing address.</summary>
public enum ZendeskAddressTarget
{
    /// <summary>The organization's <c>details</c>, as lines of text (street, second line, postal code and city, region and country).</summary>
    Details,

    /// <summary>The organization fields named in <see cref="ZendeskOrganizationFieldKeys"/> (street, street2, city, postal code, region, country).</summary>
    OrganizationFields,
}

/// <summary>The organization field keys the Zendesk connector uses; an empty key is not carried.</summary>
public sealed class ZendeskOrganizationFieldKeys
{
    /// <summary>Gets or sets the key holding the tax ids (<c>DE:vat:DE811907980</c>, several separated by <c>;</c>).</summary>
    /// <value>The default value is <c>concord_tax_ids</c>.</value>
    public string? TaxIds { get; set; } = "concord_tax_ids";

    /// <summary>Gets or sets the key holding the ISO 4217 currency.</summary>
    /// <value>The default value is <c>concord_currency</c>.</value>
    public string? Currency { get; set; } = "concord_currency";

    /// <summary>Gets or sets the key holding the lifecycle stage (<c>customer</c>, <c>opportunity</c>, …).</summary>
    /// <value>The default value is <c>concord_lifecycle_stage</c>.</value>
    public string? LifecycleStage { get; set; } = "concord_lifecycle_stage";

    /// <summary>Gets or sets the key of the billing street (address in organization fields).</summary>
    /// <value>The default value is <c>concord_billing_street</c>.</value>
    public string? Street { get; set; } = "concord_billing_street";

    /// <summary>Gets or sets the key of the billing street's second line.</summary>
    /// <value>The default value is <c>concord_billing_street2</c>.</value>
    public string? Street2 { get; set; } = "concord_billing_street2";

    /// <summary>Gets or sets the key of the billing city.</summary>
    /// <value>The default value is <c>concord_billing_city</c>.</value>
    public string? City { get; set; } = "concord_billing_city";

    /// <summary>Gets or sets the key of the billing postal code.</summary>
    /// <value>The default value is <c>concord_billing_postal_code</c>.</value>
    public string? PostalCode { get; set; } = "concord_billing_postal_code";

    /// <summary>Gets or sets the key of the billing region (ISO 3166-2).</summary>
    /// <value>The default value is <c>concord_billing_region</c>.</value>
    public string? Region { get; set; } = "concord_billing_region";

    /// <summary>Gets or sets the key of the billing country (ISO 3166-1 alpha-2).</summary>
    /// <value>The default value is <c>concord_billing_country</c>.</value>
    public string? Country { get; set; } = "concord_billing_country";
}
