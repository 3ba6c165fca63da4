using System.Collections.Immutable;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Concord.Testing.Zendesk.Internal;

namespace Concord.Testing.Zendesk;

/// <summary>
/// A stateful fake Zendesk Support account on 127.0.0.1, written from Concord's Zendesk facts page: organizations,
/// end users with their email identities and organization memberships, organization and user fields; single writes
/// (<c>create_or_update</c>, update, delete, merge) and <c>*_many</c> writes as asynchronous jobs that go
/// <c>queued</c> → <c>working</c> → <c>completed</c>/<c>failed</c> with per-item results kept a day, polled one by one or
/// with <c>job_statuses/show_many</c>, at most 30 in flight (<c>TooManyJobs</c>); 422 <c>RecordInvalid</c> with
/// <c>details</c> (<c>DuplicateValue</c>, <c>InvalidValue</c>, <c>BlankValue</c>); the incremental exports
/// (organizations by time, users by time and by cursor) with boundary duplicates and the one-minute rule; the OAuth
/// token endpoint with refresh-token rotation and API-token (Basic) access; the plan's per-minute budget, the
/// incremental family's 10 a minute and the per-record update limits, all enforced with 429 and <c>Retry-After</c>; and
/// the shared <see cref="FaultPlan"/>, whose injected 429s and 5xx carry Zendesk's bodies and headers.
/// </summary>
/// <remarks>What the facts page leaves open and the simulator had to guess is listed in the Testing package README.</remarks>
public sealed partial class ZendeskSimulator : SimulatorBase
{
    private const string ApiPrefix = "/api/v2/";
    private static readonly TimeSpan Minute = TimeSpan.FromMinutes(1);

    private readonly ZendeskSimulatorOptions _options;
    private readonly Lock _gate = new();
    private readonly string _baseUrl;
    private readonly Dictionary<long, SimOrganization> _organizations = [];
    private readonly Dictionary<long, SimUser> _users = [];
    private readonly List<SimIdentity> _identities = [];
    private readonly List<SimMembership> _memberships = [];
    private readonly List<SimField> _organizationFields = [];
    private readonly List<SimField> _userFields = [];
    private readonly Dictionary<string, SimJob> _jobs = new(StringComparer.Ordinal);
    private readonly List<SimJob> _jobOrder = [];
    private readonly Dictionary<string, IssuedToken> _accessTokens = new(StringComparer.Ordinal);
    private readonly Dictionary<string, IssuedToken> _refreshTokens = new(StringComparer.Ordinal);
    private readonly RequestWindow _minute;
    private readonly RequestWindow _incremental = new(Minute);
    private readonly RequestWindow _userWrites = new(TimeSpan.FromSeconds(1));
    private readonly Dictionary<string, (string Field, string Error, string Description)> _rejections = new(StringComparer.OrdinalIgnoreCase);
    private readonly List<Injected> _injected = [];
    private long _nextOrganizationId = 360_000_000_000;
    private long _nextUserId = 370_000_000_000;
    private long _nextIdentityId = 380_000_000_000;
    private long _nextMembershipId = 390_000_000_000;
    private long _nextFieldId = 350_000_000;
    private int _jobsToFail;
    private int _resultsToDrop;
    private int _peakRunningJobs;
    private Random? _shuffle;
    private int _tokenRequests;
    private int _refreshes;
    private int _throttled;
    private int _jobsCreated;
    private int _cursorGeneration;

    /// <summary>Starts a simulator with default options.</summary>
    public ZendeskSimulator()
        : this(new ZendeskSimulatorOptions())
    {
    }

    /// <summary>Starts a simulator with <paramref name="options"/>.</summary>
    /// <param name="options">The account's credentials, limits, job timing and clock.</param>
    public ZendeskSimulator(ZendeskSimulatorOptions options)
        : base(new SimulatorOptions { TimeProvider = (options ?? throw new ArgumentNullException(nameof(options))).TimeProvider, Seed = options.Seed })
    {
        _options = options;
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(options.RateLimitWindow, TimeSpan.Zero, "options.RateLimitWindow");
        _minute = new RequestWindow(options.RateLimitWindow);
        _baseUrl = BaseAddress.GetLeftPart(UriPartial.Authority);
        CurrentRefreshToken = options.RefreshToken;
        _refreshTokens[options.RefreshToken] = new IssuedToken(null, options.RefreshToken, options.Scopes, DateTimeOffset.MaxValue, DateTimeOffset.MaxValue);
        Webhooks = new ZendeskSimulatedWebhooks(options.TimeProvider);
    }

    /// <summary>The options the simulator runs with.</summary>
    public ZendeskSimulatorOptions Options => _options;

    /// <summary>The webhooks: changes made with the helpers below (as an agent would) are sent to them as Zendesk does.</summary>
    public ZendeskSimulatedWebhooks Webhooks { get; }

    /// <inheritdoc />
    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            Webhooks.Stop();
        }

        base.Dispose(disposing);
    }

    /// <summary>The refresh token that works now: the configured one until the first refresh, then the newest issued.</summary>
    public string CurrentRefreshToken { get; private set; }

    /// <summary>How many requests reached <c>POST /oauth/tokens</c>.</summary>
    public int TokenRequests => Volatile.Read(ref _tokenRequests);

    /// <summary>How many refresh-token grants succeeded (each rotated the pair).</summary>
    public int Refreshes => Volatile.Read(ref _refreshes);

    /// <summary>How many requests the simulator's own limits answered with 429 (the fault plan's injected ones not counted).</summary>
    public int Throttled => Volatile.Read(ref _throttled);

    /// <summary>How many jobs the account accepted.</summary>
    public int JobsCreated => Volatile.Read(ref _jobsCreated);

    /// <summary>The most API requests seen in any one-minute span.</summary>
    public int PeakRequestsPerMinute
    {
        get
        {
            lock (_gate)
            {
                return _minute.Peak;
            }
        }
    }

    /// <summary>The organizations, deleted ones included, in creation order.</summary>
    public IReadOnlyList<ZendeskSimOrganization> Organizations
    {
        get
        {
            lock (_gate)
            {
                return [.. _organizations.Values.OrderBy(o => o.Id).Select(Snapshot)];
            }
        }
    }

    /// <summary>The users, inactive ones included, in creation order.</summary>
    public IReadOnlyList<ZendeskSimUser> Users
    {
        get
        {
            lock (_gate)
            {
                return [.. _users.Values.OrderBy(u => u.Id).Select(Snapshot)];
            }
        }
    }

    /// <summary>The organization with <paramref name="id"/>, or <see langword="null"/>.</summary>
    /// <param name="id">The organization id.</param>
    /// <returns>The snapshot.</returns>
    public ZendeskSimOrganization? Organization(long id)
    {
        lock (_gate)
        {
            return _organizations.TryGetValue(id, out var organization) ? Snapshot(organization) : null;
        }
    }

    /// <summary>The user with <paramref name="id"/>, or <see langword="null"/>.</summary>
    /// <param name="id">The user id.</param>
    /// <returns>The snapshot.</returns>
    public ZendeskSimUser? User(long id)
    {
        lock (_gate)
        {
            return _users.TryGetValue(id, out var user) ? Snapshot(user) : null;
        }
    }

    /// <summary>The live organizations whose external id is <paramref name="externalId"/> (case-insensitive).</summary>
    /// <param name="externalId">The external id.</param>
    /// <returns>The organizations (more than one only if seeded so, which Zendesk would refuse).</returns>
    public IReadOnlyList<ZendeskSimOrganization> OrganizationsWithExternalId(string externalId)
    {
        lock (_gate)
        {
            return [.. _organizations.Values.Where(o => o.DeletedAt is null && SameKey(o.ExternalId, externalId)).Select(Snapshot)];
        }
    }

    /// <summary>The active users whose external id is <paramref name="externalId"/> (case-insensitive).</summary>
    /// <param name="externalId">The external id.</param>
    /// <returns>The users.</returns>
    public IReadOnlyList<ZendeskSimUser> UsersWithExternalId(string externalId)
    {
        lock (_gate)
        {
            return [.. _users.Values.Where(u => u.Active && SameKey(u.ExternalId, externalId)).Select(Snapshot)];
        }
    }

    /// <summary>Creates an organization directly, as an agent would (no API usage).</summary>
    /// <param name="name">Its name (unique).</param>
    /// <param name="externalId">Its external id, or <see langword="null"/>.</param>
    /// <param name="domainNames">Its domain names.</param>
    /// <param name="fields">Its <c>organization_fields</c> values (the keys are defined as text fields if unknown).</param>
    /// <returns>The new organization's id.</returns>
    public long SeedOrganization(string name, string? externalId = null, IEnumerable<string>? domainNames = null, IReadOnlyDictionary<string, string?>? fields = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        lock (_gate)
        {
            var now = Now();
            var organization = new SimOrganization { Id = ++_nextOrganizationId, Name = name.Trim(), ExternalId = externalId, CreatedAt = now, UpdatedAt = now };
            organization.DomainNames.AddRange(domainNames ?? []);
            foreach (var (key, value) in fields ?? ImmutableDictionary<string, string?>.Empty)
            {
                EnsureField(_organizationFields, key);
                organization.Fields[key] = value;
            }

            _organizations[organization.Id] = organization;
            SendCreated(organization);
            return organization.Id;
        }
    }

    /// <summary>Creates an end user directly (no API usage), with a verified primary email identity.</summary>
    /// <param name="name">Its name.</param>
    /// <param name="email">Its primary email, or <see langword="null"/>.</param>
    /// <param name="externalId">Its external id, or <see langword="null"/>.</param>
    /// <param name="organizationId">Its default organization, or <see langword="null"/>.</param>
    /// <returns>The new user's id.</returns>
    /// <exception cref="ArgumentException">Zendesk would refuse the user: its email is another user's identity, or its external id another user's.</exception>
    public long SeedUser(string name, string? email = null, string? externalId = null, long? organizationId = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        lock (_gate)
        {
            // One email identity belongs to one user, one external id to one user: as Zendesk answers on create.
            var details = new JsonObject();
            if (email is not null && UserWithEmail(email) is not null)
            {
                ZendeskErrors.Add(details, "email", "DuplicateValue", $"Email: {email} is already being used by another user");
            }

            if (externalId is not null && _users.Values.Any(u => u.Active && SameKey(u.ExternalId, externalId)))
            {
                ZendeskErrors.Add(details, "external_id", "DuplicateValue", $"External ID: {externalId} has already been taken");
            }

            if (details.Count > 0)
            {
                throw new ArgumentException($"Zendesk would refuse the user: {details.ToJsonString()}", nameof(email));
            }

            var now = Now();
            var user = new SimUser { Id = ++_nextUserId, Name = name, ExternalId = externalId, CreatedAt = now, UpdatedAt = now, Verified = true };
            _users[user.Id] = user;
            if (email is not null)
            {
                AddIdentity(user, email, primary: true, verified: true, now);
            }

            if (organizationId is { } org)
            {
                SetDefaultOrganization(user, org, now);
            }

            SendCreated(user);
            return user.Id;
        }
    }

    /// <summary>Changes an organization as an agent would (moves <c>updated_at</c>); values are set as JSON (<see langword="null"/> clears).</summary>
    /// <param name="id">The organization id.</param>
    /// <param name="changes">The organization attributes to set (<c>{"name":"…","organization_fields":{"tier":"gold"}}</c>).</param>
    public void EditOrganization(long id, JsonObject changes)
    {
        ArgumentNullException.ThrowIfNull(changes);
        lock (_gate)
        {
            var organization = _organizations.GetValueOrDefault(id) ?? throw new ArgumentException($"No organization has id {id}.", nameof(id));
            var details = new JsonObject();
            var before = Webhooks.Any ? State(organization) : null;
            if (!ApplyOrganization(organization, changes, details, Now(), force: true))
            {
                throw new ArgumentException($"Zendesk would refuse the change: {details.ToJsonString()}", nameof(changes));
            }

            if (before is not null)
            {
                SendChanges(organization, before);
            }
        }
    }

    /// <summary>Changes a user as an agent would (moves <c>updated_at</c>); <c>organization_id</c> makes that organization the default and removes the others.</summary>
    /// <param name="id">The user id.</param>
    /// <param name="changes">The user attributes to set.</param>
    public void EditUser(long id, JsonObject changes)
    {
        ArgumentNullException.ThrowIfNull(changes);
        lock (_gate)
        {
            var user = _users.GetValueOrDefault(id) ?? throw new ArgumentException($"No user has id {id}.", nameof(id));
            var details = new JsonObject();
            var (before, organizationBefore) = (Webhooks.Any ? State(user) : null, user.OrganizationId);
            if (!ApplyUser(user, changes, details, Now(), creating: false))
            {
                throw new ArgumentException($"Zendesk would refuse the change: {details.ToJsonString()}", nameof(changes));
            }

            if (before is not null)
            {
                SendChanges(user, before, organizationBefore);
            }
        }
    }

    /// <summary>Adds <paramref name="userId"/> to <paramref name="organizationId"/> without changing its default organization.</summary>
    /// <param name="userId">The user.</param>
    /// <param name="organizationId">The organization.</param>
    public void AddMembership(long userId, long organizationId)
    {
        lock (_gate)
        {
            var user = _users.GetValueOrDefault(userId) ?? throw new ArgumentException($"No user has id {userId}.", nameof(userId));
            if (!_memberships.Any(m => m.UserId == userId && m.OrganizationId == organizationId))
            {
                var now = Now();
                _memberships.Add(new SimMembership { Id = ++_nextMembershipId, UserId = userId, OrganizationId = organizationId, Default = user.OrganizationId is null, CreatedAt = now });
                user.OrganizationId ??= organizationId;
                user.UpdatedAt = now;
                Notify("user.organization_membership_created", "zen:user:" + Text(userId), () => Detail(user), new JsonObject { ["organization_id"] = Text(organizationId) });
            }
        }
    }

    /// <summary>Deletes an organization (its members lose the membership; the export shows it with <c>deleted_at</c>).</summary>
    /// <param name="id">The organization id.</param>
    public void DeleteOrganization(long id)
    {
        lock (_gate)
        {
            var organization = _organizations.GetValueOrDefault(id) ?? throw new ArgumentException($"No organization has id {id}.", nameof(id));
            DeleteOrganization(organization, Now());
            Notify("organization.deleted", "zen:organization:" + Text(id), () => Detail(organization), []);
        }
    }

    /// <summary>Soft-deletes a user: <c>active</c> becomes false and it leaves its organizations' member lists.</summary>
    /// <param name="id">The user id.</param>
    public void DeleteUser(long id)
    {
        lock (_gate)
        {
            var user = _users.GetValueOrDefault(id) ?? throw new ArgumentException($"No user has id {id}.", nameof(id));
            user.Active = false;
            user.UpdatedAt = Now();
            Notify("user.deleted", "zen:user:" + Text(id), () => Detail(user), []);
        }
    }

    /// <summary>Merges end user <paramref name="loserId"/> into <paramref name="winnerId"/>: the winner takes the loser's email identities, the loser becomes inactive.</summary>
    /// <param name="loserId">The user merged away.</param>
    /// <param name="winnerId">The user that remains.</param>
    public void MergeUsers(long loserId, long winnerId)
    {
        lock (_gate)
        {
            var loser = _users.GetValueOrDefault(loserId) ?? throw new ArgumentException($"No user has id {loserId}.", nameof(loserId));
            var winner = _users.GetValueOrDefault(winnerId) ?? throw new ArgumentException($"No user has id {winnerId}.", nameof(winnerId));
            Merge(loser, winner, Now());
            Notify("user.merged", "zen:user:" + Text(loserId), () => Detail(loser), new JsonObject { ["current"] = Text(winnerId), ["previous"] = Text(loserId) });
        }
    }

    /// <summary>Defines an organization field (<c>text</c>, <c>integer</c>, <c>decimal</c>, <c>checkbox</c>, <c>date</c>, <c>dropdown</c>).</summary>
    /// <param name="key">The field key.</param>
    /// <param name="type">The field type.</param>
    public void DefineOrganizationField(string key, string type = "text")
    {
        lock (_gate)
        {
            EnsureField(_organizationFields, key, type);
        }
    }

    /// <summary>Defines a user field.</summary>
    /// <param name="key">The field key.</param>
    /// <param name="type">The field type.</param>
    public void DefineUserField(string key, string type = "text")
    {
        lock (_gate)
        {
            EnsureField(_userFields, key, type);
        }
    }

    /// <summary>The keys of the defined organization fields.</summary>
    public IReadOnlyList<string> OrganizationFieldKeys
    {
        get
        {
            lock (_gate)
            {
                return [.. _organizationFields.Select(f => f.Key)];
            }
        }
    }

    /// <summary>The keys of the defined user fields.</summary>
    public IReadOnlyList<string> UserFieldKeys
    {
        get
        {
            lock (_gate)
            {
                return [.. _userFields.Select(f => f.Key)];
            }
        }
    }

    /// <summary>
    /// Makes every write of the organization or user whose external id is <paramref name="externalId"/> fail validation
    /// with <c>details.{field}[0] = {error, description}</c>: alone a 422 <c>RecordInvalid</c>, in a job a failed item.
    /// </summary>
    /// <param name="externalId">The external id (case-insensitive).</param>
    /// <param name="field">The field the error is about (<c>name</c>, <c>notes</c>, …).</param>
    /// <param name="error">The machine code (<c>InvalidValue</c>, <c>BlankValue</c>, …).</param>
    /// <param name="description">The human text.</param>
    public void RejectRecord(string externalId, string field = "notes", string error = "InvalidValue", string description = "Notes: is invalid")
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(externalId);
        lock (_gate)
        {
            _rejections[externalId] = (field, error, description);
        }
    }

    /// <summary>
    /// Answers the next <paramref name="count"/> matching API calls with <paramref name="statusCode"/> and
    /// <paramref name="body"/> (Zendesk's shapes: see <see cref="ConflictNextWrites"/> and the error helpers), after
    /// authentication and the rate limit; nothing is written.
    /// </summary>
    /// <param name="count">How many calls.</param>
    /// <param name="statusCode">The status.</param>
    /// <param name="body">The body (JSON text, or plain text for a <c>text/plain</c> 400).</param>
    /// <param name="when">Which calls; every API call when <see langword="null"/>.</param>
    /// <param name="retryAfter">A <c>Retry-After</c> to send, if any.</param>
    public void FailNextApiCalls(int count, int statusCode, string body, Func<SimulatorRequest, bool>? when = null, TimeSpan? retryAfter = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(count);
        ArgumentNullException.ThrowIfNull(body);
        var json = body.TrimStart().StartsWith('{') || body.TrimStart().StartsWith('[');
        var response = new SimulatorResponse(statusCode, body, json ? "application/json; charset=utf-8" : "text/plain; charset=utf-8");
        if (retryAfter is { } wait)
        {
            response = response.WithHeader("Retry-After", ZendeskErrors.Seconds(wait));
        }

        lock (_gate)
        {
            _injected.Add(new Injected(count, response, when));
        }
    }

    /// <summary>Answers the next <paramref name="count"/> matching writes with 409 <c>{"error":"DatabaseConflict","description":"Database collision"}</c>.</summary>
    /// <param name="count">How many writes.</param>
    /// <param name="when">Which writes; every POST, PUT and DELETE when <see langword="null"/>.</param>
    public void ConflictNextWrites(int count, Func<SimulatorRequest, bool>? when = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(count);
        lock (_gate)
        {
            _injected.Add(new Injected(count, ZendeskErrors.DatabaseConflict(), r => r.Method != "GET" && (when is null || when(r))));
        }
    }

    /// <summary>Makes the next <paramref name="count"/> jobs end <c>failed</c> (with no per-item results) instead of running their items.</summary>
    /// <param name="count">How many jobs.</param>
    public void FailNextJobs(int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(count);
        lock (_gate)
        {
            _jobsToFail += count;
        }
    }

    /// <summary>Makes the next finished job leave out the results of its last <paramref name="count"/> items (the items are still applied).</summary>
    /// <param name="count">How many results to leave out.</param>
    public void DropNextJobResults(int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(count);
        lock (_gate)
        {
            _resultsToDrop = count;
        }
    }

    /// <summary>The most jobs that were queued or working at once.</summary>
    public int PeakRunningJobs
    {
        get
        {
            lock (_gate)
            {
                return _peakRunningJobs;
            }
        }
    }

    /// <summary>Ends every access token now: the next call with one gets 401 <c>Couldn't authenticate you</c> (refresh tokens still work).</summary>
    public void ExpireAccessTokens()
    {
        lock (_gate)
        {
            _accessTokens.Clear();
        }
    }

    /// <summary>Revokes every token: access tokens get 401 and refresh grants <c>invalid_grant</c>.</summary>
    public void RevokeTokens()
    {
        lock (_gate)
        {
            _accessTokens.Clear();
            _refreshTokens.Clear();
        }
    }

    /// <summary>Makes every export cursor issued so far unusable (422 <c>InvalidValue</c>), as an expired cursor would be.</summary>
    public void ExpireExportCursors()
    {
        lock (_gate)
        {
            _cursorGeneration++;
        }
    }

    /// <summary>The status of job <paramref name="id"/> as <c>GET /job_statuses/{id}</c> would render it, or <see langword="null"/>.</summary>
    /// <param name="id">The job id.</param>
    /// <returns>The job status JSON.</returns>
    public JsonObject? JobStatus(string id)
    {
        lock (_gate)
        {
            AdvanceJobs(Clock());
            return _jobs.TryGetValue(id, out var job) ? job.Render(_baseUrl) : null;
        }
    }

    /// <summary>The number of jobs queued or working now.</summary>
    public int RunningJobs
    {
        get
        {
            lock (_gate)
            {
                AdvanceJobs(Clock());
                return _jobOrder.Count(j => j.IsRunning);
            }
        }
    }

    /// <inheritdoc />
    protected override SimulatorResponse CreateFaultResponse(SimulatorRequest request, FaultKind kind, int statusCode, TimeSpan? retryAfter)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (kind == FaultKind.Throttle)
        {
            lock (_gate)
            {
                // Zendesk's own throttle: its errors body, Retry-After, and the budget headers saying nothing is left.
                return WithRateHeaders(ZendeskErrors.TooManyRequests(retryAfter ?? TimeSpan.FromSeconds(1), "Number of allowed API requests per minute exceeded"), Clock(), remaining: 0);
            }
        }

        return statusCode == 503 ? ZendeskErrors.ServiceUnavailable(TimeSpan.FromSeconds(1)) : ZendeskErrors.ServerError(statusCode);
    }

    /// <inheritdoc />
    protected override ValueTask<SimulatorResponse> HandleAsync(SimulatorRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        lock (_gate)
        {
            if (request.Is("POST", "/oauth/tokens"))
            {
                _tokenRequests++;
                return ValueTask.FromResult(Token(request));
            }

            if (!request.Path.StartsWith(ApiPrefix, StringComparison.Ordinal))
            {
                return ValueTask.FromResult(ZendeskErrors.InvalidEndpoint());
            }

            return ValueTask.FromResult(Api(request));
        }
    }

    private SimulatorResponse Api(SimulatorRequest request)
    {
        var clock = Clock();
        var now = SimTime.Truncate(clock);
        AdvanceJobs(clock);
        if (Authenticate(request, clock) is not { } scopes)
        {
            return ZendeskErrors.Unauthorized();
        }

        var segments = Segments(request.Path);
        var resource = segments.Length > 0 ? segments[0] : string.Empty;
        var needed = request.Method == "GET" ? "read" : "write";
        if (!scopes.Contains(needed) && !scopes.Contains($"{resource}:{needed}"))
        {
            return WithRateHeaders(ZendeskErrors.MissingScope(needed), clock);
        }

        if (!_minute.TryTake(clock, _options.EnforceRateLimit ? _options.RequestsPerMinute : int.MaxValue, out var wait))
        {
            _throttled++;
            CountRateLimitExceeded();
            return WithRateHeaders(ZendeskErrors.TooManyRequests(wait, "Number of allowed API requests per minute exceeded"), clock, remaining: 0);
        }

        if (resource == "incremental" && !_incremental.TryTake(clock, _options.IncrementalRequestsPerMinute, out var incrementalWait))
        {
            _throttled++;
            CountRateLimitExceeded();
            return WithRateHeaders(ZendeskErrors.TooManyRequests(incrementalWait, "Number of allowed incremental export API requests per minute exceeded"), clock);
        }

        foreach (var injected in _injected)
        {
            if (injected.Remaining > 0 && (injected.When is null || injected.When(request)))
            {
                injected.Remaining--;
                _injected.RemoveAll(i => i.Remaining == 0);
                return WithRateHeaders(injected.Response, clock);
            }
        }

        SimulatorResponse response;
        try
        {
            response = Route(request, segments, now);
        }
        catch (JsonException ex)
        {
            response = ZendeskErrors.InvalidAttribute($"The request body is not valid JSON: {ex.Message}");
        }

        return WithRateHeaders(response, clock);
    }

    private SimulatorResponse Route(SimulatorRequest request, string[] s, DateTimeOffset now) => (request.Method, s) switch
    {
        ("GET", ["organizations", "show_many"]) => ShowManyOrganizations(request),
        ("GET", ["organizations", "search"]) => SearchOrganizations(request),
        ("GET", ["organizations", var id]) => WithOrganization(id, ShowOrganization),
        ("GET", ["organizations", var id, "users"]) => WithOrganization(id, org => OrganizationUsers(request, org)),
        ("POST", ["organizations"]) => CreateOrganization(request, now),
        ("POST", ["organizations", "create_or_update"]) => CreateOrUpdateOrganization(request, now),
        ("POST", ["organizations", "create_many"]) => StartJob(request, SimJobKind.CreateOrganizations, now),
        ("PUT", ["organizations", "update_many"]) => StartJob(request, SimJobKind.UpdateOrganizations, now),
        ("PUT", ["organizations", var id]) => WithOrganization(id, org => UpdateOrganization(request, org, now)),
        ("DELETE", ["organizations", var id]) => WithOrganization(id, org => DeleteOrganizationCall(org, now)),
        ("GET", ["users", "show_many"]) => ShowManyUsers(request),
        ("GET", ["users", "search"]) => SearchUsers(request),
        ("GET", ["users", var id]) => WithUser(id, ShowUser),
        ("POST", ["users"]) => CreateUser(request, now),
        ("POST", ["users", "create_or_update"]) => CreateOrUpdateUser(request, now),
        ("POST", ["users", "create_or_update_many"]) => StartJob(request, SimJobKind.CreateOrUpdateUsers, now),
        ("POST", ["users", "create_many"]) => StartJob(request, SimJobKind.CreateUsers, now),
        ("PUT", ["users", "update_many"]) => StartJob(request, SimJobKind.UpdateUsers, now),
        ("PUT", ["users", var id]) => WithUser(id, user => UpdateUser(request, user, now)),
        ("DELETE", ["users", var id]) => WithUser(id, user => DeleteUserCall(user, now)),
        ("PUT", ["users", var id, "merge"]) => WithUser(id, user => MergeUserCall(request, user, now)),
        ("GET", ["users", var id, "identities"]) => WithUser(id, ListIdentities),
        ("POST", ["users", var id, "identities"]) => WithUser(id, user => CreateIdentity(request, user, now)),
        ("PUT", ["users", var id, "identities", var identityId, "make_primary"]) => WithUser(id, user => MakePrimary(user, identityId, now)),
        ("GET", ["users", var id, "organization_memberships"]) => WithUser(id, user => ListMemberships(request, userId: user.Id, organizationId: null)),
        ("GET", ["organization_memberships"]) => ListMemberships(request, LongQuery(request, "user_id"), LongQuery(request, "organization_id")),
        ("POST", ["organization_memberships"]) => CreateMembership(request, now),
        ("POST", ["organization_memberships", "create_many"]) => StartJob(request, SimJobKind.CreateMemberships, now),
        ("DELETE", ["organization_memberships", var id]) => DeleteMembership(id),
        ("GET", ["organization_fields"]) => ListFields(_organizationFields, "organization_fields"),
        ("POST", ["organization_fields"]) => CreateField(request, _organizationFields, "organization_fields", "organization_field"),
        ("GET", ["user_fields"]) => ListFields(_userFields, "user_fields"),
        ("POST", ["user_fields"]) => CreateField(request, _userFields, "user_fields", "user_field"),
        ("GET", ["job_statuses", "show_many"]) => ShowManyJobs(request),
        ("GET", ["job_statuses", var id]) => ShowJob(id),
        ("GET", ["incremental", "organizations"]) => IncrementalByTime(request, "organizations", now),
        ("GET", ["incremental", "users"]) => IncrementalByTime(request, "users", now),
        ("GET", ["incremental", "users", "cursor"]) => IncrementalUsersByCursor(request, now),
        ("GET", ["search"]) => Search(request),
        _ => ZendeskErrors.InvalidEndpoint(),
    };

    private SimulatorResponse WithOrganization(string id, Func<SimOrganization, SimulatorResponse> handler) =>
        long.TryParse(id, NumberStyles.None, CultureInfo.InvariantCulture, out var key) && _organizations.TryGetValue(key, out var organization) && organization.DeletedAt is null
            ? handler(organization)
            : ZendeskErrors.RecordNotFound();

    private SimulatorResponse WithUser(string id, Func<SimUser, SimulatorResponse> handler) =>
        long.TryParse(id, NumberStyles.None, CultureInfo.InvariantCulture, out var key) && _users.TryGetValue(key, out var user)
            ? handler(user)
            : ZendeskErrors.RecordNotFound();

    private HashSet<string>? Authenticate(SimulatorRequest request, DateTimeOffset now)
    {
        if (!request.Headers.TryGetValue("Authorization", out var authorization))
        {
            return null;
        }

        if (authorization.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            var token = authorization["Bearer ".Length..].Trim();
            return _accessTokens.TryGetValue(token, out var issued) && issued.AccessExpiresAt > now ? ScopeSet(issued.Scopes) : null;
        }

        if (authorization.StartsWith("Basic ", StringComparison.OrdinalIgnoreCase) && _options.ApiTokensEnabled)
        {
            string decoded;
            try
            {
                decoded = Encoding.UTF8.GetString(Convert.FromBase64String(authorization["Basic ".Length..].Trim()));
            }
            catch (FormatException)
            {
                return null;
            }

            // API tokens run as the agent named before '/token' and carry no scopes: the agent's permissions apply.
            return decoded == $"{_options.AgentEmail}/token:{_options.ApiToken}" ? ScopeSet("read write") : null;
        }

        return null;
    }

    private static HashSet<string> ScopeSet(string scopes) => new(scopes.Split(' ', StringSplitOptions.RemoveEmptyEntries), StringComparer.Ordinal);

    private SimulatorResponse Token(SimulatorRequest request)
    {
        JsonObject? body;
        try
        {
            body = request.ReadJson() as JsonObject;
        }
        catch (JsonException)
        {
            body = null;
        }

        var now = Now();
        var grant = body?["grant_type"]?.ToString();
        if (body is null || string.IsNullOrEmpty(grant))
        {
            return ZendeskErrors.OAuthError(400, "invalid_request", "The request is missing a required parameter: grant_type.");
        }

        if (body["client_id"]?.ToString() != _options.ClientId || body["client_secret"]?.ToString() != _options.ClientSecret)
        {
            return ZendeskErrors.OAuthError(401, "invalid_client", "Client authentication failed.");
        }

        var scopes = body["scope"]?.ToString() is { Length: > 0 } asked ? asked : _options.Scopes;
        var allowed = ScopeSet(_options.Scopes);
        if (scopes.Split(' ', StringSplitOptions.RemoveEmptyEntries).FirstOrDefault(s => !allowed.Contains(s)) is { } refused)
        {
            return ZendeskErrors.OAuthError(400, "invalid_scope", $"The requested scope is invalid, unknown, or malformed: {refused}.");
        }

        var accessLifetime = Lifetime(body["expires_in"], _options.AccessTokenLifetime, TimeSpan.FromMinutes(5), TimeSpan.FromHours(48));
        var refreshLifetime = Lifetime(body["refresh_token_expires_in"], _options.RefreshTokenLifetime, TimeSpan.FromDays(7), TimeSpan.FromDays(90));
        switch (grant)
        {
            case "refresh_token":
                var presented = body["refresh_token"]?.ToString() ?? string.Empty;
                if (!_refreshTokens.TryGetValue(presented, out var pair) || pair.RefreshExpiresAt <= now)
                {
                    return ZendeskErrors.OAuthError(400, "invalid_grant", "The provided authorization grant is invalid, expired, revoked, or was issued to another client.");
                }

                // Rotation: the presented pair is deleted, access token included, and a new pair replaces it.
                _refreshTokens.Remove(presented);
                if (pair.AccessToken is not null)
                {
                    _accessTokens.Remove(pair.AccessToken);
                }

                _refreshes++;
                return Issue(scopes, accessLifetime, refreshLifetime, withRefresh: true, now);
            case "client_credentials":
                return Issue(scopes, accessLifetime, refreshLifetime, withRefresh: false, now);
            default:
                return ZendeskErrors.OAuthError(400, "unsupported_grant_type", "The authorization grant type is not supported by the authorization server.");
        }
    }

    private static TimeSpan Lifetime(JsonNode? asked, TimeSpan fallback, TimeSpan minimum, TimeSpan maximum) =>
        asked is JsonValue value && value.TryGetValue<long>(out var seconds)
            ? TimeSpan.FromSeconds(Math.Clamp(seconds, (long)minimum.TotalSeconds, (long)maximum.TotalSeconds))
            : fallback;

    private SimulatorResponse Issue(string scopes, TimeSpan accessLifetime, TimeSpan refreshLifetime, bool withRefresh, DateTimeOffset now)
    {
        var access = "zd-access-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(24));
        var refresh = withRefresh ? "zd-refresh-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(24)) : null;
        var issued = new IssuedToken(access, refresh, scopes, now + accessLifetime, now + refreshLifetime);
        _accessTokens[access] = issued;
        var body = new JsonObject
        {
            ["access_token"] = access,
            ["token_type"] = "bearer",
            ["scope"] = scopes,
            ["expires_in"] = (long)accessLifetime.TotalSeconds,
        };
        if (refresh is not null)
        {
            _refreshTokens[refresh] = issued;
            CurrentRefreshToken = refresh;
            body["refresh_token"] = refresh;
            body["refresh_token_expires_in"] = (long)refreshLifetime.TotalSeconds;
        }

        return SimulatorResponse.Json(body);
    }

    private SimulatorResponse WithRateHeaders(SimulatorResponse response, DateTimeOffset now, int? remaining = null)
    {
        var limit = _options.RequestsPerMinute;
        var left = remaining ?? Math.Max(0, limit - _minute.Count(now));
        var reset = ZendeskErrors.Seconds(_minute.UntilReset(now) is var r && r > TimeSpan.Zero ? r : _options.RateLimitWindow);
        var running = _jobOrder.Where(j => j.IsRunning).ToList();
        var jobsReset = running.Count == 0 ? 0 : (long)Math.Ceiling(Math.Max(0, (running.Min(j => j.CreatedAt) + _options.JobQueuedTime + _options.JobWorkingTime - now).TotalSeconds));
        return response
            .WithHeader("X-Rate-Limit", limit.ToString(CultureInfo.InvariantCulture))
            .WithHeader("X-Rate-Limit-Remaining", left.ToString(CultureInfo.InvariantCulture))
            .WithHeader("ratelimit-limit", limit.ToString(CultureInfo.InvariantCulture))
            .WithHeader("ratelimit-remaining", left.ToString(CultureInfo.InvariantCulture))
            .WithHeader("ratelimit-reset", reset)
            .WithHeader("zendesk-ratelimit-inflight-jobs", string.Create(CultureInfo.InvariantCulture, $"total={_options.JobLimit}; remaining={Math.Max(0, _options.JobLimit - running.Count)}; resets={jobsReset}"));
    }

    private DateTimeOffset Now() => SimTime.Truncate(TimeProvider.GetUtcNow());

    private DateTimeOffset Clock() => TimeProvider.GetUtcNow();

    private static string[] Segments(string path)
    {
        var segments = path[ApiPrefix.Length..].Split('/', StringSplitOptions.RemoveEmptyEntries).Select(Uri.UnescapeDataString).ToArray();
        if (segments.Length > 0 && segments[^1].EndsWith(".json", StringComparison.OrdinalIgnoreCase))
        {
            segments[^1] = segments[^1][..^".json".Length];
        }

        return segments;
    }

    private static bool SameKey(string? a, string? b) => a is not null && b is not null && string.Equals(a, b, StringComparison.OrdinalIgnoreCase);

    private static long? LongQuery(SimulatorRequest request, string name) =>
        request.Query.TryGetValue(name, out var text) && long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) ? value : null;

    private static SimulatorResponse Wrap(string key, JsonNode node, int status = 200) => SimulatorResponse.Json(new JsonObject { [key] = node }, status);

    private void EnsureField(List<SimField> fields, string key, string type = "text")
    {
        if (!fields.Any(f => f.Key == key))
        {
            fields.Add(new SimField { Id = ++_nextFieldId, Key = key, Type = type, Title = key });
        }
    }

    private ZendeskSimOrganization Snapshot(SimOrganization o) => new(
        o.Id,
        o.Name,
        o.ExternalId,
        [.. o.DomainNames],
        o.Details,
        o.Notes,
        [.. o.Tags],
        o.Fields.ToImmutableDictionary(f => f.Key, f => f.Value is JsonValue v && v.TryGetValue<string>(out var s) ? s : f.Value?.ToJsonString()),
        o.CreatedAt,
        o.UpdatedAt,
        o.DeletedAt is not null);

    private ZendeskSimUser Snapshot(SimUser u)
    {
        var emails = _identities.Where(i => i.UserId == u.Id && i.Type == "email").OrderByDescending(i => i.Primary).ThenBy(i => i.Id).Select(i => i.Value).ToImmutableArray();
        return new ZendeskSimUser(
            u.Id,
            u.Name,
            PrimaryEmail(u),
            emails,
            u.ExternalId,
            u.Phone,
            u.Role,
            u.OrganizationId,
            [.. _memberships.Where(m => m.UserId == u.Id).Select(m => m.OrganizationId)],
            u.Locale,
            [.. u.Tags],
            u.Fields.ToImmutableDictionary(f => f.Key, f => f.Value is JsonValue v && v.TryGetValue<string>(out var s) ? s : f.Value?.ToJsonString()),
            u.Active,
            u.Verified,
            u.VerificationEmails,
            u.MergedInto,
            u.UpdatedAt);
    }

    private sealed record IssuedToken(string? AccessToken, string? RefreshToken, string Scopes, DateTimeOffset AccessExpiresAt, DateTimeOffset RefreshExpiresAt);

    private sealed class Injected(int count, SimulatorResponse response, Func<SimulatorRequest, bool>? when)
    {
        public int Remaining { get; set; } = count;

        public SimulatorResponse Response { get; } = response;

        public Func<SimulatorRequest, bool>? When { get; } = when;
    }
}
