using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Concord.Testing.HubSpot.Internal;

namespace Concord.Testing.HubSpot;

/// <summary>
/// A stateful fake HubSpot portal on 127.0.0.1, written from the platform facts page: companies and contacts with
/// their properties (unique ones indexed, enumerations and the lifecycle stage checked), v4 associations (279/280,
/// primary 1/2), batch create/read/update/upsert/archive with results in no particular order and partial failures as
/// each API version reports them (207 multi-status in v3 and 2026-03; <c>errors</c> + <c>numErrors</c> in a 200/201
/// in 2026-09), 409 with the existing id, 423 on demand, the CRM search with its filter limits, 10,000-result cap and
/// an indexing delay, the OAuth token endpoint with refresh-token rotation, the 10-second window, the daily allowance
/// and search's per-second limit enforced with HubSpot's 429 bodies and <c>X-HubSpot-RateLimit-*</c> headers, and the
/// shared <see cref="FaultPlan"/> (whose 429s and 5xx answer as HubSpot does).
/// </summary>
/// <remarks>
/// Paths: legacy <c>/crm/v3/objects/…</c>, <c>/crm/v3/properties/…</c>, <c>/crm/v4/objects/…/associations/…</c>,
/// <c>/crm/v4/associations/…</c>; date-based <c>/crm/objects/{2026-03|2026-09}/…</c>, <c>/crm/properties/{ver}/…</c>,
/// <c>/crm/associations/{ver}/…</c>; OAuth <c>/oauth/{v1|v3|2026-03|2026-09}/token</c> and
/// <c>/oauth/v1/access-tokens/{token}</c>.
/// </remarks>
public sealed partial class HubSpotSimulator : SimulatorBase
{
    private readonly HubSpotSimulatorOptions _options;
    private readonly HubSpotPortal _portal;
    private readonly PortalLimits _limits;
    private readonly Lock _gate = new();
    private readonly Random _shuffle;
    private readonly Dictionary<string, DateTimeOffset> _accessTokens = new(StringComparer.Ordinal);
    private readonly HashSet<string> _refreshTokens = new(StringComparer.Ordinal);
    private readonly List<Injected> _injected = [];
    private string _currentRefreshToken;
    private long _correlation;
    private int _tokenRequests;

    /// <summary>Starts a simulator with default options.</summary>
    public HubSpotSimulator()
        : this(new HubSpotSimulatorOptions())
    {
    }

    /// <summary>Starts a simulator with <paramref name="options"/>.</summary>
    /// <param name="options">The portal's credentials, limits, version rules and clock.</param>
    public HubSpotSimulator(HubSpotSimulatorOptions options)
        : base(new SimulatorOptions { TimeProvider = (options ?? throw new ArgumentNullException(nameof(options))).TimeProvider, Seed = options.Seed })
    {
        _options = options;
        _portal = new HubSpotPortal(options.TimeProvider, options.SearchIndexingDelay);
        _limits = new PortalLimits(options);
        _shuffle = new Random(options.Seed);
        _currentRefreshToken = options.RefreshToken;
        _refreshTokens.Add(options.RefreshToken);
        Webhooks = new HubSpotSimulatedWebhooks(options.TimeProvider, options.PortalId);
    }

    /// <summary>The webhook subscriptions: changes made with the helpers below (as a user would) are sent to them as HubSpot does.</summary>
    public HubSpotSimulatedWebhooks Webhooks { get; }

    /// <summary>The options the simulator runs with.</summary>
    public HubSpotSimulatorOptions Options => _options;

    /// <summary>How many requests reached the token endpoint.</summary>
    public int TokenRequests => Volatile.Read(ref _tokenRequests);

    /// <summary>The refresh token that is valid now (after rotations).</summary>
    public string CurrentRefreshToken
    {
        get
        {
            lock (_gate)
            {
                return _currentRefreshToken;
            }
        }
    }

    /// <summary>Requests counted against today's allowance (what <c>X-HubSpot-RateLimit-Daily-Remaining</c> subtracts).</summary>
    public long DailyUsage
    {
        get
        {
            lock (_gate)
            {
                return _limits.DailyUsed;
            }
        }

        set
        {
            lock (_gate)
            {
                _limits.DailyUsed = value;
            }
        }
    }

    /// <summary>The most requests the simulator counted inside one rate-limit window so far.</summary>
    public int PeakRequestsPerWindow
    {
        get
        {
            lock (_gate)
            {
                return _limits.PeakWindowCount;
            }
        }
    }

    /// <summary>Every company, archived and merged ones included, in creation order.</summary>
    public IReadOnlyList<HubSpotSimObject> Companies => Snapshot(HubSpotPortal.Companies);

    /// <summary>Every contact, archived and merged ones included, in creation order.</summary>
    public IReadOnlyList<HubSpotSimObject> Contacts => Snapshot(HubSpotPortal.Contacts);

    /// <summary>The record with <paramref name="id"/>, or <see langword="null"/>.</summary>
    /// <param name="id">The record id.</param>
    /// <returns>The snapshot.</returns>
    public HubSpotSimObject? Get(string id)
    {
        lock (_gate)
        {
            return long.TryParse(id, NumberStyles.None, CultureInfo.InvariantCulture, out var key) ? _portal.Find(key)?.Snapshot() : null;
        }
    }

    /// <summary>The live records of <paramref name="objectType"/> whose <paramref name="property"/> equals <paramref name="value"/>.</summary>
    /// <param name="objectType"><c>companies</c> or <c>contacts</c>.</param>
    /// <param name="property">The property.</param>
    /// <param name="value">The value (emails compare case-insensitively).</param>
    /// <returns>The matching records.</returns>
    public IReadOnlyList<HubSpotSimObject> Where(string objectType, string property, string value)
    {
        var type = Type(objectType);
        lock (_gate)
        {
            return _portal.All(type)
                .Where(o => o.IsLive && string.Equals(o.Get(property), value, property == "email" ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal))
                .Select(o => o.Snapshot())
                .ToList();
        }
    }

    /// <summary>The companies contact <paramref name="contactId"/> is linked to, with the contact→company type ids of each link (279, 1, 931).</summary>
    /// <param name="contactId">The contact id.</param>
    /// <returns>Company id → type ids.</returns>
    public IReadOnlyDictionary<string, IReadOnlyList<int>> CompaniesOf(string contactId) => LinksOf(contactId);

    /// <summary>The contacts company <paramref name="companyId"/> is linked to, with the company→contact type ids of each link (280, 2, 930).</summary>
    /// <param name="companyId">The company id.</param>
    /// <returns>Contact id → type ids.</returns>
    public IReadOnlyDictionary<string, IReadOnlyList<int>> ContactsOf(string companyId) => LinksOf(companyId);

    /// <summary>Whether <paramref name="objectType"/> has a property <paramref name="name"/>, and whether its values are unique.</summary>
    /// <param name="objectType"><c>companies</c> or <c>contacts</c>.</param>
    /// <param name="name">The property name.</param>
    /// <returns><see langword="null"/> when there is no such property; otherwise <c>hasUniqueValue</c>.</returns>
    public bool? PropertyIsUnique(string objectType, string name)
    {
        var type = Type(objectType);
        lock (_gate)
        {
            return _portal.Definition(type, name)?.HasUniqueValue;
        }
    }

    /// <summary>Defines a text property, as an admin would in the settings.</summary>
    /// <param name="objectType"><c>companies</c> or <c>contacts</c>.</param>
    /// <param name="name">The internal name.</param>
    /// <param name="hasUniqueValue">Whether values must be unique.</param>
    /// <param name="options">For an enumeration, its option values; text otherwise.</param>
    public void DefineProperty(string objectType, string name, bool hasUniqueValue = false, IReadOnlyList<string>? options = null)
    {
        var type = Type(objectType);
        lock (_gate)
        {
            var problem = _portal.DefineProperty(type, new SimProperty
            {
                Name = name,
                Type = options is null ? "string" : "enumeration",
                FieldType = options is null ? "text" : "select",
                HasUniqueValue = hasUniqueValue,
                Options = options ?? [],
                GroupName = type == HubSpotPortal.Companies ? "companyinformation" : "contactinformation",
            });
            if (problem is not null)
            {
                throw new InvalidOperationException(problem.Message);
            }
        }
    }

    /// <summary>Creates a company directly (no API usage), as a user or another integration would.</summary>
    /// <param name="properties">Its property values (any value, even one the API would refuse).</param>
    /// <returns>Its id.</returns>
    public string SeedCompany(IReadOnlyDictionary<string, string> properties) => Seed(HubSpotPortal.Companies, properties);

    /// <summary>Creates a contact directly (no API usage), linked to <paramref name="companyId"/> as its primary company when given.</summary>
    /// <param name="properties">Its property values.</param>
    /// <param name="companyId">Its company, or <see langword="null"/>.</param>
    /// <returns>Its id.</returns>
    public string SeedContact(IReadOnlyDictionary<string, string> properties, string? companyId = null)
    {
        var id = Seed(HubSpotPortal.Contacts, properties);
        if (companyId is not null)
        {
            Associate(id, companyId, primary: true);
        }

        return id;
    }

    /// <summary>Changes properties as a user would (an empty string clears), moving the last-modified date.</summary>
    /// <param name="id">The record id.</param>
    /// <param name="properties">The new values.</param>
    public void Edit(string id, IReadOnlyDictionary<string, string> properties)
    {
        ArgumentNullException.ThrowIfNull(properties);
        lock (_gate)
        {
            var record = Require(id);
            var before = Webhooks.Any ? properties.Keys.ToDictionary(k => k, record.Get, StringComparer.Ordinal) : null;
            _portal.Apply(record, properties);
            var changed = before is null ? [] : properties.Keys.Where(k => !string.Equals(before[k], record.Get(k), StringComparison.Ordinal)).Select(k => (k, record.Get(k))).ToList();
            if (changed.Count > 0)
            {
                Webhooks.PropertiesChanged(record.Type, record.Id, changed);
            }
        }
    }

    /// <summary>Archives a record as a user would (restorable; search stops returning it; <c>archived=true</c> lists it).</summary>
    /// <param name="id">The record id.</param>
    public void Archive(string id)
    {
        lock (_gate)
        {
            var record = Require(id);
            _portal.Archive(record);
            Webhooks.Deleted(record.Type, record.Id);
        }
    }

    /// <summary>Merges record <paramref name="mergedId"/> into <paramref name="primaryId"/> as a user would.</summary>
    /// <param name="primaryId">The record that stays.</param>
    /// <param name="mergedId">The record that goes.</param>
    public void Merge(string primaryId, string mergedId)
    {
        lock (_gate)
        {
            var (primary, merged) = (Require(primaryId), Require(mergedId));
            _portal.Merge(primary, merged);
            Webhooks.Merged(primary.Type, primary.Id, merged.Id);
        }
    }

    /// <summary>Links a contact to a company (279, and 1 when <paramref name="primary"/>), as a user would.</summary>
    /// <param name="contactId">The contact id.</param>
    /// <param name="companyId">The company id.</param>
    /// <param name="primary">Whether it becomes the contact's primary company.</param>
    public void Associate(string contactId, string companyId, bool primary = false)
    {
        lock (_gate)
        {
            var contact = Require(contactId);
            var company = Require(companyId);
            _portal.Associate(contact.Id, company.Id, primary ? [279, 1] : [279]);
        }
    }

    /// <summary>Removes every link between a contact and a company, as a user would.</summary>
    /// <param name="contactId">The contact id.</param>
    /// <param name="companyId">The company id.</param>
    public void Disassociate(string contactId, string companyId)
    {
        lock (_gate)
        {
            _portal.RemovePair(Require(contactId).Id, Require(companyId).Id);
        }
    }

    /// <summary>Ends every issued access token: the next call with one gets 401 <c>EXPIRED_AUTHENTICATION</c>.</summary>
    public void ExpireAccessTokens()
    {
        lock (_gate)
        {
            foreach (var token in _accessTokens.Keys.ToList())
            {
                _accessTokens[token] = DateTimeOffset.MinValue;
            }
        }
    }

    /// <summary>Revokes every refresh token: the next refresh gets 400 <c>invalid_grant</c> / <c>BAD_REFRESH_TOKEN</c>.</summary>
    public void RevokeRefreshTokens()
    {
        lock (_gate)
        {
            _refreshTokens.Clear();
        }
    }

    /// <summary>Answers the next <paramref name="count"/> matching API calls with a 429 of <paramref name="policy"/>; nothing runs or counts.</summary>
    /// <param name="count">How many calls.</param>
    /// <param name="policy">The <c>policyName</c>.</param>
    /// <param name="when">Which calls; every API call when <see langword="null"/>.</param>
    public void RateLimitNext(int count, HubSpotRateLimitPolicy policy, Func<SimulatorRequest, bool>? when = null) =>
        Inject(new Injected(count, when) { Policy = policy });

    /// <summary>Answers the next <paramref name="count"/> matching writes with 423 Locked (a record locked during high-volume upserts, for 2 s); nothing is written.</summary>
    /// <param name="count">How many calls.</param>
    /// <param name="when">Which writes; every write when <see langword="null"/>.</param>
    public void LockNextWrites(int count, Func<SimulatorRequest, bool>? when = null) =>
        Inject(new Injected(count, r => IsWrite(r) && (when is null || when(r))) { Status = 423, Category = "LOCKED", Message = "The record is locked by a concurrent update; retry after 2 seconds." });

    /// <summary>
    /// Answers the next <paramref name="count"/> matching API calls with <paramref name="statusCode"/> and a HubSpot error
    /// body (<c>status</c>, <c>message</c>, <c>correlationId</c>, <c>category</c>); nothing is written.
    /// </summary>
    /// <param name="count">How many calls.</param>
    /// <param name="statusCode">The status (401, 403, 414, 477, 502, 521, …).</param>
    /// <param name="category">The <c>category</c> (<c>MISSING_SCOPES</c>, <c>INVALID_AUTHENTICATION</c>, …).</param>
    /// <param name="message">The message.</param>
    /// <param name="when">Which calls; every API call when <see langword="null"/>.</param>
    /// <param name="retryAfter">A <c>Retry-After</c> to send (477 sends one), or <see langword="null"/>.</param>
    public void FailNextApiCalls(int count, int statusCode, string category, string message, Func<SimulatorRequest, bool>? when = null, TimeSpan? retryAfter = null) =>
        Inject(new Injected(count, when) { Status = statusCode, Category = category, Message = message, RetryAfter = retryAfter });

    /// <inheritdoc />
    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            Webhooks.Stop();
        }

        base.Dispose(disposing);
    }

    /// <inheritdoc />
    protected override ValueTask<SimulatorResponse> HandleAsync(SimulatorRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        lock (_gate)
        {
            var response = request.Path.StartsWith("/oauth/", StringComparison.Ordinal) ? OAuth(request) : Api(request);
            return ValueTask.FromResult(response.Headers.ContainsKey("X-HubSpot-Correlation-Id") ? response : response.WithHeader("X-HubSpot-Correlation-Id", NextCorrelationId()));
        }
    }

    /// <inheritdoc />
    protected override SimulatorResponse CreateFaultResponse(SimulatorRequest request, FaultKind kind, int statusCode, TimeSpan? retryAfter)
    {
        ArgumentNullException.ThrowIfNull(request);
        lock (_gate)
        {
            var correlation = NextCorrelationId();
            if (kind == FaultKind.Throttle)
            {
                var throttled = RateLimited(HubSpotRateLimitPolicy.TenSecondlyRolling, correlation, daily: IsStaticToken(request));
                if (retryAfter is { } wait && wait > TimeSpan.Zero)
                {
                    throttled = throttled.WithHeader("Retry-After", ((long)Math.Ceiling(wait.TotalSeconds)).ToString(CultureInfo.InvariantCulture));
                }

                return throttled;
            }

            var message = statusCode switch
            {
                502 or 504 => "The request timed out while processing; try again after a short pause.",
                503 => "The service is temporarily unavailable.",
                _ => "An internal error occurred.",
            };
            return ErrorBody(statusCode, "INTERNAL_ERROR", message, correlation);
        }
    }

    private SimulatorResponse Api(SimulatorRequest request)
    {
        if (Authenticate(request, out var isStatic) is { } refused)
        {
            return refused;
        }

        var route = ApiRoute.Parse(request);
        var now = _portal.Now();
        foreach (var injected in _injected)
        {
            if (injected.Remaining > 0 && (injected.When is null || injected.When(request)))
            {
                injected.Remaining--;
                _injected.RemoveAll(i => i.Remaining == 0);
                if (injected.Policy is { } policy)
                {
                    return RateLimited(policy, NextCorrelationId(), isStatic);
                }

                var failure = ErrorBody(injected.Status, injected.Category, injected.Message, NextCorrelationId());
                if (injected.RetryAfter is { } wait)
                {
                    failure = failure.WithHeader("Retry-After", ((long)Math.Ceiling(wait.TotalSeconds)).ToString(CultureInfo.InvariantCulture));
                }

                return _limits.WithHeaders(failure, isStatic, now);
            }
        }

        var search = route?.Operation == "search";
        if (_limits.Admit(search, isStatic, now) is { } broken)
        {
            CountRateLimitExceeded();
            return RateLimited(broken, NextCorrelationId(), isStatic);
        }

        var response = route is null ? NotFound(request.Path) : Route(route, request);
        return search && !_options.SearchSendsRateLimitHeaders ? response : _limits.WithHeaders(response, isStatic, now);
    }

    private SimulatorResponse Route(ApiRoute route, SimulatorRequest request)
    {
        if (route.ObjectType is null)
        {
            return Error(400, "VALIDATION_ERROR", $"Unable to infer object type from: {route.RawType}");
        }

        if (route.ToType is null && route.Family == ApiFamily.Associations)
        {
            return Error(400, "VALIDATION_ERROR", $"Unable to infer object type from: {route.RawToType}");
        }

        if (MissingScope(route, request.Method) is { } scope)
        {
            return MissingScopes(scope);
        }

        return route.Family switch
        {
            ApiFamily.Objects => Objects(route, request),
            ApiFamily.Properties => Properties(route, request),
            ApiFamily.Associations => AssociationBatch(route, request),
            ApiFamily.RecordAssociations => RecordAssociations(route, request),
            _ => NotFound(request.Path),
        };
    }

    private string? MissingScope(ApiRoute route, string method)
    {
        var type = route.ObjectType!;
        string needed;
        if (route.Family == ApiFamily.Properties)
        {
            if (method == "GET")
            {
                return Has($"crm.objects.{type}.read") || Has($"crm.schemas.{type}.read") ? null : $"crm.schemas.{type}.read";
            }

            needed = $"crm.schemas.{type}.write";
        }
        else
        {
            var read = method == "GET" || route.Operation is "search" or "read";
            needed = $"crm.objects.{type}.{(read ? "read" : "write")}";
        }

        return Has(needed) ? null : needed;

        bool Has(string scope) => _options.Scopes.Contains(scope, StringComparer.Ordinal);
    }

    private SimulatorResponse? Authenticate(SimulatorRequest request, out bool isStatic)
    {
        isStatic = false;
        var token = BearerToken(request);
        if (token is not null && string.Equals(token, _options.StaticToken, StringComparison.Ordinal))
        {
            isStatic = true;
            return null;
        }

        if (token is not null && _accessTokens.TryGetValue(token, out var expires))
        {
            var now = TimeProvider.GetUtcNow();
            if (now < expires)
            {
                return null;
            }

            var ago = expires == DateTimeOffset.MinValue ? 1 : Math.Max(1, (long)(now - expires).TotalSeconds);
            return Error(401, "EXPIRED_AUTHENTICATION", string.Create(CultureInfo.InvariantCulture, $"The OAuth token used to make this call expired {ago} second(s) ago."));
        }

        return Error(
            401,
            "INVALID_AUTHENTICATION",
            "Authentication credentials not found. This API supports OAuth 2.0 authentication and you can find more details at https://developers.hubspot.com/docs/methods/auth/oauth-overview");
    }

    private bool IsStaticToken(SimulatorRequest request) => string.Equals(BearerToken(request), _options.StaticToken, StringComparison.Ordinal);

    private static string? BearerToken(SimulatorRequest request) =>
        request.Headers.TryGetValue("Authorization", out var header) && header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase)
            ? header["Bearer ".Length..].Trim()
            : null;

    private static bool IsWrite(SimulatorRequest request) =>
        request.Path.StartsWith("/crm/", StringComparison.Ordinal)
        && (request.Method is "PATCH" or "PUT" or "DELETE"
            || (request.Method == "POST" && !request.Path.EndsWith("/search", StringComparison.Ordinal) && !request.Path.EndsWith("/batch/read", StringComparison.Ordinal)));

    private SimulatorResponse RateLimited(HubSpotRateLimitPolicy policy, string correlation, bool daily)
    {
        var (name, message) = policy switch
        {
            HubSpotRateLimitPolicy.Daily => ("DAILY", "You have reached your daily limit."),
            HubSpotRateLimitPolicy.Secondly => ("SECONDLY", "You have reached your secondly limit."),
            _ => ("TEN_SECONDLY_ROLLING", "You have reached your ten_secondly_rolling limit."),
        };
        var body = new JsonObject
        {
            ["status"] = "error",
            ["message"] = message,
            ["errorType"] = "RATE_LIMIT",
            ["correlationId"] = correlation,
            ["policyName"] = name,
            ["groupName"] = policy == HubSpotRateLimitPolicy.Secondly ? "search" : "crm",
        };
        var response = SimulatorResponse.Json(body, 429).WithHeader("X-HubSpot-Correlation-Id", correlation);
        return policy == HubSpotRateLimitPolicy.Secondly && !_options.SearchSendsRateLimitHeaders
            ? response
            : _limits.WithHeaders(response, daily, _portal.Now(), exhausted: policy == HubSpotRateLimitPolicy.TenSecondlyRolling);
    }

    private SimulatorResponse Error(int status, string category, string message, JsonArray? errors = null, JsonObject? context = null) =>
        ErrorBody(status, category, message, NextCorrelationId(), errors, context);

    private static SimulatorResponse ErrorBody(int status, string category, string message, string correlation, JsonArray? errors = null, JsonObject? context = null)
    {
        var body = new JsonObject { ["status"] = "error", ["message"] = message, ["correlationId"] = correlation, ["category"] = category };
        if (errors is { Count: > 0 })
        {
            body["errors"] = errors;
        }

        if (context is not null)
        {
            body["context"] = context;
        }

        return SimulatorResponse.Json(body, status).WithHeader("X-HubSpot-Correlation-Id", correlation);
    }

    private SimulatorResponse MissingScopes(string scope) => Error(
        403,
        "MISSING_SCOPES",
        "This app hasn't been granted all required scopes to make this call. Read more about required scopes here: https://developers.hubspot.com/scopes.",
        [new JsonObject
        {
            ["message"] = "One or more of the following scopes are required.",
            ["context"] = new JsonObject { ["requiredGranularScopes"] = new JsonArray(scope) },
        }]);

    private SimulatorResponse NotFound(string path) => Error(404, "OBJECT_NOT_FOUND", $"No route matches {path}.");

    private string NextCorrelationId() => string.Create(CultureInfo.InvariantCulture, $"0b6b7a1e-5c1d-4f7e-9a55-{++_correlation:D12}");

    private void Inject(Injected injected)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(injected.Remaining);
        lock (_gate)
        {
            _injected.Add(injected);
        }
    }

    private string Seed(string type, IReadOnlyDictionary<string, string> properties)
    {
        ArgumentNullException.ThrowIfNull(properties);
        lock (_gate)
        {
            var record = _portal.Create(type, properties);
            Webhooks.Created(type, record.Id);
            return HubSpotPortal.IdText(record.Id);
        }
    }

    private SimObject Require(string id)
    {
        if (long.TryParse(id, NumberStyles.None, CultureInfo.InvariantCulture, out var key) && _portal.Find(key) is { IsLive: true } record)
        {
            return record;
        }

        throw new ArgumentException($"No live record has id {id}.", nameof(id));
    }

    private IReadOnlyDictionary<string, IReadOnlyList<int>> LinksOf(string id)
    {
        lock (_gate)
        {
            var record = Require(id);
            return _portal.LinksOf(record.Id).ToDictionary(p => HubSpotPortal.IdText(p.Key), p => (IReadOnlyList<int>)[.. p.Value]);
        }
    }

    private List<HubSpotSimObject> Snapshot(string type)
    {
        lock (_gate)
        {
            return _portal.All(type).Select(o => o.Snapshot()).ToList();
        }
    }

    private static string Type(string objectType) =>
        HubSpotPortal.NormalizeType(objectType) ?? throw new ArgumentException($"'{objectType}' is not companies or contacts.", nameof(objectType));

    private static string NewToken(string prefix) => prefix + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(24));

    private sealed class Injected(int count, Func<SimulatorRequest, bool>? when)
    {
        public int Remaining { get; set; } = count;

        public Func<SimulatorRequest, bool>? When { get; } = when;

        public HubSpotRateLimitPolicy? Policy { get; init; }

        public int Status { get; init; }

        public string Category { get; init; } = string.Empty;

        public string Message { get; init; } = string.Empty;

        public TimeSpan? RetryAfter { get; init; }
    }
}
