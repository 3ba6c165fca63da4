namespace Concord.Testing.Salesforce;

/// <summary>How a <see cref="SalesforceSimulator"/> behaves: its org's credentials, allocation, fields and clock.</summary>
public sealed class SalesforceSimulatorOptions
{
    /// <summary>Gets or sets the consumer key the token endpoint accepts.</summary>
    /// <value>The default value is <c>concord-test-consumer</c>.</value>
    public string ConsumerKey { get; set; } = "concord-test-consumer";

    /// <summary>Gets or sets the consumer secret the token endpoint accepts.</summary>
    /// <value>The default value is <c>concord-test-secret</c>.</value>
    public string ConsumerSecret { get; set; } = "concord-test-secret";

    /// <summary>Gets or sets the integration user's username (the JWT <c>sub</c>).</summary>
    /// <value>The default value is <c>integration@concord.test</c>.</value>
    public string Username { get; set; } = "integration@concord.test";

    /// <summary>Gets or sets the refresh token the token endpoint accepts.</summary>
    /// <value>The default value is <c>concord-test-refresh-token</c>.</value>
    public string RefreshToken { get; set; } = "concord-test-refresh-token";

    /// <summary>
    /// Gets or sets whether the app rotates refresh tokens: each refresh answers a new <c>refresh_token</c> and the one
    /// used is invalid from then on (<c>invalid_grant</c>).
    /// </summary>
    /// <value>The default value is false.</value>
    public bool RotateRefreshTokens { get; set; }

    /// <summary>
    /// Gets or sets the public key (PEM) JWT assertions are verified with; <see langword="null"/> makes the simulator
    /// create a key pair, whose private half <see cref="SalesforceSimulator.JwtPrivateKeyPem"/> returns.
    /// </summary>
    /// <value>The default value is <see langword="null"/>.</value>
    public string? JwtPublicKeyPem { get; set; }

    /// <summary>Gets or sets the JWT audience the simulated org expects.</summary>
    /// <value>The default value is <c>https://login.salesforce.com</c>.</value>
    public string JwtAudience { get; set; } = "https://login.salesforce.com";

    /// <summary>Gets or sets the daily API allocation <c>Sforce-Limit-Info</c> reports, counted over a rolling 24 hours.</summary>
    /// <value>The default value is 15,000 (a Developer Edition org).</value>
    public long DailyApiAllocation { get; set; } = 15_000;

    /// <summary>
    /// Gets or sets the rolling span <see cref="DailyApiAllocation"/> is counted over. Salesforce's is 24 hours; a shorter one
    /// lets a test reach the limit quickly (the refusal keeps Salesforce's shape: 403 <c>REQUEST_LIMIT_EXCEEDED</c>).
    /// </summary>
    /// <value>The default value is 1 day.</value>
    public TimeSpan ApiUsageWindow { get; set; } = TimeSpan.FromDays(1);

    /// <summary>
    /// Gets or sets how far past <see cref="DailyApiAllocation"/> usage may run (a share of it) before every call is refused
    /// with 403 <c>REQUEST_LIMIT_EXCEEDED</c>: an org's allocation is soft, and usage can be reported above its maximum.
    /// </summary>
    /// <value>The default value is 0.1 (refused at 110 % of the allocation; the real threshold is not published).</value>
    public double DailyApiOverage { get; set; } = 0.1;

    /// <summary>
    /// Gets or sets how many query cursors (the <c>nextRecordsUrl</c> of a query not read to its end) stay open: opening
    /// one more closes the one used longest ago, whose next page is then refused with 400 <c>INVALID_QUERY_LOCATOR</c>
    /// (as Salesforce did before API v56, with 10 per user). <see langword="null"/> keeps every cursor, as Salesforce does
    /// since v56; each holds its rows, so a long run that leaves many queries unfinished (the soak) bounds them.
    /// </summary>
    /// <value>The default value is <see langword="null"/> (no bound).</value>
    public int? MaxOpenQueryCursors { get; set; }

    /// <summary>
    /// Gets or sets how long deleted records stay in the Recycle Bin (and <c>queryAll</c> and the delete log) before they
    /// are purged for good; <see cref="SalesforceSimulator.EmptyRecycleBin"/> purges them at once.
    /// </summary>
    /// <value>The default value is 15 days.</value>
    public TimeSpan RecycleBinRetention { get; set; } = TimeSpan.FromDays(15);

    /// <summary>
    /// Gets or sets whether the org has State and Country/Territory picklists: the address code fields
    /// (<c>BillingCountryCode</c>, <c>BillingStateCode</c>, …) exist, and the text fields take only a listed name.
    /// </summary>
    /// <value>The default value is false.</value>
    public bool StateAndCountryPicklists { get; set; }

    /// <summary>
    /// Gets the custom fields the org has besides the external-id fields, by object: <c>CustomFields["Account"] = ["Tier__c"]</c>
    /// (text, 255). A write naming any other field fails with <c>INVALID_FIELD</c>.
    /// </summary>
    public IDictionary<string, IList<string>> CustomFields { get; } = new Dictionary<string, IList<string>>(StringComparer.OrdinalIgnoreCase);

    /// <summary>
    /// Gets the restricted picklists of the org, by <c>Object.Field</c>: <c>RestrictedPicklists["Account.Industry"] = ["Banking", …]</c>.
    /// Any other value fails with <c>INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST</c>.
    /// </summary>
    public IDictionary<string, IList<string>> RestrictedPicklists { get; } = new Dictionary<string, IList<string>>(StringComparer.OrdinalIgnoreCase);

    /// <summary>
    /// Gets or sets whether the org has Person Accounts: Account gains <c>IsPersonAccount</c> and the person fields
    /// (<c>FirstName</c>, <c>LastName</c>, <c>PersonEmail</c>, …), an Account saved with the person record type
    /// (<c>RecordType</c> where <c>IsPersonType</c>) is a person account with a hidden person Contact, and its
    /// <c>Name</c> cannot be written.
    /// </summary>
    /// <value>The default value is false.</value>
    public bool PersonAccounts { get; set; }

    /// <summary>Gets or sets the duplicate rules the org runs on creates.</summary>
    /// <value>The default value is <see cref="SalesforceSimDuplicateRules.Off"/> (real orgs start with the standard rules active).</value>
    public SalesforceSimDuplicateRules DuplicateRules { get; set; }

    /// <summary>Gets or sets the external-id field of Account.</summary>
    /// <value>The default value is <c>Concord_Id__c</c>.</value>
    public string AccountExternalIdField { get; set; } = "Concord_Id__c";

    /// <summary>Gets or sets the external-id field of Contact.</summary>
    /// <value>The default value is <c>Concord_Id__c</c>.</value>
    public string ContactExternalIdField { get; set; } = "Concord_Id__c";

    /// <summary>
    /// Gets or sets the <c>instance_url</c> the token endpoint returns; <see langword="null"/> returns the simulator's own
    /// address. Set it to test that a connector refuses to send its token to a foreign host.
    /// </summary>
    /// <value>The default value is <see langword="null"/>.</value>
    public Uri? InstanceUrlOverride { get; set; }

    /// <summary>Gets or sets the clock for <c>SystemModstamp</c>, latency and journal times.</summary>
    /// <value>The default value is <see cref="TimeProvider.System"/>.</value>
    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;

    /// <summary>Gets or sets the seed of the fault plan's random draws.</summary>
    /// <value>The default value is 0.</value>
    public int Seed { get; set; }
}
