namespace Concord.Testing.Zendesk;

/// <summary>How a <see cref="ZendeskSimulator"/> behaves: its account's credentials, plan limits, job timing and clock.</summary>
public sealed class ZendeskSimulatorOptions
{
    /// <summary>Gets or sets the OAuth client id the token endpoint accepts.</summary>
    /// <value>The default value is <c>concord-test-client</c>.</value>
    public string ClientId { get; set; } = "concord-test-client";

    /// <summary>Gets or sets the OAuth client secret the token endpoint accepts.</summary>
    /// <value>The default value is <c>concord-test-secret</c>.</value>
    public string ClientSecret { get; set; } = "concord-test-secret";

    /// <summary>Gets or sets the first refresh token the account accepts (each refresh rotates it: <see cref="ZendeskSimulator.CurrentRefreshToken"/>).</summary>
    /// <value>The default value is <c>concord-test-refresh-token</c>.</value>
    public string RefreshToken { get; set; } = "concord-test-refresh-token";

    /// <summary>Gets or sets the scopes tokens are issued with (space-separated: <c>read write</c>, or <c>organizations:read users:write</c>).</summary>
    /// <value>The default value is <c>read write</c>.</value>
    public string Scopes { get; set; } = "read write";

    /// <summary>Gets or sets how long an access token lives (Zendesk: 30 minutes by default, 5 minutes to 48 hours).</summary>
    /// <value>The default value is 30 minutes.</value>
    public TimeSpan AccessTokenLifetime { get; set; } = TimeSpan.FromMinutes(30);

    /// <summary>Gets or sets how long a refresh token lives (Zendesk: 30 days by default, 7 to 90 days).</summary>
    /// <value>The default value is 30 days.</value>
    public TimeSpan RefreshTokenLifetime { get; set; } = TimeSpan.FromDays(30);

    /// <summary>Gets or sets the agent whose email precedes <c>/token</c> in API-token authentication.</summary>
    /// <value>The default value is <c>integration@concord.test</c>.</value>
    public string AgentEmail { get; set; } = "integration@concord.test";

    /// <summary>Gets or sets the API token accepted as <c>Basic base64("{email}/token:{token}")</c>.</summary>
    /// <value>The default value is <c>concord-test-api-token</c>.</value>
    public string ApiToken { get; set; } = "concord-test-api-token";

    /// <summary>Gets or sets whether token access is switched on in Admin Center; when off, API-token calls get 401.</summary>
    /// <value>The default value is <see langword="true"/>.</value>
    public bool ApiTokensEnabled { get; set; } = true;

    /// <summary>Gets or sets the plan's request budget per minute (200 Team, 400 Growth/Professional, 700 Enterprise, 2,500 Enterprise Plus or High Volume).</summary>
    /// <value>The default value is 700.</value>
    public int RequestsPerMinute { get; set; } = 700;

    /// <summary>
    /// Gets or sets the rolling span <see cref="RequestsPerMinute"/> applies to. Zendesk's is one minute; a shorter one lets
    /// a test reach the limit quickly (the 429 and the <c>X-Rate-Limit</c> headers keep Zendesk's shape).
    /// </summary>
    /// <value>The default value is 1 minute.</value>
    public TimeSpan RateLimitWindow { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>Gets or sets whether the per-minute budget is enforced with 429 and <c>Retry-After</c> (it is always reported in <c>X-Rate-Limit</c> headers).</summary>
    /// <value>The default value is <see langword="true"/>.</value>
    public bool EnforceRateLimit { get; set; } = true;

    /// <summary>Gets or sets the budget of the whole <c>/incremental/*</c> family per minute (10; 30 with the High Volume add-on).</summary>
    /// <value>The default value is 10.</value>
    public int IncrementalRequestsPerMinute { get; set; } = 10;

    /// <summary>
    /// Gets or sets how recent a change the incremental exports hold back: <c>start_time</c> must be at least this old
    /// (else 422 <c>InvalidValue</c>) and changes newer than this are not returned yet. Zendesk: one minute.
    /// </summary>
    /// <value>The default value is 1 minute.</value>
    public TimeSpan IncrementalExportLag { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>Gets or sets the most queued or running jobs the account may have (Zendesk: 30).</summary>
    /// <value>The default value is 30.</value>
    public int JobLimit { get; set; } = 30;

    /// <summary>Gets or sets how long a new job stays <c>queued</c> on the simulator's clock.</summary>
    /// <value>The default value is 50 milliseconds.</value>
    public TimeSpan JobQueuedTime { get; set; } = TimeSpan.FromMilliseconds(50);

    /// <summary>Gets or sets how long a job stays <c>working</c> before it completes (its items are applied then).</summary>
    /// <value>The default value is 50 milliseconds.</value>
    public TimeSpan JobWorkingTime { get; set; } = TimeSpan.FromMilliseconds(50);

    /// <summary>
    /// Gets or sets whether a finished job lists its item results in a random order (seeded by <see cref="Seed"/>): the facts
    /// page does not confirm that results keep input order, so a client must map them by <c>index</c>, id, external id or email.
    /// </summary>
    /// <value>The default value is <see langword="false"/>.</value>
    public bool ShuffleJobResults { get; set; }

    /// <summary>Gets or sets how long a finished job's status and results stay readable (Zendesk: one day).</summary>
    /// <value>The default value is 1 day.</value>
    public TimeSpan JobResultRetention { get; set; } = TimeSpan.FromDays(1);

    /// <summary>
    /// Gets or sets whether bulk user import (<c>users/create_many</c>, <c>users/create_or_update_many</c>) is enabled.
    /// Zendesk keeps it off until the account owner asks support: those calls then answer 403.
    /// </summary>
    /// <value>The default value is <see langword="false"/>.</value>
    public bool BulkUserImportEnabled { get; set; }

    /// <summary>Gets or sets whether the per-record limits are enforced: 5 updates a minute per organization and per user, and 1 user create-or-update or update a second per account.</summary>
    /// <value>The default value is <see langword="true"/>.</value>
    public bool EnforcePerRecordLimits { get; set; } = true;

    /// <summary>Gets or sets the account's subdomain, used in the <c>url</c> of records.</summary>
    /// <value>The default value is <c>concord</c>.</value>
    public string Subdomain { get; set; } = "concord";

    /// <summary>Gets or sets the clock for timestamps, token expiry, job progress, limits and latency.</summary>
    /// <value>The default value is <see cref="TimeProvider.System"/>.</value>
    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;

    /// <summary>Gets or sets the seed of the fault plan's random draws.</summary>
    /// <value>The default value is 0.</value>
    public int Seed { get; set; }
}
