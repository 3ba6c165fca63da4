using Concord.Canonical.Connectors;
using Concord.Canonical.Errors;

namespace Concord.Connectors.HubSpot;

/// <summary>
/// Options of one HubSpot connector instance. Bind it from configuration (<c>Concord:HubSpot</c> for the default
/// instance, <c>Concord:HubSpot:eu</c> by convention for the instance named <c>eu</c>); it is validated when the host
/// starts, and every message names the configuration path of the value. <see cref="ConnectorOptions"/> holds what every
/// connector has: <see cref="ConnectorOptions.BaseAddress"/> (the API root, <c>https://api.hubapi.com</c> by default;
/// OAuth tokens are requested there too), <see cref="ConnectorOptions.AllowInsecureHttp"/> (a simulator on a loopback
/// host), <see cref="ConnectorOptions.BatchSize"/> (records per batch call: 100 by default, at most
/// <see cref="MaxBatchSize"/>) and <see cref="ConnectorOptions.Resilience"/> (a backstop of 250 requests per 10 seconds;
/// the connector's own (portal, app) limiter keeps to <see cref="TenSecondlyLimit"/> and HubSpot's headers).
/// </summary>
public sealed class HubSpotConnectorOptions : ConnectorOptions
{
    /// <summary>The name of the default instance, and the vendor family: <c>hubspot</c>.</summary>
    public const string DefaultName = "hubspot";

    /// <summary>The configuration section of the default instance: <c>Concord:HubSpot</c>.</summary>
    public const string SectionName = "Concord:HubSpot";

    /// <summary>The API version used when none is configured: the current date-based version.</summary>
    public const string DefaultApiVersion = "2026-09";

    /// <summary>The largest <see cref="ConnectorOptions.BatchSize"/>: the most records one HubSpot batch call takes (100).</summary>
    public const int MaxBatchSize = 100;

    /// <summary>The custom unique property that holds the canonical id, unless configured otherwise.</summary>
    public const string DefaultUniqueProperty = "concord_external_id";

    /// <summary>Creates the options with their defaults: <see cref="ConnectorOptions.BaseAddress"/> <c>https://api.hubapi.com</c>, batches of 100.</summary>
    public HubSpotConnectorOptions()
        : base(defaultBatchSize: MaxBatchSize, maxBatchSize: MaxBatchSize)
    {
        // One API root serves every portal (EU1 portals may use https://api-eu1.hubapi.com).
        BaseAddress = new Uri("https://api.hubapi.com/");

        // A backstop only: the (portal, app) window limiter keeps to TenSecondlyLimit and HubSpot's headers.
        Resilience.PermitLimit = 250;
        Resilience.Window = TimeSpan.FromSeconds(10);
        Resilience.QueueLimit = 1000;
    }

    /// <summary>
    /// The API version: <c>2026-09</c> or <c>2026-03</c> (date-based paths, <c>/crm/objects/2026-09/…</c>), or <c>v3</c>
    /// for the legacy numeric paths (<c>/crm/v3/…</c>, associations <c>/crm/v4/…</c>), which HubSpot stops supporting in
    /// September 2027 (v4 associations in March 2027).
    /// </summary>
    /// <value>The default value is <c>2026-09</c>.</value>
    public string ApiVersion { get; set; } = DefaultApiVersion;

    /// <summary>How the connector authenticates.</summary>
    /// <value>The default value is <see cref="HubSpotAuthMode.StaticToken"/>.</value>
    public HubSpotAuthMode AuthMode { get; set; } = HubSpotAuthMode.StaticToken;

    /// <summary>The static bearer token (private-app token, service key or project app token). Required for <see cref="HubSpotAuthMode.StaticToken"/>; read it from a secret store.</summary>
    public string? AccessToken { get; set; }

    /// <summary>The OAuth app's client id. Required for <see cref="HubSpotAuthMode.OAuth"/>.</summary>
    public string? ClientId { get; set; }

    /// <summary>The OAuth app's client secret. Required for <see cref="HubSpotAuthMode.OAuth"/>.</summary>
    public string? ClientSecret { get; set; }

    /// <summary>
    /// The refresh token from the install (authorization-code exchange). Required for <see cref="HubSpotAuthMode.OAuth"/>;
    /// once the <see cref="IConnectorTokenStore"/> holds a newer one (HubSpot may rotate it on a refresh), that one is used instead.
    /// </summary>
    public string? RefreshToken { get; set; }

    /// <summary>How long before expiry an OAuth access token is refreshed (HubSpot tokens live 30 minutes).</summary>
    /// <value>The default value is 5 minutes.</value>
    public TimeSpan RefreshAhead { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>The company property with unique values that holds the canonical id (the batch upsert key).</summary>
    /// <value>The default value is <c>concord_external_id</c>.</value>
    public string CompanyUniqueProperty { get; set; } = DefaultUniqueProperty;

    /// <summary>The contact property with unique values that holds the canonical contact id (the upsert key of contacts without email).</summary>
    /// <value>The default value is <c>concord_external_id</c>.</value>
    public string ContactUniqueProperty { get; set; } = DefaultUniqueProperty;

    /// <summary>
    /// Whether the connector creates the unique properties when they are missing (needs the scopes
    /// <c>crm.schemas.companies.write</c> and <c>crm.schemas.contacts.write</c>); when false, or without the scope, a
    /// missing property is a <see cref="ErrorCategory.Configuration"/> error naming what to do.
    /// </summary>
    /// <value>The default value is <see langword="true"/>.</value>
    public bool CreateUniqueProperties { get; set; } = true;

    /// <summary>
    /// How many batch calls of one write (chunks of companies, of contacts, of links) may be in flight at once; the
    /// window limiter still paces them. 1 sends them one after another.
    /// </summary>
    /// <value>The default value is 4.</value>
    public int MaxParallelBatches { get; set; } = 4;

    /// <summary>
    /// The app's requests per 10-second window: 100 (Free/Starter), 190 (Professional/Enterprise), 250 (API Limit
    /// Increase), 110 (public OAuth apps, per installing account). The client-side limiter allows this minus
    /// <see cref="RateLimitHeadroom"/>, and resizes from <c>X-HubSpot-RateLimit-Max</c>/<c>-Remaining</c>.
    /// </summary>
    /// <value>The default value is 190.</value>
    public int TenSecondlyLimit { get; set; } = 190;

    /// <summary>The share of the window kept free for other work of the same app, 0 to 0.5.</summary>
    /// <value>The default value is 0.1.</value>
    public double RateLimitHeadroom { get; set; } = 0.1;

    /// <summary>Search requests per second, 1 to 5 (HubSpot allows 5 per account).</summary>
    /// <value>The default value is 4.</value>
    public int SearchRequestsPerSecond { get; set; } = 4;

    /// <summary>
    /// The share of the daily allowance (<c>X-HubSpot-RateLimit-Daily-Remaining</c>) kept for urgent work: below it,
    /// non-urgent calls are refused with <see cref="ErrorCategory.RateLimited"/> until the budget comes back, the portal's
    /// midnight passes, or <see cref="DailyBudgetRecheck"/> lets one call look again. 0 turns the guard off.
    /// </summary>
    /// <value>The default value is 0.05.</value>
    public double DailyReserveShare { get; set; } = 0.05;

    /// <summary>How long the daily guard holds before it lets one call through to read the headers again.</summary>
    /// <value>The default value is 15 minutes.</value>
    public TimeSpan DailyBudgetRecheck { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>The portal's time zone (IANA or Windows id), in which the daily allowance resets at midnight.</summary>
    /// <value>The default value is <c>UTC</c>.</value>
    public string PortalTimeZone { get; set; } = "UTC";

    /// <summary>How far before its cursor the change feed re-reads, to absorb search's indexing delay.</summary>
    /// <value>The default value is 60 seconds.</value>
    public TimeSpan ChangeFeedOverlap { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>How long to wait before resending a batch HubSpot answered 423 Locked (its lock lasts 2 s).</summary>
    /// <value>The default value is 2 seconds.</value>
    public TimeSpan LockedRetryDelay { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>The company property that holds the VAT number, or null: then tax ids are neither written nor read.</summary>
    public string? TaxIdProperty { get; set; }

    /// <summary>
    /// Host-defined company property mappings: canonical custom attribute name → HubSpot property name (both ways), in
    /// addition to the built-in <c>industry</c>, <c>numberOfEmployees</c> and <c>annualRevenue</c>.
    /// </summary>
    public IDictionary<string, string> CustomProperties { get; } = new Dictionary<string, string>(StringComparer.Ordinal);
}
