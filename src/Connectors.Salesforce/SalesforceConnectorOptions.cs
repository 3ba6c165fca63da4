using Concord.Canonical.Connectors;
using Concord.Canonical.Errors;

namespace Concord.Connectors.Salesforce;

/// <summary>
/// Options of one Salesforce connector instance. Bind it from configuration (<c>Concord:Salesforce</c> for the default
/// instance, <c>Concord:Salesforce:eu</c> by convention for the instance named <c>eu</c>); it is validated when the
/// host starts, and every message names the configuration path of the value. <see cref="ConnectorOptions"/> holds what
/// every connector has: <see cref="ConnectorOptions.BaseAddress"/> (the org's My Domain URL, such as
/// <c>https://acme.my.salesforce.com</c> or <c>https://acme--uat.sandbox.my.salesforce.com</c>: token requests go there,
/// and client credentials work nowhere else), <see cref="ConnectorOptions.AllowInsecureHttp"/> (a simulator on a
/// loopback host, also accepted then as the token's <c>instance_url</c>), <see cref="ConnectorOptions.BatchSize"/>
/// (records per sObject Collections call: 200 by default, at most <see cref="MaxBatchSize"/>) and
/// <see cref="ConnectorOptions.Resilience"/> (25 requests per second by default; upserts by external id are retried,
/// token requests are not).
/// </summary>
public sealed class SalesforceConnectorOptions : ConnectorOptions
{
    /// <summary>The name of the default instance, and the vendor family: <c>salesforce</c>.</summary>
    public const string DefaultName = "salesforce";

    /// <summary>The configuration section of the default instance: <c>Concord:Salesforce</c>.</summary>
    public const string SectionName = "Concord:Salesforce";

    /// <summary>The API version used when none is configured.</summary>
    public const string DefaultApiVersion = "65.0";

    /// <summary>The largest <see cref="ConnectorOptions.BatchSize"/>: the most records one sObject Collections call takes (200).</summary>
    public const int MaxBatchSize = 200;

    /// <summary>Creates the options with their defaults (a batch size of 200, 25 requests per second).</summary>
    public SalesforceConnectorOptions()
        : base(defaultBatchSize: MaxBatchSize, maxBatchSize: MaxBatchSize)
    {
        Resilience.PermitLimit = 25;
    }

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

    /// <summary>The query page size asked for with <c>Sforce-Query-Options: batchSize=N</c>, 200 to 2,000 (Salesforce may return other sizes).</summary>
    /// <value>The default value is 2,000.</value>
    public int QueryPageSize { get; set; } = 2000;

    /// <summary>
    /// Host-defined mappings from canonical custom attributes to Account fields, standard or custom, both ways
    /// (<c>Concord:Salesforce:CustomFieldMappings:tier = Tier__c</c>, <c>…:type = Type</c>): read into
    /// <see cref="Canonical.CanonicalCustomer.CustomAttributes"/> and written from them as text, an attribute the customer
    /// no longer has clearing its field. In addition to the built-in <c>industry</c> (Industry) and
    /// <c>accountNumber</c> (AccountNumber). A field the org lacks, or the integration user cannot see, stops the first
    /// call with a <see cref="ErrorCategory.Configuration"/> error naming the mapping. The same model as HubSpot's
    /// <c>CustomProperties</c> and Zendesk's <c>CustomFieldMappings</c> (<see cref="CustomAttributeMap"/>).
    /// </summary>
    public IDictionary<string, string> CustomFieldMappings { get; } = new Dictionary<string, string>(StringComparer.Ordinal);

    /// <summary>
    /// Whether writes save past alert-level duplicate rules (<c>Sforce-Duplicate-Rule-Header: allowSave=true</c>). Standard
    /// Account and Contact duplicate rules are active in new orgs, and an API create that resembles an existing record is
    /// refused (<c>DUPLICATES_DETECTED</c>) unless this is set; the refusal is a <see cref="ErrorCategory.Conflict"/> whose
    /// <see cref="ConcordException.MatchedExternalIds"/> are the records Salesforce matched. Blocking rules block either way.
    /// </summary>
    /// <value>The default value is false (Salesforce's own default).</value>
    public bool AllowSaveOnDuplicateAlert { get; set; }

    /// <summary>What happens to a Contact an updated customer no longer lists (see <see cref="SalesforceRemovedContacts"/>).</summary>
    /// <value>The default value is <see cref="SalesforceRemovedContacts.Detach"/>.</value>
    public SalesforceRemovedContacts RemovedContacts { get; set; } = SalesforceRemovedContacts.Detach;

    /// <summary>
    /// How far before the newest <c>SystemModstamp</c> it has read the change feed reads again. A row can become visible
    /// with a stamp older than rows already read (a transaction that commits seconds later under load, a long Apex or bulk
    /// job); the feed re-reads this window and emits only what it has not emitted yet. A commit later than this is not seen
    /// by the feed (a reconciliation finds it), nor is one older than the 256 most recent rows while more than 256 rows
    /// fall inside the window (a bulk load: the window is capped so that cursors stay a few kilobytes). Between zero and
    /// one day.
    /// </summary>
    /// <value>The default value is 5 minutes.</value>
    public TimeSpan ChangeFeedOverlap { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// Whether the change feed reads on when Salesforce has purged deletions it had not read yet (its cursor is older than
    /// the Recycle Bin keeps deleted records: about 15 days, less after the bin is emptied or the delete log trimmed). By
    /// default it stops with a <see cref="ErrorCategory.Validation"/> error naming the gap, so deletions are never missed
    /// silently; after a reconciliation has found what was deleted, set this to read on, the gap logged as a warning.
    /// </summary>
    /// <value>The default value is false.</value>
    public bool ToleratePurgedDeletions { get; set; }

    /// <summary>
    /// The share of the org's daily API allocation (read from <c>Sforce-Limit-Info</c>) past which the connector refuses
    /// non-urgent calls with a <see cref="ErrorCategory.RateLimited"/> error, leaving the rest to other integrations.
    /// Between 0 (exclusive) and 1.
    /// </summary>
    /// <value>The default value is 0.8.</value>
    public double DailyBudgetShare { get; set; } = 0.8;

    /// <summary>
    /// While usage is past <see cref="DailyBudgetShare"/>, how often the connector asks Salesforce again (<c>GET /limits</c>,
    /// one request) whether usage has fallen: the allocation is a rolling 24 hours, so usage falls without any call of
    /// ours. A refused call's <see cref="ConcordException.RetryAfter"/> is the time until that next look.
    /// </summary>
    /// <value>The default value is 5 minutes.</value>
    public TimeSpan BudgetRecheckInterval { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// Whether the org has State and Country/Territory picklists: addresses are then written to and read from the code
    /// fields (<c>BillingCountryCode</c>, <c>BillingStateCode</c>, ISO codes), since the text fields take only the
    /// picklist's integration value (the full name by default); without them the text fields get the country's English
    /// name and are read back as a code. Null detects it once from the org (<c>describe</c> of Account).
    /// </summary>
    /// <value>The default value is null (detect).</value>
    public bool? UseStateAndCountryPicklists { get; set; }

    /// <summary>
    /// Whether the org has Person Accounts: Account rows with <c>IsPersonAccount</c> are then read as person customers
    /// (and their hidden person Contacts left out of every company's contacts), and person customers are written as
    /// person accounts (<c>FirstName</c>, <c>LastName</c>, <c>PersonEmail</c>, never <c>Name</c>). Null detects it once from
    /// the org (<c>describe</c> of Account). Setting this and <see cref="UseStateAndCountryPicklists"/>, with no
    /// <see cref="CustomFieldMappings"/>, spares the describe.
    /// </summary>
    /// <value>The default value is null (detect).</value>
    public bool? PersonAccounts { get; set; }
}
