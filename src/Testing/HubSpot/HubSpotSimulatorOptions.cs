namespace Concord.Testing.HubSpot;

/// <summary>How a <see cref="HubSpotSimulator"/> behaves: its credentials, limits, API-version rules and clock.</summary>
public sealed class HubSpotSimulatorOptions
{
    /// <summary>The scopes a fully provisioned connector app holds (objects, and the schemas to create its unique property).</summary>
    public static readonly IReadOnlyList<string> AllScopes =
    [
        "crm.objects.companies.read",
        "crm.objects.companies.write",
        "crm.objects.contacts.read",
        "crm.objects.contacts.write",
        "crm.schemas.companies.read",
        "crm.schemas.companies.write",
        "crm.schemas.contacts.read",
        "crm.schemas.contacts.write",
    ];

    /// <summary>Gets or sets the static bearer token the API accepts (a legacy private-app token, a service key or a project app's static token).</summary>
    /// <value>The default value is a throw-away <c>pat-na1-…</c> token.</value>
    public string StaticToken { get; set; } = "pat-na1-5e1f0c2a-0000-4000-8000-concordtest01";

    /// <summary>Gets or sets the OAuth client id the token endpoint accepts.</summary>
    /// <value>The default value is <c>concord-test-client</c>.</value>
    public string ClientId { get; set; } = "concord-test-client";

    /// <summary>Gets or sets the OAuth client secret the token endpoint accepts.</summary>
    /// <value>The default value is <c>concord-test-secret</c>.</value>
    public string ClientSecret { get; set; } = "concord-test-secret";

    /// <summary>Gets or sets the refresh token valid when the simulator starts.</summary>
    /// <value>The default value is <c>concord-test-refresh-token</c>.</value>
    public string RefreshToken { get; set; } = "concord-test-refresh-token";

    /// <summary>Gets or sets the <c>expires_in</c> of issued access tokens; after it the API answers 401 <c>EXPIRED_AUTHENTICATION</c>.</summary>
    /// <value>The default value is 30 minutes (HubSpot's 1,800 s).</value>
    public TimeSpan AccessTokenLifetime { get; set; } = TimeSpan.FromMinutes(30);

    /// <summary>Gets or sets whether each refresh returns a new refresh token and invalidates the one used.</summary>
    /// <value>The default value is <see langword="true"/>.</value>
    public bool RotateRefreshTokens { get; set; } = true;

    /// <summary>Gets or sets the scopes every token holds; a call that needs another answers 403 <c>MISSING_SCOPES</c>.</summary>
    /// <value>The default value is <see cref="AllScopes"/>.</value>
    public IList<string> Scopes { get; set; } = [.. AllScopes];

    /// <summary>Gets or sets the portal (hub) id reported by token metadata.</summary>
    /// <value>The default value is 62515.</value>
    public long PortalId { get; set; } = 62515;

    /// <summary>Gets or sets the requests one app may make in a <see cref="RateLimitWindow"/> (<c>X-HubSpot-RateLimit-Max</c>).</summary>
    /// <value>The default value is 190 (Professional and Enterprise, privately distributed).</value>
    public int TenSecondlyLimit { get; set; } = 190;

    /// <summary>Gets or sets the rolling window of <see cref="TenSecondlyLimit"/> (<c>X-HubSpot-RateLimit-Interval-Milliseconds</c>).</summary>
    /// <value>The default value is 10 seconds.</value>
    public TimeSpan RateLimitWindow { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Gets or sets the daily request allowance of a static token, reset at midnight in <see cref="PortalTimeZone"/>; OAuth apps have none.</summary>
    /// <value>The default value is 625,000 (Professional).</value>
    public long DailyLimit { get; set; } = 625_000;

    /// <summary>Gets or sets the search requests allowed per second per account (policy <c>SECONDLY</c>).</summary>
    /// <value>The default value is 5.</value>
    public int SearchRequestsPerSecond { get; set; } = 5;

    /// <summary>Gets or sets whether the limits above are enforced with 429s; when false only the headers are sent.</summary>
    /// <value>The default value is <see langword="true"/>.</value>
    public bool EnforceRateLimits { get; set; } = true;

    /// <summary>Gets or sets the portal's time zone, in which the daily allowance resets at midnight.</summary>
    /// <value>The default value is UTC.</value>
    public TimeZoneInfo PortalTimeZone { get; set; } = TimeZoneInfo.Utc;

    /// <summary>Gets or sets how long a write takes to become visible to search (HubSpot: "a few moments").</summary>
    /// <value>The default value is zero.</value>
    public TimeSpan SearchIndexingDelay { get; set; } = TimeSpan.Zero;

    /// <summary>Gets or sets whether batch answers keep input order; HubSpot does not promise it, so by default they are shuffled.</summary>
    /// <value>The default value is <see langword="false"/>.</value>
    public bool PreserveBatchOrder { get; set; }

    /// <summary>Gets or sets whether successful batch results echo the input's <c>objectWriteTraceId</c> (unverified in HubSpot).</summary>
    /// <value>The default value is <see langword="false"/>.</value>
    public bool EchoObjectWriteTraceId { get; set; }

    /// <summary>
    /// Gets or sets the properties an admin made required, by object type (<c>companies</c>, <c>contacts</c>): from
    /// API version 2026-09 a write that creates a record without them, or clears them, is a <c>VALIDATION_ERROR</c>.
    /// </summary>
    public IDictionary<string, IList<string>> RequiredProperties { get; set; } = new Dictionary<string, IList<string>>(StringComparer.Ordinal);

    /// <summary>Gets or sets whether search answers carry <c>X-HubSpot-RateLimit-*</c> headers (older docs say they do not).</summary>
    /// <value>The default value is <see langword="false"/>.</value>
    public bool SearchSendsRateLimitHeaders { get; set; }

    /// <summary>Gets or sets the clock for record timestamps, token expiry, rate windows, indexing and latency.</summary>
    /// <value>The default value is <see cref="TimeProvider.System"/>.</value>
    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;

    /// <summary>Gets or sets the seed of the fault plan and of the batch-result shuffle.</summary>
    /// <value>The default value is 0.</value>
    public int Seed { get; set; }
}
