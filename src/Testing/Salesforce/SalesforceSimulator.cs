using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Concord.Testing.Salesforce.Internal;

namespace Concord.Testing.Salesforce;

/// <summary>
/// A stateful fake Salesforce org on 127.0.0.1: the OAuth token endpoint (client credentials on the My Domain only,
/// JWT bearer verified against a public key, refresh token), upsert by external id one by one
/// (<c>PATCH /sobjects/{type}/{field}/{value}</c>, 201 created / 200 updated / 300 several matches) and through sObject
/// Collections, <c>query</c>/<c>queryAll</c> for the SOQL the connector sends with <c>nextRecordsUrl</c> paging and
/// <c>IsDeleted</c>, <c>Sforce-Limit-Info</c> on every API answer counting a daily allocation and
/// <c>REQUEST_LIMIT_EXCEEDED</c> once it is spent, session expiry on demand, and the shared <see cref="FaultPlan"/>.
/// </summary>
/// <remarks>
/// The My Domain is <see cref="MyDomainUrl"/> (<c>http://127.0.0.1:port</c>); <see cref="LoginUrl"/>
/// (<c>http://localhost:port</c>, the same server) stands for login.salesforce.com, where client credentials are refused.
/// </remarks>
public sealed partial class SalesforceSimulator : SimulatorBase
{
    private const string DataPrefix = "/services/data/v";
    private static readonly string[] NoFields = [];

    private readonly SalesforceSimulatorOptions _options;
    private readonly SalesforceOrg _org;
    private readonly Lock _gate = new();
    private readonly HashSet<string> _sessions = new(StringComparer.Ordinal);
    private readonly Dictionary<string, (List<JsonObject> Rows, int PageSize, long LastUsed)> _cursors = new(StringComparer.Ordinal);
    private readonly List<InjectedError> _injected = [];
    private readonly Dictionary<string, JsonObject> _recordErrors = new(StringComparer.Ordinal);
    private readonly RSA _jwtKey;
    private readonly string? _jwtPrivateKeyPem;
    private readonly DateTimeOffset _created;
    private string? _liveRefreshToken;
    private int _tokenRequests;
    private long _cursorCounter;
    private bool _restApiDisabled;

    /// <summary>Starts a simulator with default options.</summary>
    public SalesforceSimulator()
        : this(new SalesforceSimulatorOptions())
    {
    }

    /// <summary>Starts a simulator with <paramref name="options"/>.</summary>
    /// <param name="options">The org's credentials, allocation, fields and clock.</param>
    public SalesforceSimulator(SalesforceSimulatorOptions options)
        : base(new SimulatorOptions { TimeProvider = (options ?? throw new ArgumentNullException(nameof(options))).TimeProvider, Seed = options.Seed })
    {
        if (options.MaxOpenQueryCursors is < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(options), options.MaxOpenQueryCursors, "SalesforceSimulatorOptions.MaxOpenQueryCursors must be at least 1 (or null for no bound).");
        }

        _options = options;
        _org = new SalesforceOrg(options);
        _jwtKey = RSA.Create(2048);
        if (options.JwtPublicKeyPem is null)
        {
            _jwtPrivateKeyPem = _jwtKey.ExportPkcs8PrivateKeyPem();
        }
        else
        {
            _jwtKey.ImportFromPem(options.JwtPublicKeyPem);
        }

        _created = options.TimeProvider.GetUtcNow();
        MyDomainUrl = new Uri($"http://127.0.0.1:{BaseAddress.Port}");
        LoginUrl = new Uri($"http://localhost:{BaseAddress.Port}");
    }

    /// <summary>The simulated My Domain (and instance) URL.</summary>
    public Uri MyDomainUrl { get; }

    /// <summary>A host that stands for login.salesforce.com: the same server under another name.</summary>
    public Uri LoginUrl { get; }

    /// <summary>The options the simulator runs with.</summary>
    public SalesforceSimulatorOptions Options => _options;

    /// <summary>The private key (PKCS#8 PEM) matching the JWT verification key, when the simulator made the pair.</summary>
    public string JwtPrivateKeyPem => _jwtPrivateKeyPem ?? throw new InvalidOperationException("The simulator was given a public key; the private key is the caller's.");

    /// <summary>The refresh token the token endpoint accepts now (with rotation, the last one it issued).</summary>
    public string LiveRefreshToken
    {
        get
        {
            lock (_gate)
            {
                return _liveRefreshToken ?? _options.RefreshToken;
            }
        }
    }

    /// <summary>How many requests reached the token endpoint.</summary>
    public int TokenRequests => Volatile.Read(ref _tokenRequests);

    /// <summary>API requests counted against the daily allocation (what <c>Sforce-Limit-Info</c> reports as used).</summary>
    public long ApiUsage
    {
        get
        {
            lock (_gate)
            {
                return _org.ApiUsage(TimeProvider.GetUtcNow());
            }
        }

        set
        {
            lock (_gate)
            {
                _org.SetApiUsage(TimeProvider.GetUtcNow(), value);
            }
        }
    }

    /// <summary>Every Account, deleted ones included, in creation order.</summary>
    public IReadOnlyList<SalesforceSimRecord> Accounts => Snapshot("Account");

    /// <summary>Every Contact, deleted ones included, in creation order.</summary>
    public IReadOnlyList<SalesforceSimRecord> Contacts => Snapshot("Contact");

    /// <summary>Ends every issued session: the next API call with an old token gets 401 <c>INVALID_SESSION_ID</c>.</summary>
    public void ExpireSessions()
    {
        lock (_gate)
        {
            _sessions.Clear();
        }
    }

    /// <summary>
    /// Answers every API call with 401 <c>INVALID_SESSION_ID</c> "This session is not valid for use with the REST API"
    /// (no <c>api</c> scope, API-disabled user), which a new token does not cure.
    /// </summary>
    /// <param name="disabled">Whether the REST API is refused.</param>
    public void DisableRestApi(bool disabled = true)
    {
        lock (_gate)
        {
            _restApiDisabled = disabled;
        }
    }

    /// <summary>
    /// Answers the next <paramref name="count"/> matching API calls with <paramref name="statusCode"/> and a REST error
    /// array <c>[{"message":…,"errorCode":…}]</c>; the call is counted but nothing is written.
    /// </summary>
    /// <param name="count">How many calls.</param>
    /// <param name="statusCode">The HTTP status (403 for <c>REQUEST_LIMIT_EXCEEDED</c>, 400, 503, …).</param>
    /// <param name="errorCode">The <c>errorCode</c>.</param>
    /// <param name="message">The <c>message</c>.</param>
    /// <param name="when">Which calls; every API call when <see langword="null"/>.</param>
    public void FailNextApiCalls(int count, int statusCode, string errorCode, string message, Func<SimulatorRequest, bool>? when = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(count);
        lock (_gate)
        {
            _injected.Add(new InjectedError(count, statusCode, errorCode, message, when));
        }
    }

    /// <summary>Answers the next <paramref name="count"/> API calls with 403 <c>REQUEST_LIMIT_EXCEEDED</c> ConcurrentRequests.</summary>
    /// <param name="count">How many calls.</param>
    public void RejectConcurrentRequests(int count) =>
        FailNextApiCalls(count, 403, "REQUEST_LIMIT_EXCEEDED", "ConcurrentRequests (Concurrent API Requests) Limit exceeded.");

    /// <summary>
    /// Makes every write of the record whose external id is <paramref name="externalId"/> fail with a per-record error
    /// (<c>statusCode</c>, <c>message</c>, <c>fields</c>): in a collection only that record fails; alone it is a 400.
    /// </summary>
    /// <param name="externalId">The external id value.</param>
    /// <param name="statusCode">The Salesforce code (<c>FIELD_CUSTOM_VALIDATION_EXCEPTION</c>, <c>UNABLE_TO_LOCK_ROW</c>, …).</param>
    /// <param name="message">The message.</param>
    /// <param name="fields">The fields it concerns.</param>
    public void RejectRecord(string externalId, string statusCode, string message, params string[] fields)
    {
        lock (_gate)
        {
            _recordErrors[externalId] = SalesforceOrg.Error(statusCode, message, fields);
        }
    }

    /// <summary>Stops rejecting the record whose external id is <paramref name="externalId"/>.</summary>
    /// <param name="externalId">The external id value.</param>
    public void AcceptRecord(string externalId)
    {
        lock (_gate)
        {
            _recordErrors.Remove(externalId);
        }
    }

    /// <summary>Creates an Account directly (no API usage), as another user or integration would.</summary>
    /// <param name="externalId">Its external id, or <see langword="null"/> for none.</param>
    /// <param name="name">Its name.</param>
    /// <param name="fields">More field values (<c>Website</c>, <c>BillingCountry</c>, … any value, even one the canonical schema rejects).</param>
    /// <returns>The new Account's id.</returns>
    public string SeedAccount(string? externalId, string name, IReadOnlyDictionary<string, object?>? fields = null)
    {
        lock (_gate)
        {
            var record = _org.Create("Account", TimeProvider.GetUtcNow());
            record.Fields["Name"] = name;
            if (externalId is not null)
            {
                _org.Set(record, _options.AccountExternalIdField, externalId);
            }

            Merge(record, fields);
            return record.Id;
        }
    }

    /// <summary>Creates a person account directly (no API usage), with its hidden person Contact; the org needs <see cref="SalesforceSimulatorOptions.PersonAccounts"/>.</summary>
    /// <param name="externalId">Its external id, or <see langword="null"/> for none.</param>
    /// <param name="firstName">Its first name.</param>
    /// <param name="lastName">Its last name.</param>
    /// <param name="fields">More field values (<c>PersonEmail</c>, <c>PersonMobilePhone</c>, …).</param>
    /// <returns>The new Account's id.</returns>
    public string SeedPersonAccount(string? externalId, string? firstName, string lastName, IReadOnlyDictionary<string, object?>? fields = null)
    {
        if (!_options.PersonAccounts)
        {
            throw new InvalidOperationException("The simulated org has no person accounts (SalesforceSimulatorOptions.PersonAccounts).");
        }

        lock (_gate)
        {
            var record = _org.Create("Account", TimeProvider.GetUtcNow());
            record.Fields["FirstName"] = firstName;
            record.Fields["LastName"] = lastName;
            if (externalId is not null)
            {
                _org.Set(record, _options.AccountExternalIdField, externalId);
            }

            Merge(record, fields);
            _org.SyncPersonContact(record, TimeProvider.GetUtcNow());
            return record.Id;
        }
    }

    /// <summary>Creates a Contact under <paramref name="accountId"/> directly (no API usage).</summary>
    /// <param name="accountId">The Account's id.</param>
    /// <param name="externalId">Its external id, or <see langword="null"/>.</param>
    /// <param name="lastName">Its last name.</param>
    /// <param name="fields">More field values (<c>FirstName</c>, <c>Email</c>, …).</param>
    /// <returns>The new Contact's id.</returns>
    public string SeedContact(string accountId, string? externalId, string lastName, IReadOnlyDictionary<string, object?>? fields = null)
    {
        lock (_gate)
        {
            var record = _org.Create("Contact", TimeProvider.GetUtcNow());
            record.AccountId = accountId;
            record.Fields["LastName"] = lastName;
            if (externalId is not null)
            {
                _org.Set(record, _options.ContactExternalIdField, externalId);
            }

            Merge(record, fields);
            return record.Id;
        }
    }

    /// <summary>The user the simulator's tokens act as: <c>LastModifiedById</c> of everything the connector writes.</summary>
    public const string IntegrationUserId = SalesforceOrg.IntegrationUserId;

    /// <summary>A person editing records in Salesforce: <c>LastModifiedById</c> of <see cref="EditRecord"/> unless told otherwise.</summary>
    public const string HumanEditorId = SalesforceOrg.HumanEditorId;

    /// <summary>
    /// Changes fields of a record as a user would: <c>SystemModstamp</c> and <c>LastModifiedDate</c> move to the
    /// simulator's clock and <c>LastModifiedById</c> names the editor.
    /// </summary>
    /// <param name="id">The record id.</param>
    /// <param name="fields">The new values (<see langword="null"/> clears a field).</param>
    /// <param name="editedBy">The editing user's id; <see cref="HumanEditorId"/> by default, <see cref="IntegrationUserId"/> for an edit the integration made.</param>
    public void EditRecord(string id, IReadOnlyDictionary<string, object?> fields, string? editedBy = null)
    {
        ArgumentNullException.ThrowIfNull(fields);
        lock (_gate)
        {
            var record = _org.Find(id) ?? throw new ArgumentException($"No record has id {id}.", nameof(id));
            Merge(record, fields);
            _org.Touch(record, TimeProvider.GetUtcNow(), editedBy ?? HumanEditorId);
            if (record.Fields.GetValueOrDefault("IsPersonAccount") is true && record.SObject == "Account")
            {
                _org.SyncPersonContact(record, TimeProvider.GetUtcNow());
            }
        }
    }

    /// <summary>
    /// A system update, as a roll-up summary, a sharing recalculation or a formula's dependency makes: the record's
    /// <c>SystemModstamp</c> moves to the simulator's clock, its values, <c>LastModifiedDate</c> and <c>LastModifiedById</c> do not.
    /// </summary>
    /// <param name="id">The record id.</param>
    public void SystemUpdate(string id)
    {
        lock (_gate)
        {
            var record = _org.Find(id) ?? throw new ArgumentException($"No record has id {id}.", nameof(id));
            SalesforceOrg.SystemTouch(record, TimeProvider.GetUtcNow());
        }
    }

    /// <summary>Deletes a record (to the Recycle Bin: <c>IsDeleted</c>, <c>queryAll</c> still returns it); an Account takes its Contacts along.</summary>
    /// <param name="id">The record id.</param>
    /// <param name="mergedInto">For a merge loser, the survivor's id (<c>MasterRecordId</c>).</param>
    public void DeleteRecord(string id, string? mergedInto = null)
    {
        lock (_gate)
        {
            var record = _org.Find(id) ?? throw new ArgumentException($"No record has id {id}.", nameof(id));
            _org.Delete(record, TimeProvider.GetUtcNow(), mergedInto);
        }
    }

    /// <summary>
    /// Starts a long transaction, as Apex, a flow or a bulk job under load runs one: what it writes carries its start time
    /// as <c>SystemModstamp</c> but stays invisible to every query until <see cref="SalesforceSimTransaction.Commit"/>, so
    /// a change poll that runs in between sees newer rows first and this one later, with an older stamp.
    /// </summary>
    /// <returns>The transaction.</returns>
    public SalesforceSimTransaction BeginTransaction() => new(this, TimeProvider.GetUtcNow());

    internal string SeedInTransaction(string sObject, string? accountId, string? externalId, string requiredField, string requiredValue, IReadOnlyDictionary<string, object?>? fields, DateTimeOffset stamp)
    {
        lock (_gate)
        {
            var record = _org.Create(sObject, stamp);
            record.Uncommitted = true;
            record.AccountId = accountId;
            record.Fields[requiredField] = requiredValue;
            if (externalId is not null)
            {
                _org.Set(record, _org.ExternalIdField(sObject), externalId);
            }

            Merge(record, fields);
            return record.Id;
        }
    }

    internal void CommitTransaction(IReadOnlyList<string> created, IReadOnlyList<(string Id, IReadOnlyDictionary<string, object?> Fields)> edits, DateTimeOffset stamp)
    {
        lock (_gate)
        {
            foreach (var id in created)
            {
                _org.Find(id)!.Uncommitted = false;
            }

            foreach (var (id, fields) in edits)
            {
                var record = _org.Find(id) ?? throw new InvalidOperationException($"No record has id {id}.");
                Merge(record, fields);
                _org.Touch(record, stamp);
            }
        }
    }

    /// <summary>
    /// Merges <paramref name="loserId"/> into <paramref name="survivorId"/> as Salesforce's merge does: the loser's live
    /// Contacts (for Accounts) are reparented to the survivor, the survivor is touched, and the loser goes to the Recycle
    /// Bin with <c>MasterRecordId</c> = the survivor.
    /// </summary>
    /// <param name="survivorId">The master record.</param>
    /// <param name="loserId">The record merged away.</param>
    public void MergeRecords(string survivorId, string loserId)
    {
        lock (_gate)
        {
            var survivor = _org.Find(survivorId) ?? throw new ArgumentException($"No record has id {survivorId}.", nameof(survivorId));
            var loser = _org.Find(loserId) ?? throw new ArgumentException($"No record has id {loserId}.", nameof(loserId));
            var now = TimeProvider.GetUtcNow();
            if (loser.SObject == "Account")
            {
                foreach (var contact in _org.Records("Contact").Where(c => !c.IsDeleted && string.Equals(c.AccountId, loser.Id, StringComparison.Ordinal)).ToList())
                {
                    contact.AccountId = survivor.Id;
                    _org.Touch(contact, now, HumanEditorId);
                }
            }

            _org.Touch(survivor, now, HumanEditorId);
            _org.Delete(loser, now, survivor.Id);
        }
    }

    /// <summary>
    /// Empties the Recycle Bin, as an administrator (or the delete log's size limit) can at any time: every deleted record
    /// is purged for good, <c>queryAll</c> no longer returns it, and the delete log's <c>earliestDateAvailable</c> moves up.
    /// </summary>
    public void EmptyRecycleBin()
    {
        lock (_gate)
        {
            _org.Purge(_ => true);
        }
    }

    /// <summary>The live Accounts whose external id is <paramref name="externalId"/>.</summary>
    /// <param name="externalId">The external id.</param>
    /// <returns>The matching Accounts (more than one only when seeded so).</returns>
    public IReadOnlyList<SalesforceSimRecord> AccountsWithExternalId(string externalId)
    {
        lock (_gate)
        {
            return _org.FindByExternalId("Account", _options.AccountExternalIdField, externalId).Select(r => r.Snapshot()).ToList();
        }
    }

    /// <inheritdoc />
    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _jwtKey.Dispose();
        }

        base.Dispose(disposing);
    }

    /// <inheritdoc />
    /// <remarks>
    /// Salesforce-shaped: a REST error array (<c>[{"message", "errorCode"}]</c>), <c>SERVER_UNAVAILABLE</c> for a 503 and
    /// <c>UNKNOWN_EXCEPTION</c> with an ErrorId otherwise; a throttle is the 429 a gateway in front of the org would send,
    /// with <c>Retry-After</c> and the org's <c>REQUEST_LIMIT_EXCEEDED</c> "ConcurrentRequests" body (the REST API itself
    /// throttles with 403, see <see cref="RejectConcurrentRequests"/>). API answers carry <c>Sforce-Limit-Info</c>.
    /// </remarks>
    protected override SimulatorResponse CreateFaultResponse(SimulatorRequest request, FaultKind kind, int statusCode, TimeSpan? retryAfter)
    {
        ArgumentNullException.ThrowIfNull(request);
        var (code, message) = kind == FaultKind.Throttle
            ? ("REQUEST_LIMIT_EXCEEDED", "ConcurrentRequests (Concurrent API Requests) Limit exceeded.")
            : statusCode == 503
                ? ("SERVER_UNAVAILABLE", "Server temporarily unavailable. Please try again later.")
                : ("UNKNOWN_EXCEPTION", "An unexpected error occurred. Please include this ErrorId if you contact support: 1184381085-11738 (-1517434476)");
        var answer = Errors(kind == FaultKind.Throttle ? 429 : statusCode, code, message);
        if (kind == FaultKind.Throttle)
        {
            answer = answer.WithHeader("Retry-After", ((long)Math.Ceiling(retryAfter.GetValueOrDefault().TotalSeconds)).ToString(CultureInfo.InvariantCulture));
        }

        if (!request.Path.StartsWith(DataPrefix, StringComparison.Ordinal))
        {
            return answer;
        }

        lock (_gate)
        {
            return answer.WithHeader("Sforce-Limit-Info", string.Create(CultureInfo.InvariantCulture, $"api-usage={_org.ApiUsage(TimeProvider.GetUtcNow())}/{_options.DailyApiAllocation}"));
        }
    }

    /// <inheritdoc />
    protected override ValueTask<SimulatorResponse> HandleAsync(SimulatorRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.Is("POST", "/services/oauth2/token"))
        {
            Interlocked.Increment(ref _tokenRequests);
            lock (_gate)
            {
                return ValueTask.FromResult(Token(request));
            }
        }

        if (!request.Path.StartsWith(DataPrefix, StringComparison.Ordinal))
        {
            return ValueTask.FromResult(NotFound());
        }

        lock (_gate)
        {
            var answer = Api(request);
            return ValueTask.FromResult(answer.WithHeader("Sforce-Limit-Info", string.Create(CultureInfo.InvariantCulture, $"api-usage={_org.ApiUsage(TimeProvider.GetUtcNow())}/{_options.DailyApiAllocation}")));
        }
    }

    private SimulatorResponse Api(SimulatorRequest request)
    {
        var token = request.Headers.TryGetValue("Authorization", out var authorization) && authorization.StartsWith("Bearer ", StringComparison.Ordinal)
            ? authorization["Bearer ".Length..]
            : null;
        if (_restApiDisabled)
        {
            return Errors(401, "INVALID_SESSION_ID", "This session is not valid for use with the REST API");
        }

        if (token is null || !_sessions.Contains(token))
        {
            return Errors(401, "INVALID_SESSION_ID", "Session expired or invalid");
        }

        // The allocation is soft: an org may run past it (Sforce-Limit-Info then reports more than the maximum) until the
        // overage allowance is spent too; only then is every call refused.
        var now = TimeProvider.GetUtcNow();
        if (_org.ApiUsage(now) >= _options.DailyApiAllocation + (long)(_options.DailyApiAllocation * _options.DailyApiOverage))
        {
            CountRateLimitExceeded();
            return Errors(403, "REQUEST_LIMIT_EXCEEDED", "TotalRequests Limit exceeded.");
        }

        _org.CountRequests(now);
        var retention = TimeProvider.GetUtcNow() - _options.RecycleBinRetention;
        _org.Purge(r => r.SystemModstamp < retention);
        foreach (var injected in _injected)
        {
            if (injected.Remaining > 0 && (injected.When is null || injected.When(request)))
            {
                injected.Remaining--;
                _injected.RemoveAll(i => i.Remaining == 0);
                return Errors(injected.StatusCode, injected.ErrorCode, injected.Message);
            }
        }

        // /services/data/v65.0/<rest>
        var afterPrefix = request.Path[DataPrefix.Length..];
        var slash = afterPrefix.IndexOf('/', StringComparison.Ordinal);
        if (slash < 0)
        {
            return NotFound();
        }

        var version = afterPrefix[..slash];
        var segments = afterPrefix[(slash + 1)..].Split('/', StringSplitOptions.RemoveEmptyEntries).Select(Uri.UnescapeDataString).ToArray();
        return (request.Method, segments) switch
        {
            ("PATCH", ["sobjects", var type, var field, var value]) => UpsertOne(request, type, field, value, version),
            ("PATCH", ["sobjects", var type, var id]) => UpdateOne(request, type, id),
            ("PATCH", ["composite", "sobjects", var type, var field]) => UpsertMany(request, type, field),
            ("PATCH", ["composite", "sobjects"]) => UpdateMany(request),
            ("DELETE", ["composite", "sobjects"]) => DeleteMany(request),
            ("GET", ["query" or "queryAll"]) => Query(request, version, includeDeleted: segments[0] == "queryAll"),
            ("GET", ["sobjects", var type, "deleted"]) => Deleted(request, type),
            ("GET", ["limits"]) => Limits(),
            ("GET", ["sobjects", var type, "describe"]) => _org.IsKnownObject(type) ? SimulatorResponse.Json(_org.Schema.Describe(type)) : NotFound(),
            ("GET", ["query" or "queryAll", var locator]) => NextPage(locator, version),
            _ => NotFound(),
        };
    }

    private SimulatorResponse UpsertOne(SimulatorRequest request, string type, string field, string value, string version)
    {
        if (!_org.IsKnownObject(type))
        {
            return NotFound();
        }

        if (!string.Equals(field, _org.ExternalIdField(type), StringComparison.OrdinalIgnoreCase))
        {
            return NoExternalIdField(field);
        }

        if (request.ReadJson() is not JsonObject body)
        {
            return Errors(400, "JSON_PARSER_ERROR", "The request body is not a JSON object.");
        }

        var matches = _org.FindByExternalId(type, _org.ExternalIdField(type), value);
        if (matches.Count > 1)
        {
            var urls = new JsonArray(matches.Select(m => (JsonNode?)JsonValue.Create($"/services/data/v{version}/sobjects/{m.SObject}/{m.Id}")).ToArray());
            return SimulatorResponse.Json(urls, 300);
        }

        if (_recordErrors.TryGetValue(value, out var rejected))
        {
            return SimulatorResponse.Json(new JsonArray(ToRestError(rejected)), 400);
        }

        var errors = _org.Apply(type, matches.FirstOrDefault(), _org.ExternalIdField(type), value, body, TimeProvider.GetUtcNow(), out var written, AllowSave(request), version);
        if (errors.Count > 0)
        {
            return SimulatorResponse.Json(new JsonArray(errors.Select(ToRestError).ToArray()), 400);
        }

        var created = matches.Count == 0;
        return SimulatorResponse.Json(SaveResult(written!.Id, created), created ? 201 : 200);
    }

    /// <summary><c>PATCH /sobjects/{type}/{id}</c>: 204 without a body, 404 when no record has the id, 400 with the error array otherwise.</summary>
    private SimulatorResponse UpdateOne(SimulatorRequest request, string type, string id)
    {
        if (!_org.IsKnownObject(type))
        {
            return NotFound();
        }

        if (_org.Find(id) is not { Uncommitted: false } record || !string.Equals(record.SObject, type, StringComparison.OrdinalIgnoreCase))
        {
            return NotFound();
        }

        if (request.ReadJson() is not JsonObject body)
        {
            return Errors(400, "JSON_PARSER_ERROR", "The request body is not a JSON object.");
        }

        if (record.IsDeleted)
        {
            return Errors(404, "ENTITY_IS_DELETED", "entity is deleted");
        }

        if (RecordError(record) is { } rejected)
        {
            return SimulatorResponse.Json(new JsonArray(ToRestError(rejected)), 400);
        }

        var errors = _org.Update(record, body, TimeProvider.GetUtcNow());
        return errors.Count > 0
            ? SimulatorResponse.Json(new JsonArray(errors.Select(ToRestError).ToArray()), 400)
            : SimulatorResponse.Status(204);
    }

    /// <summary>
    /// <c>PATCH /composite/sobjects</c>: the collections update, up to 200 records of any types, each with
    /// <c>attributes.type</c> and <c>id</c>; one result per record in input order, <c>allOrNone</c> honoured.
    /// </summary>
    private SimulatorResponse UpdateMany(SimulatorRequest request)
    {
        if (request.ReadJson() is not JsonObject body || body["records"] is not JsonArray records)
        {
            return Errors(400, "JSON_PARSER_ERROR", "The request body needs a 'records' array.");
        }

        if (records.Count > 200)
        {
            return Errors(400, "EXCEEDED_ID_LIMIT", "record limit reached. cannot submit more than 200 records into this call");
        }

        var allOrNone = body["allOrNone"]?.GetValue<bool>() == true;
        var results = new JsonArray();
        var rollback = new List<Action>();
        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var node in records)
        {
            var id = (node as JsonObject)?["id"]?.ToString();
            JsonObject? error = null;
            if (node is not JsonObject record || id is null)
            {
                error = SalesforceOrg.Error("MISSING_ARGUMENT", "Id not specified in an update call", ["Id"]);
            }
            else if (record["attributes"]?["type"]?.ToString() is not { } declared || !_org.IsKnownObject(declared))
            {
                error = SalesforceOrg.Error("INVALID_TYPE", "Each record needs attributes.type", []);
            }
            else if (!seen.Add(id))
            {
                error = SalesforceOrg.Error("DUPLICATE_VALUE", "Maximum number of duplicate updates in one batch (1 allowed). Attempt to update Id more than once in this API call: " + id, []);
            }
            else if (_org.Find(id) is not { Uncommitted: false } existing || !string.Equals(existing.SObject, declared, StringComparison.OrdinalIgnoreCase))
            {
                error = SalesforceOrg.Error("ENTITY_IS_DELETED", "entity is deleted", []);
            }
            else if (RecordError(existing) is { } rejected)
            {
                error = (JsonObject)rejected.DeepClone();
            }
            else
            {
                var undo = _org.RollbackPoint(existing);
                var errors = _org.Update(existing, record, TimeProvider.GetUtcNow());
                if (errors.Count == 0)
                {
                    rollback.Add(undo);
                    results.Add(new JsonObject { ["id"] = existing.Id, ["success"] = true, ["errors"] = new JsonArray() });
                    continue;
                }

                results.Add(new JsonObject { ["id"] = id, ["success"] = false, ["errors"] = new JsonArray(errors.ToArray<JsonNode?>()) });
                continue;
            }

            results.Add(new JsonObject { ["id"] = id, ["success"] = false, ["errors"] = new JsonArray(error) });
        }

        return Finish(results, rollback, allOrNone);
    }

    /// <summary>
    /// <c>DELETE /composite/sobjects?ids=…&amp;allOrNone=false</c>: up to 200 records to the Recycle Bin (an Account takes its
    /// Contacts along), one result per id in input order.
    /// </summary>
    private SimulatorResponse DeleteMany(SimulatorRequest request)
    {
        var ids = request.Query.TryGetValue("ids", out var list) ? list.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries) : [];
        if (ids.Length == 0)
        {
            return Errors(400, "MISSING_ARGUMENT", "ids parameter is required");
        }

        if (ids.Length > 200)
        {
            return Errors(400, "EXCEEDED_ID_LIMIT", "record limit reached. cannot submit more than 200 records into this call");
        }

        var results = new JsonArray();
        foreach (var id in ids)
        {
            if (_org.Find(id) is not { Uncommitted: false } record || record.IsDeleted)
            {
                results.Add(new JsonObject { ["id"] = id, ["success"] = false, ["errors"] = new JsonArray(SalesforceOrg.Error("ENTITY_IS_DELETED", "entity is deleted", [])) });
                continue;
            }

            _org.Delete(record, TimeProvider.GetUtcNow());
            results.Add(new JsonObject { ["id"] = record.Id, ["success"] = true, ["errors"] = new JsonArray() });
        }

        return SimulatorResponse.Json(results);
    }

    /// <summary>The per-record error <see cref="RejectRecord"/> set for <paramref name="record"/>'s external id, if any.</summary>
    private JsonObject? RecordError(SimRecord record) =>
        record.Fields.GetValueOrDefault(_org.ExternalIdField(record.SObject)) is string key && _recordErrors.TryGetValue(key, out var rejected) ? rejected : null;

    private SimulatorResponse UpsertMany(SimulatorRequest request, string type, string field)
    {
        if (!_org.IsKnownObject(type))
        {
            return NotFound();
        }

        if (!string.Equals(field, _org.ExternalIdField(type), StringComparison.OrdinalIgnoreCase))
        {
            return NoExternalIdField(field);
        }

        if (request.ReadJson() is not JsonObject body || body["records"] is not JsonArray records)
        {
            return Errors(400, "JSON_PARSER_ERROR", "The request body needs a 'records' array.");
        }

        if (records.Count > 200)
        {
            return Errors(400, "EXCEEDED_ID_LIMIT", "record limit reached. cannot submit more than 200 records into this call");
        }

        var allOrNone = body["allOrNone"]?.GetValue<bool>() == true;
        var externalIdField = _org.ExternalIdField(type);
        var keys = records.Select(r => (r as JsonObject)?[externalIdField]?.ToString()).ToList();
        var results = new JsonArray();
        var rollback = new List<Action>();
        foreach (var (node, index) in records.Select((r, i) => (r, i)))
        {
            var key = keys[index];
            JsonObject? error = null;
            if (node is not JsonObject record || key is null)
            {
                error = SalesforceOrg.Error("MISSING_ARGUMENT", $"{externalIdField} not specified", [externalIdField]);
            }
            else if (record["attributes"]?["type"]?.ToString() is not { } declared || !string.Equals(declared, type, StringComparison.OrdinalIgnoreCase))
            {
                error = SalesforceOrg.Error("INVALID_TYPE", "Each record needs attributes.type " + type, []);
            }
            else if (keys.Count(k => k == key) > 1)
            {
                // Guessed code (facts page: "DUPLICATE_EXTERNAL_ID, unverified").
                error = SalesforceOrg.Error("DUPLICATE_EXTERNAL_ID", $"Duplicate external id specified: {key}", [externalIdField]);
            }
            else if (_recordErrors.TryGetValue(key, out var rejected))
            {
                error = (JsonObject)rejected.DeepClone();
            }
            else
            {
                var matches = _org.FindByExternalId(type, externalIdField, key);
                if (matches.Count > 1)
                {
                    error = SalesforceOrg.Error("DUPLICATE_EXTERNAL_ID", $"{externalIdField} {key} matches {matches.Count} records", [externalIdField]);
                }
                else
                {
                    var undo = matches.FirstOrDefault() is { } existing ? _org.RollbackPoint(existing) : null;
                    var errors = _org.Apply(type, matches.FirstOrDefault(), externalIdField, key, record, TimeProvider.GetUtcNow(), out var written, AllowSave(request));
                    if (errors.Count > 0)
                    {
                        results.Add(new JsonObject { ["id"] = null, ["success"] = false, ["errors"] = new JsonArray(errors.ToArray<JsonNode?>()), ["created"] = false });
                        continue;
                    }

                    var created = matches.Count == 0;
                    rollback.Add(undo ?? (() => _org.Discard(written!)));
                    results.Add(SaveResult(written!.Id, created));
                    continue;
                }
            }

            results.Add(new JsonObject { ["id"] = null, ["success"] = false, ["errors"] = new JsonArray(error), ["created"] = false });
        }

        return Finish(results, rollback, allOrNone);
    }

    private static SimulatorResponse Finish(JsonArray results, List<Action> rollback, bool allOrNone)
    {
        if (allOrNone && results.Any(r => r!["success"]!.GetValue<bool>() == false))
        {
            foreach (var undo in rollback)
            {
                undo();
            }

            var rolledBack = new JsonArray();
            foreach (var result in results)
            {
                rolledBack.Add(result!["success"]!.GetValue<bool>()
                    ? new JsonObject { ["id"] = null, ["success"] = false, ["errors"] = new JsonArray(SalesforceOrg.Error("ALL_OR_NONE_OPERATION_ROLLED_BACK", "Record rolled back because not all records were valid and the request was using AllOrNone header", [])), ["created"] = false }
                    : result.DeepClone());
            }

            return SimulatorResponse.Json(rolledBack);
        }

        return SimulatorResponse.Json(results);
    }

    private SimulatorResponse Query(SimulatorRequest request, string version, bool includeDeleted)
    {
        if (!request.Query.TryGetValue("q", out var soql) || string.IsNullOrWhiteSpace(soql))
        {
            return Errors(400, "MALFORMED_QUERY", "A query string has to be specified");
        }

        SoqlQuery query;
        try
        {
            query = SoqlQuery.Parse(soql);
        }
        catch (FormatException ex)
        {
            return Errors(400, "MALFORMED_QUERY", ex.Message);
        }

        if (!_org.IsKnownObject(query.SObject))
        {
            return Errors(400, "INVALID_TYPE", $"sObject type '{query.SObject}' is not supported.");
        }

        foreach (var field in query.Fields.Concat(query.OrderBy.Select(o => o.Field)))
        {
            if (!_org.IsKnownField(query.SObject, field))
            {
                return Errors(400, "INVALID_FIELD", $"No such column '{field}' on entity '{query.SObject}'. If you are attempting to use a custom field, be sure to append the '__c' after the custom field name.");
            }
        }

        IEnumerable<SimRecord> rows = _org.Records(query.SObject).Where(r => !r.Uncommitted && (includeDeleted || !r.IsDeleted));
        if (query.Where is { } where)
        {
            rows = rows.Where(r => where(r.Get));
        }

        var list = rows.ToList();
        if (query.OrderBy.Count > 0)
        {
            list.Sort((a, b) =>
            {
                foreach (var (field, descending) in query.OrderBy)
                {
                    var order = SoqlQuery.CompareValues(a.Get(field), b.Get(field));
                    if (order != 0)
                    {
                        return descending ? -order : order;
                    }
                }

                return 0;
            });
        }

        if (query.Limit is { } limit)
        {
            list = list.Take(limit).ToList();
        }

        var rendered = list.Select(r => r.Render(query.Fields, version, f => _org.Schema.Spelling(query.SObject, f))).ToList();
        var pageSize = PageSize(request);
        if (rendered.Count <= pageSize)
        {
            return SimulatorResponse.Json(Page(rendered, rendered.Count, done: true, next: null));
        }

        if (_options.MaxOpenQueryCursors is { } bound && _cursors.Count >= bound)
        {
            // Close the cursor used longest ago: its next page is INVALID_QUERY_LOCATOR, and its rows are freed.
            _cursors.Remove(_cursors.MinBy(c => c.Value.LastUsed).Key);
        }

        var locator = string.Create(CultureInfo.InvariantCulture, $"01gSIM{++_cursorCounter:D12}");
        _cursors[locator] = (rendered, pageSize, _cursorCounter);
        return SimulatorResponse.Json(Page(rendered.Take(pageSize), rendered.Count, done: false, next: NextUrl(version, locator, pageSize)));
    }

    /// <summary>
    /// <c>GET /sobjects/{type}/deleted/?start=…&amp;end=…</c>: the records deleted in the window that the delete log still
    /// holds, <c>earliestDateAvailable</c> (when the last record purged from it had been deleted) and
    /// <c>latestDateCovered</c>; <c>INVALID_REPLICATION_DATE</c> unless start precedes end by more than a minute.
    /// </summary>
    private SimulatorResponse Deleted(SimulatorRequest request, string type)
    {
        if (!_org.IsKnownObject(type))
        {
            return NotFound();
        }

        if (!request.Query.TryGetValue("start", out var startText) || !request.Query.TryGetValue("end", out var endText)
            || !DateTimeOffset.TryParse(startText, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var start)
            || !DateTimeOffset.TryParse(endText, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var end))
        {
            return Errors(400, "MALFORMED_QUERY", "start and end are required date-times");
        }

        if (end - start <= TimeSpan.FromMinutes(1))
        {
            return Errors(400, "INVALID_REPLICATION_DATE", "startDate must chronologically precede endDate by more than one minute");
        }

        var deleted = new JsonArray();
        foreach (var record in _org.Records(type).Where(r => r.IsDeleted && !r.Uncommitted && r.SystemModstamp >= start && r.SystemModstamp <= end))
        {
            deleted.Add(new JsonObject { ["id"] = record.Id, ["deletedDate"] = SimRecord.FormatDateTime(record.SystemModstamp) });
        }

        var earliest = _org.LastPurged.TryGetValue(type, out var purged) ? purged : _created - _options.RecycleBinRetention;
        return SimulatorResponse.Json(new JsonObject
        {
            ["deletedRecords"] = deleted,
            ["earliestDateAvailable"] = SimRecord.FormatDateTime(earliest),
            ["latestDateCovered"] = SimRecord.FormatDateTime(end),
        });
    }

    /// <summary><c>GET /limits</c>: <c>DailyApiRequests</c> with <c>Max</c> and <c>Remaining</c> (negative once usage runs past the allocation).</summary>
    private SimulatorResponse Limits()
    {
        var used = _org.ApiUsage(TimeProvider.GetUtcNow());
        return SimulatorResponse.Json(new JsonObject
        {
            ["DailyApiRequests"] = new JsonObject { ["Max"] = _options.DailyApiAllocation, ["Remaining"] = _options.DailyApiAllocation - used },
            ["DailyBulkV2QueryJobs"] = new JsonObject { ["Max"] = 10_000, ["Remaining"] = 10_000 },
        });
    }

    private SimulatorResponse NextPage(string locatorAndOffset, string version)
    {
        var dash = locatorAndOffset.LastIndexOf('-');
        if (dash < 0 || !int.TryParse(locatorAndOffset.AsSpan(dash + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var offset)
            || !_cursors.TryGetValue(locatorAndOffset[..dash], out var cursor) || offset > cursor.Rows.Count)
        {
            return Errors(400, "INVALID_QUERY_LOCATOR", "invalid query locator");
        }

        _cursors[locatorAndOffset[..dash]] = cursor with { LastUsed = ++_cursorCounter };
        var end = offset + cursor.PageSize;
        var done = end >= cursor.Rows.Count;
        return SimulatorResponse.Json(Page(
            cursor.Rows.Skip(offset).Take(cursor.PageSize),
            cursor.Rows.Count,
            done,
            done ? null : NextUrl(version, locatorAndOffset[..dash], end)));
    }

    private SimulatorResponse Token(SimulatorRequest request)
    {
        var form = ParseForm(request.Body);
        var host = request.Headers.TryGetValue("Host", out var h) ? h : string.Empty;
        var onMyDomain = host.StartsWith("127.0.0.1", StringComparison.Ordinal);
        var grant = form.GetValueOrDefault("grant_type");
        var clientId = form.GetValueOrDefault("client_id");
        var clientSecret = form.GetValueOrDefault("client_secret");
        if (request.Headers.TryGetValue("Authorization", out var basic) && basic.StartsWith("Basic ", StringComparison.Ordinal))
        {
            var pair = Encoding.UTF8.GetString(Convert.FromBase64String(basic["Basic ".Length..])).Split(':', 2);
            clientId = Uri.UnescapeDataString(pair[0]);
            clientSecret = pair.Length > 1 ? Uri.UnescapeDataString(pair[1]) : null;
        }

        switch (grant)
        {
            case null or "":
                return OAuthError("invalid_request", "grant type is missing");
            case "client_credentials":
                if (!onMyDomain)
                {
                    return OAuthError("invalid_grant", "request not supported on this domain");
                }

                if (clientId != _options.ConsumerKey)
                {
                    return OAuthError("invalid_client_id", "client identifier invalid");
                }

                if (clientSecret != _options.ConsumerSecret)
                {
                    return OAuthError("invalid_client", "invalid client credentials");
                }

                return IssueToken(lean: false);
            case "urn:ietf:params:oauth:grant-type:jwt-bearer":
                if (JwtVerifier.Verify(form.GetValueOrDefault("assertion") ?? string.Empty, _jwtKey, _options, TimeProvider.GetUtcNow()) is { } failure)
                {
                    return OAuthError(failure.Error, failure.Description);
                }

                return IssueToken(lean: true);
            case "refresh_token":
                if (clientId != _options.ConsumerKey)
                {
                    return OAuthError("invalid_client_id", "client identifier invalid");
                }

                if (clientSecret is not null && clientSecret != _options.ConsumerSecret)
                {
                    return OAuthError("invalid_client", "invalid client credentials");
                }

                _liveRefreshToken ??= _options.RefreshToken;
                if (form.GetValueOrDefault("refresh_token") != _liveRefreshToken)
                {
                    return OAuthError("invalid_grant", "expired access/refresh token");
                }

                var answer = IssueToken(lean: false);
                if (!_options.RotateRefreshTokens)
                {
                    return answer;
                }

                // Rotation: a new refresh token comes with the access token, and the one just used dies.
                _liveRefreshToken = "5Aep861SIM." + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
                var body = (JsonObject)JsonNode.Parse(answer.Body!)!;
                body["refresh_token"] = _liveRefreshToken;
                return SimulatorResponse.Json(body);
            default:
                return OAuthError("unsupported_grant_type", "grant type not supported");
        }
    }

    private SimulatorResponse IssueToken(bool lean)
    {
        var token = $"{SalesforceOrg.OrgId}!SIM.{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(24))}";
        _sessions.Add(token);
        var instance = (_options.InstanceUrlOverride ?? MyDomainUrl).GetLeftPart(UriPartial.Authority);
        var id = $"https://login.salesforce.com/id/{SalesforceOrg.OrgId}/{SalesforceOrg.IntegrationUserId}";
        var body = new JsonObject
        {
            ["access_token"] = token,
            ["scope"] = "api",
            ["instance_url"] = instance,
            ["id"] = id,
            ["token_type"] = "Bearer",
        };
        if (!lean)
        {
            var issuedAt = TimeProvider.GetUtcNow().ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture);
            body["issued_at"] = issuedAt;
            body["signature"] = Convert.ToBase64String(HMACSHA256.HashData(Encoding.UTF8.GetBytes(_options.ConsumerSecret), Encoding.UTF8.GetBytes(id + issuedAt)));
        }

        return SimulatorResponse.Json(body);
    }

    private static Dictionary<string, string> ParseForm(string? body)
    {
        var form = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var pair in (body ?? string.Empty).Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var equals = pair.IndexOf('=', StringComparison.Ordinal);
            var key = Uri.UnescapeDataString((equals < 0 ? pair : pair[..equals]).Replace('+', ' '));
            var value = equals < 0 ? string.Empty : Uri.UnescapeDataString(pair[(equals + 1)..].Replace('+', ' '));
            form[key] = value;
        }

        return form;
    }

    private int PageSize(SimulatorRequest request)
    {
        const int Default = 2000;
        if (request.Headers.TryGetValue("Sforce-Query-Options", out var header))
        {
            var start = header.IndexOf("batchSize=", StringComparison.OrdinalIgnoreCase);
            if (start >= 0 && int.TryParse(header.AsSpan(start + "batchSize=".Length).TrimEnd(), NumberStyles.None, CultureInfo.InvariantCulture, out var size))
            {
                return Math.Clamp(size, 200, Default);
            }
        }

        return Default;
    }

    private static string NextUrl(string version, string locator, int offset) =>
        string.Create(CultureInfo.InvariantCulture, $"/services/data/v{version}/query/{locator}-{offset}");

    private static JsonObject Page(IEnumerable<JsonObject> rows, int total, bool done, string? next)
    {
        var page = new JsonObject { ["totalSize"] = total, ["done"] = done };
        if (next is not null)
        {
            page["nextRecordsUrl"] = next;
        }

        page["records"] = new JsonArray(rows.Select(r => (JsonNode?)r.DeepClone()).ToArray());
        return page;
    }

    private static JsonObject SaveResult(string id, bool created) =>
        new() { ["id"] = id, ["success"] = true, ["errors"] = new JsonArray(), ["created"] = created };

    private static JsonNode ToRestError(JsonObject perRecord)
    {
        var error = new JsonObject();
        if (perRecord["duplicateResut"] is { } duplicates)
        {
            error["duplicateResut"] = duplicates.DeepClone();
        }

        error["errorCode"] = perRecord["statusCode"]?.DeepClone();
        error["message"] = perRecord["message"]?.DeepClone();
        error["fields"] = perRecord["fields"]?.DeepClone() ?? new JsonArray();
        return error;
    }

    /// <summary>Whether the call carries <c>Sforce-Duplicate-Rule-Header: allowSave=true</c>.</summary>
    private static bool AllowSave(SimulatorRequest request) =>
        request.Headers.TryGetValue("Sforce-Duplicate-Rule-Header", out var header)
        && header.Split(';').Any(p => p.Trim().Equals("allowSave=true", StringComparison.OrdinalIgnoreCase));

    private static SimulatorResponse Errors(int status, string errorCode, string message) =>
        SimulatorResponse.Json(new JsonArray(new JsonObject { ["message"] = message, ["errorCode"] = errorCode }), status);

    private static SimulatorResponse NotFound() => Errors(404, "NOT_FOUND", "The requested resource does not exist");

    /// <summary>An upsert keyed on a field the object does not have as an external id (or the user cannot see).</summary>
    private static SimulatorResponse NoExternalIdField(string field) =>
        Errors(404, "NOT_FOUND", "Provided external ID field does not exist or is not accessible: " + field);

    private static SimulatorResponse OAuthError(string error, string description) =>
        SimulatorResponse.Json(new JsonObject { ["error"] = error, ["error_description"] = description }, 400);

    private void Merge(SimRecord record, IReadOnlyDictionary<string, object?>? fields)
    {
        if (fields is null)
        {
            return;
        }

        var values = new Dictionary<string, object?>(fields, StringComparer.OrdinalIgnoreCase);
        if (_options.StateAndCountryPicklists)
        {
            // A seeded code brings its name along and a seeded name its code, as a save would (no error: seeds may be anything).
            foreach (var prefix in record.SObject == "Account" ? (string[])["Billing", "Shipping"] : ["Mailing", "Other"])
            {
                SalesforceOrg.ApplyAddressPicklists(prefix, record, values, errors: null);
            }
        }

        foreach (var (key, value) in values)
        {
            if (string.Equals(key, "AccountId", StringComparison.OrdinalIgnoreCase))
            {
                record.AccountId = value?.ToString();
            }
            else
            {
                _org.Set(record, key, value switch
                {
                    int number => (decimal)number,
                    long number => (decimal)number,
                    double number => (decimal)number,
                    _ => value,
                });
            }
        }
    }

    private List<SalesforceSimRecord> Snapshot(string sObject)
    {
        lock (_gate)
        {
            return _org.Records(sObject).Select(r => r.Snapshot()).ToList();
        }
    }

    private sealed class InjectedError(int count, int statusCode, string errorCode, string message, Func<SimulatorRequest, bool>? when)
    {
        public int Remaining { get; set; } = count;

        public int StatusCode { get; } = statusCode;

        public string ErrorCode { get; } = errorCode;

        public string Message { get; } = message;

        public Func<SimulatorRequest, bool>? When { get; } = when;
    }
}
