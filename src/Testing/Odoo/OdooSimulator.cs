using System.Collections.Immutable;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Concord.Testing.Odoo.Internal;

namespace Concord.Testing.Odoo;

/// <summary>
/// A stateful fake Odoo server on 127.0.0.1 that answers what the Odoo connector uses, over JSON-RPC (<c>/jsonrpc</c>:
/// <c>common.version</c>, <c>common.authenticate</c>, <c>object.execute_kw</c>) and, from 19.0, JSON-2
/// (<c>/json/2/&lt;model&gt;/&lt;method&gt;</c>, <c>GET /web/version</c>), the web client's
/// <c>POST /web/webclient/version_info</c> (every version), on <c>res.partner</c>, <c>res.country</c>,
/// <c>res.country.state</c>, <c>res.partner.category</c>, <c>res.lang</c> and <c>ir.model.data</c>: search, search_read, read,
/// search_count, create, write, unlink, load and fields_get, with Odoo's domains, import semantics and errors.
/// </summary>
/// <remarks>
/// Behaviour pinned from a real 18.0 server (facts §12): RPC errors are HTTP 200 with <c>error.data.name</c>
/// (<c>error.code</c> 200, 0 from 19.0), <c>authenticate</c> answers <c>false</c> on a bad key, <c>read</c> of a missing
/// id answers <c>[]</c>, <c>write</c> on one raises MissingError, <c>create</c> answers an int for a dict and a list for a
/// list, <c>/json/2</c> before 19.0 answers 303. Every call is one transaction stamped with one instant of
/// <see cref="OdooSimulatorOptions.TimeProvider"/>; <c>write_date</c> is kept at full precision and read back truncated
/// to seconds. The fault plan of <see cref="SimulatorBase"/> applies to every call.
/// </remarks>
public sealed class OdooSimulator : SimulatorBase
{
    private const string PartnerModel = "res.partner";
    private const string ProxyTooManyRequests = "<html>\r\n<head><title>429 Too Many Requests</title></head>\r\n<body>\r\n<center><h1>429 Too Many Requests</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n";

    private readonly Lock _gate = new();
    private readonly OdooDatabase _db;
    private readonly OrmService _orm;
    private readonly Version _version;
    private readonly RequestWindow? _proxyLimit;
    private TimeSpan _pendingCost;
    private long _modelledTicks;

    /// <summary>Starts a simulator.</summary>
    /// <param name="options">The version, database, user and clock; defaults when null.</param>
    public OdooSimulator(OdooSimulatorOptions? options = null)
        : base(new SimulatorOptions { TimeProvider = (options ?? new OdooSimulatorOptions()).TimeProvider, Seed = options?.Seed ?? 0 })
    {
        Options = options ?? new OdooSimulatorOptions();
        _version = ParseVersion(Options.ServerVersion);
        if (Options.RateLimit is { } limit)
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1, "options.RateLimit");
            ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(Options.RateLimitWindow, TimeSpan.Zero, "options.RateLimitWindow");
            _proxyLimit = new RequestWindow(Options.RateLimitWindow);
        }

        _db = new OdooDatabase(OdooModel.Create(_version, [.. Options.Languages]), [.. Options.Languages], [.. Options.TrackedFields], Options.ValidateVat);
        _orm = new OrmService(_db, Options);
        Webhooks = new OdooSimulatedWebhooks(Options.TimeProvider);
        _db.Committed = SendWebhooks;
        SeedLanguages();
        if (Options.SeedCountries)
        {
            SeedDefaultCountries();
        }
    }

    /// <summary>The simulator's settings.</summary>
    public OdooSimulatorOptions Options { get; }

    /// <summary>The automation rules that send webhook notifications when partners are created, written or deleted (through the API or the helpers).</summary>
    public OdooSimulatedWebhooks Webhooks { get; }

    /// <summary>Whether the simulated version speaks JSON-2 (19.0+, Online saas-18.4+).</summary>
    public bool SupportsJson2 => _version.Major > 18 || (_version.Major == 18 && _version.Minor >= 4);

    /// <summary>Every partner the database holds (archived included), ordered by id.</summary>
    public IReadOnlyList<OdooSimPartner> Partners
    {
        get
        {
            lock (_gate)
            {
                return [.. _db.Rows(PartnerModel).Select(Snapshot)];
            }
        }
    }

    /// <summary>Every committed change of the fields in <see cref="OdooSimulatorOptions.TrackedFields"/>, in commit order (a partner's creation counts as a change from null).</summary>
    /// <returns>The tracking values.</returns>
    public IReadOnlyList<OdooSimTrackingValue> TrackingValues()
    {
        lock (_gate)
        {
            return [.. _db.Tracking];
        }
    }

    /// <summary>One partner, or null.</summary>
    /// <param name="id">The database id.</param>
    /// <returns>The snapshot.</returns>
    public OdooSimPartner? Partner(long id)
    {
        lock (_gate)
        {
            return _db.Find(PartnerModel, id) is { } row ? Snapshot(row) : null;
        }
    }

    /// <summary>The record an external id (<c>module.name</c>) points at, or null.</summary>
    /// <param name="externalId">The full external id.</param>
    /// <returns>The record id.</returns>
    public long? ResolveExternalId(string externalId)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(externalId);
        var dot = externalId.IndexOf('.', StringComparison.Ordinal);
        lock (_gate)
        {
            return _db.Rows("ir.model.data").FirstOrDefault(r => r.Text("module") == externalId[..dot] && r.Text("name") == externalId[(dot + 1)..])?["res_id"] as long?;
        }
    }

    /// <summary>The external ids (<c>module.name</c>) that point at partner <paramref name="partnerId"/>.</summary>
    /// <param name="partnerId">The partner.</param>
    /// <returns>The external ids.</returns>
    public IReadOnlyList<string> ExternalIdsOf(long partnerId)
    {
        lock (_gate)
        {
            return [.. _db.Rows("ir.model.data").Where(r => r.Text("model") == PartnerModel && r["res_id"] is long id && id == partnerId).Select(r => $"{r.Text("module")}.{r.Text("name")}")];
        }
    }

    /// <summary>Adds a country (and its states) as Odoo's base data would hold it.</summary>
    /// <param name="code">The ISO 3166-1 alpha-2 code.</param>
    /// <param name="name">The name.</param>
    /// <param name="states">The states: local code (<c>CA</c>) and name.</param>
    /// <returns>The country's id.</returns>
    public long SeedCountry(string code, string name, params (string Code, string Name)[] states)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(code);
        ArgumentNullException.ThrowIfNull(states);
        return Transaction(() =>
        {
            var country = _db.Create("res.country", new Dictionary<string, object?> { ["code"] = code.ToUpperInvariant(), ["name"] = name });
            foreach (var (stateCode, stateName) in states)
            {
                _db.Create("res.country.state", new Dictionary<string, object?> { ["code"] = stateCode, ["name"] = stateName, ["country_id"] = country });
            }

            return country;
        });
    }

    /// <summary>Creates a partner by hand (no external id), as a user of the Odoo UI would.</summary>
    /// <param name="seed">The partner.</param>
    /// <returns>Its id.</returns>
    public long CreatePartner(OdooPartnerSeed seed) => CreatePartner(seed, TimeProvider.GetUtcNow(), visible: true);

    /// <summary>Archives a partner (<c>active</c> false, new <c>write_date</c>).</summary>
    /// <param name="id">The partner.</param>
    public void ArchivePartner(long id) => Transaction(() =>
    {
        _db.Write(PartnerModel, [id], new Dictionary<string, object?> { ["active"] = false });
        return 0;
    });

    /// <summary>Renames a partner (new <c>write_date</c>).</summary>
    /// <param name="id">The partner.</param>
    /// <param name="name">The new name.</param>
    public void RenamePartner(long id, string name) => Transaction(() =>
    {
        _db.Write(PartnerModel, [id], new Dictionary<string, object?> { ["name"] = name });
        return 0;
    });

    /// <summary>Attaches a partner to another one, or detaches it with null (new <c>write_date</c> on the moved partner only).</summary>
    /// <param name="id">The partner.</param>
    /// <param name="parentId">The new parent, or null for a top-level partner.</param>
    public void MovePartner(long id, long? parentId) => Transaction(() =>
    {
        _db.Write(PartnerModel, [id], new Dictionary<string, object?> { ["parent_id"] = parentId });
        return 0;
    });

    /// <summary>
    /// Deletes a partner for good (<c>unlink</c>: no tombstone; its external ids go too). A company's or a contact's
    /// children stay, detached (<c>parent_id</c> is <c>ON DELETE SET NULL</c>), and their <c>write_date</c> does not move.
    /// </summary>
    /// <param name="id">The partner (a company, a contact or an address).</param>
    public void DeletePartner(long id) => Transaction(() =>
    {
        _db.Unlink(PartnerModel, [id]);
        return 0;
    });

    /// <summary>
    /// Leaves a gap of <paramref name="count"/> ids before the next partner, as rolled-back inserts, imports into another
    /// database copy or a sequence with a larger step do on a real server.
    /// </summary>
    /// <param name="count">How many ids to skip.</param>
    public void SkipPartnerIds(long count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        lock (_gate)
        {
            _db.SkipIds(PartnerModel, count);
        }
    }

    /// <summary>Starts a long transaction whose writes carry its start time and stay invisible until committed.</summary>
    /// <returns>The transaction.</returns>
    public OdooSimTransaction BeginTransaction() => new(this, TimeProvider.GetUtcNow());

    /// <summary>How many ORM calls of <paramref name="method"/> on <paramref name="model"/> arrived, over JSON-RPC and JSON-2.</summary>
    /// <param name="model">The model (<c>res.partner</c>).</param>
    /// <param name="method">The method (<c>load</c>).</param>
    /// <returns>The count.</returns>
    public int CallCount(string model, string method) => Journal.Where(e => IsCall(e, model, method)).Count;

    /// <summary>
    /// Whether <paramref name="request"/> is an ORM call of <paramref name="method"/> on <paramref name="model"/>, over
    /// JSON-RPC (<c>execute_kw</c>) or JSON-2: a scope for <see cref="SimulatorBase.Faults"/> rules, such as failing the
    /// contacts' <c>load</c> that follows the companies' one.
    /// </summary>
    /// <param name="request">The request.</param>
    /// <param name="model">The model (<c>res.partner</c>).</param>
    /// <param name="method">The method (<c>load</c>).</param>
    /// <returns>Whether it is such a call.</returns>
    public static bool IsCall(SimulatorRequest request, string model, string method)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.Path.StartsWith("/json/2/", StringComparison.Ordinal))
        {
            return string.Equals(request.Path, $"/json/2/{model}/{method}", StringComparison.Ordinal);
        }

        if (request.Path != "/jsonrpc" || request.Body is null)
        {
            return false;
        }

        try
        {
            var parameters = JsonNode.Parse(request.Body)?["params"];
            return parameters?["method"]?.GetValue<string>() == "execute_kw"
                && parameters["args"] is JsonArray { Count: >= 5 } args
                && args[3]?.GetValue<string>() == model
                && args[4]?.GetValue<string>() == method;
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException or FormatException)
        {
            return false;
        }
    }

    /// <summary>How many ORM calls arrived (JSON-RPC <c>execute_kw</c> and JSON-2), whatever the model.</summary>
    /// <returns>The count.</returns>
    public int OrmCallCount() => Journal.Where(e => IsCall(e, null, null)).Count;

    /// <inheritdoc />
    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            Webhooks.Stop();
        }

        base.Dispose(disposing);
    }

    private void SendWebhooks(IReadOnlyList<PartnerChange> changes)
    {
        if (!Webhooks.Any)
        {
            return;
        }

        var model = _db.Model(PartnerModel);
        foreach (var change in changes.DistinctBy(c => (c.Trigger, c.Id)))
        {
            // A partner created and deleted by one call, or created inside a transaction not yet committed, sends nothing.
            if ((change.Deleted ?? _db.Find(PartnerModel, change.Id)) is { Visible: true } row)
            {
                Webhooks.Send(change.Trigger, change.Id, field => _db.Read(model, row, field, bareIds: true));
            }
        }
    }

    internal long CreatePartner(OdooPartnerSeed seed, DateTimeOffset stamp, bool visible)
    {
        ArgumentNullException.ThrowIfNull(seed);
        lock (_gate)
        {
            return _db.InTransaction(stamp, () =>
            {
                long? country = seed.CountryCode is { } code ? _db.Rows("res.country").FirstOrDefault(c => c.Text("code") == code)?.Id ?? throw new ArgumentException($"No country {code}.", nameof(seed)) : null;
                return _db.Create(PartnerModel, new Dictionary<string, object?>
                {
                    ["name"] = seed.Name,
                    ["is_company"] = seed.IsCompany,
                    ["parent_id"] = seed.ParentId,
                    ["type"] = seed.Type,
                    ["vat"] = seed.Vat,
                    ["company_registry"] = seed.CompanyRegistry,
                    ["website"] = seed.Website,
                    ["email"] = seed.Email,
                    ["ref"] = seed.Ref,
                    ["city"] = seed.City,
                    ["country_id"] = country,
                    ["active"] = seed.Active,
                }, visible);
            });
        }
    }

    internal void ApplyLate(DateTimeOffset stamp, IReadOnlyList<(long Id, Dictionary<string, object?> Vals)> writes)
    {
        lock (_gate)
        {
            _db.InTransaction(stamp, () =>
            {
                foreach (var (id, vals) in writes)
                {
                    _db.Write(PartnerModel, [id], vals);
                }

                return 0;
            });
        }
    }

    internal void MakeVisible(IEnumerable<long> ids)
    {
        lock (_gate)
        {
            foreach (var id in ids)
            {
                if (_db.Rows(PartnerModel).FirstOrDefault(r => r.Id == id) is null && FindHidden(id) is { } row)
                {
                    row.Visible = true;
                }
            }
        }
    }

    /// <inheritdoc />
    protected override ValueTask<SimulatorResponse> HandleAsync(SimulatorRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        lock (_gate)
        {
            if (_proxyLimit is not null && !_proxyLimit.TryTake(TimeProvider.GetUtcNow(), Options.RateLimit!.Value, out _))
            {
                // What nginx's limit_req answers with limit_req_status 429 (no Retry-After): Odoo core has no limiter (a guess, see README).
                CountRateLimitExceeded();
                return ValueTask.FromResult(new SimulatorResponse(429, ProxyTooManyRequests, "text/html"));
            }

            var response = request switch
            {
                { Method: "POST", Path: "/jsonrpc" } => JsonRpc(request),
                { Method: "POST" } when request.Path.StartsWith("/json/2/", StringComparison.Ordinal) => SupportsJson2
                    ? Json2(request)
                    : new SimulatorResponse(303, "<html>Redirecting...</html>", "text/html; charset=utf-8").WithHeader("Location", "/web/login"),
                { Method: "POST", Path: "/web/webclient/version_info" } => WebClientVersion(request),
                { Method: "GET", Path: "/web/version" } when SupportsJson2 => SimulatorResponse.Json(
                    new JsonObject { ["version_info"] = VersionInfo(), ["version"] = Options.ServerVersion }.ToJsonString()),
                { Method: "GET", Path: "/web/login" } => new SimulatorResponse(200, "<html><body>Odoo login</body></html>", "text/html; charset=utf-8"),
                _ => new SimulatorResponse(404, "<html><body>404: Not Found</body></html>", "text/html; charset=utf-8"),
            };
            var cost = _pendingCost;
            _pendingCost = TimeSpan.Zero;
            return cost > TimeSpan.Zero && Options.ServerCosts is { Wait: true }
                ? new ValueTask<SimulatorResponse>(AfterAsync(cost, response, cancellationToken))
                : ValueTask.FromResult(response);
        }
    }

    /// <summary>
    /// The server time <see cref="OdooSimulatorOptions.ServerCosts"/> modelled for every call so far (zero without a
    /// model). Modelled, not measured.
    /// </summary>
    public TimeSpan ModelledServerTime => TimeSpan.FromTicks(Interlocked.Read(ref _modelledTicks));

    private async Task<SimulatorResponse> AfterAsync(TimeSpan cost, SimulatorResponse response, CancellationToken cancellationToken)
    {
        // Still inside the base class's one-request-at-a-time lock: a single worker spends the time.
        await Task.Delay(cost, TimeProvider, cancellationToken).ConfigureAwait(false);
        return response;
    }

    private void Charge(TimeSpan cost)
    {
        _pendingCost += cost;
        Interlocked.Add(ref _modelledTicks, cost.Ticks);
    }

    /// <summary>Runs an ORM call and charges what <see cref="OdooSimulatorOptions.ServerCosts"/> says it costs.</summary>
    private JsonNode? Costed(string model, string method, Dictionary<string, JsonNode?> args, Func<JsonNode?> call)
    {
        if (Options.ServerCosts is not { } costs)
        {
            return call();
        }

        var rowsBefore = method is "load" ? _db.AllRows(model).Count() : 0;
        JsonNode? result;
        try
        {
            result = call();
        }
        catch (OdooFault)
        {
            Charge(costs.Call);
            throw;
        }

        var cost = costs.Call;
        switch (method)
        {
            case "search_read" or "read" or "search" when result is JsonArray rows:
                cost += rows.Count * costs.ReadPerRecord;
                break;
            case "create":
                cost += (result is JsonArray made ? made.Count : 1) * costs.CreatePerRecord;
                break;
            case "write" or "unlink":
                cost += (args.GetValueOrDefault("ids") is JsonArray ids ? ids.Count : 1) * costs.WritePerRecord;
                break;
            case "load":
                if (result?["ids"] is JsonArray loaded)
                {
                    var created = _db.AllRows(model).Count() - rowsBefore;
                    cost += (created * costs.LoadCreatePerRecord) + ((loaded.Count - created) * costs.LoadUpdatePerRecord);
                }
                else
                {
                    cost += (args.GetValueOrDefault("data") is JsonArray data ? data.Count : 0) * costs.LoadCreatePerRecord;
                }

                break;
        }

        Charge(cost);
        return result;
    }

    private SimulatorResponse JsonRpc(SimulatorRequest request)
    {
        JsonObject body;
        try
        {
            body = request.ReadJson() as JsonObject ?? throw new JsonException();
        }
        catch (JsonException)
        {
            return new SimulatorResponse(400, "<html><body>Invalid JSON data</body></html>", "text/html; charset=utf-8");
        }

        var id = body["id"]?.DeepClone();
        try
        {
            var parameters = body["params"] as JsonObject ?? throw new OdooFault("builtins.KeyError", "'service'", 500);
            var service = parameters["service"]?.GetValue<string>();
            var method = parameters["method"]?.GetValue<string>();
            var args = parameters["args"] as JsonArray ?? [];
            JsonNode? result = service switch
            {
                "common" => Common(method, args),
                "object" when method is "execute_kw" or "execute" => ExecuteKw(method, args),
                "object" => throw new OdooFault("builtins.AttributeError", $"'{method}' is not a method of service object", 500),
                _ => throw new OdooFault("builtins.KeyError", service ?? "None", 500),
            };
            return SimulatorResponse.Json(new JsonObject { ["jsonrpc"] = "2.0", ["id"] = id, ["result"] = result }.ToJsonString());
        }
        catch (OdooFault fault)
        {
            var error = new JsonObject
            {
                ["code"] = _version.Major > 18 || (_version.Major == 18 && _version.Minor >= 1) ? 0 : 200,
                ["message"] = "Odoo Server Error",
                ["data"] = ErrorData(fault),
            };
            return SimulatorResponse.Json(new JsonObject { ["jsonrpc"] = "2.0", ["id"] = id, ["error"] = error }.ToJsonString());
        }
    }

    /// <summary>The web client's version route (a <c>json</c> route on 16–18, <c>jsonrpc</c> from 19): <c>common.version</c> without a service call.</summary>
    private SimulatorResponse WebClientVersion(SimulatorRequest request)
    {
        JsonNode? id;
        try
        {
            id = (request.ReadJson() as JsonObject)?["id"]?.DeepClone();
        }
        catch (JsonException)
        {
            return new SimulatorResponse(400, "<html><body>Invalid JSON data</body></html>", "text/html; charset=utf-8");
        }

        return SimulatorResponse.Json(new JsonObject { ["jsonrpc"] = "2.0", ["id"] = id, ["result"] = Common("version", []) }.ToJsonString());
    }

    private JsonNode? Common(string? method, JsonArray args)
    {
        switch (method)
        {
            case "version":
                return new JsonObject
                {
                    ["server_version"] = Options.ServerVersion,
                    ["server_version_info"] = VersionInfo(),
                    ["server_serie"] = Options.ServerVersion,
                    ["protocol_version"] = 1,
                };
            case "authenticate":
            case "login":
                if (method == "authenticate" && args.Count < 4)
                {
                    throw new OdooFault("builtins.TypeError", "authenticate() missing 1 required positional argument: 'user_agent_env'", 500);
                }

                CheckDatabase(args.Count > 0 ? args[0]?.GetValue<string>() : null);
                if (Options.ServerCosts is { } costs)
                {
                    Charge(costs.Authenticate);
                }

                var login = args.Count > 1 ? args[1]?.GetValue<string>() : null;
                var key = args.Count > 2 ? args[2]?.GetValue<string>() : null;
                return login == Options.Login && key == Options.ApiKey ? JsonValue.Create(Options.Uid) : JsonValue.Create(false);
            default:
                throw new OdooFault("builtins.Exception", $"Method not found: {method}", 500);
        }
    }

    private JsonNode? ExecuteKw(string method, JsonArray args)
    {
        if (args.Count < 5)
        {
            throw new OdooFault("builtins.TypeError", $"{method}() missing required positional arguments", 500);
        }

        CheckDatabase(args[0]?.GetValue<string>());
        if (args[1] is not JsonValue uid || uid.GetValueKind() != JsonValueKind.Number || uid.GetValue<int>() != Options.Uid || args[2]?.GetValue<string>() != Options.ApiKey)
        {
            throw OdooFault.Denied();
        }

        var model = args[3]!.GetValue<string>();
        var ormMethod = args[4]!.GetValue<string>();
        _db.Model(model);
        if (ormMethod.StartsWith('_'))
        {
            throw new OdooFault("builtins.AttributeError", $"Private methods (such as '{model}.{ormMethod}') cannot be called remotely.", 500);
        }

        JsonArray positional;
        JsonObject? kwargs;
        if (method == "execute")
        {
            positional = [.. args.Skip(5).Select(a => a?.DeepClone())];
            kwargs = null;
        }
        else
        {
            positional = args.Count > 5 ? args[5] as JsonArray ?? throw new OdooFault("builtins.TypeError", "args must be a list", 500) : [];
            kwargs = args.Count > 6 ? args[6] as JsonObject : null;
        }

        var bound = OrmService.Bind(model, ormMethod, positional, kwargs);
        return Costed(model, ormMethod, bound, () => _db.InTransaction(TimeProvider.GetUtcNow(), () => _orm.Call(model, ormMethod, bound, json2: false)));
    }

    private SimulatorResponse Json2(SimulatorRequest request)
    {
        var parts = request.Path["/json/2/".Length..].Split('/');
        var authorization = request.Headers.TryGetValue("Authorization", out var header) ? header : string.Empty;
        if (!authorization.StartsWith("bearer ", StringComparison.OrdinalIgnoreCase) || authorization[7..].Trim() != Options.ApiKey)
        {
            return Json2Error(new OdooFault("werkzeug.exceptions.Unauthorized", "Invalid apikey", 401));
        }

        if (request.Headers.TryGetValue("X-Odoo-Database", out var database) && database.Length > 0 && database != Options.Database)
        {
            return Json2Error(new OdooFault("werkzeug.exceptions.NotFound", "The database could not be selected.", 404));
        }

        if (parts.Length != 2)
        {
            return Json2Error(new OdooFault("werkzeug.exceptions.NotFound", "Use POST /json/2/<model>/<method>.", 404));
        }

        var (model, method) = (parts[0], parts[1]);
        if (!_db.Models.ContainsKey(model))
        {
            return Json2Error(new OdooFault("werkzeug.exceptions.NotFound", $"The model '{model}' does not exist.", 404));
        }

        JsonObject body;
        try
        {
            body = request.ReadJson() as JsonObject ?? [];
        }
        catch (JsonException)
        {
            return Json2Error(new OdooFault("werkzeug.exceptions.BadRequest", "Invalid JSON data", 400));
        }

        try
        {
            OrmService.CheckNames(model, method, body.Select(p => p.Key).Where(k => k is not ("ids" or "context")));
            var hasIds = body["ids"] is JsonArray { Count: > 0 };
            if (hasIds && !OrmService.IsRecordMethod(method))
            {
                throw new OdooFault("werkzeug.exceptions.UnprocessableEntity", $"cannot call {model}.{method} with ids", 422);
            }

            var bound = body.ToDictionary(p => p.Key, p => p.Value?.DeepClone(), StringComparer.Ordinal);
            var result = Costed(model, method, bound, () => _db.InTransaction(TimeProvider.GetUtcNow(), () => _orm.Call(model, method, bound, json2: true)));
            return SimulatorResponse.Json(result?.ToJsonString() ?? "null");
        }
        catch (OdooFault fault)
        {
            return Json2Error(fault);
        }
    }

    private SimulatorResponse Json2Error(OdooFault fault) => SimulatorResponse.Json(ErrorData(fault).ToJsonString(), fault.Json2Status);

    private static JsonObject ErrorData(OdooFault fault) => new()
    {
        ["name"] = fault.Name,
        ["message"] = fault.Message,
        ["arguments"] = new JsonArray(fault.Message),
        ["context"] = new JsonObject(),
        ["debug"] = fault.Name == "odoo.exceptions.AccessDenied"
            ? string.Empty
            : $"Traceback (most recent call last):\n  File \"/opt/odoo/odoo/http.py\", line 2138, in _serve_db\n    (simulated)\n{fault.Name}: {fault.Message}",
    };

    private void CheckDatabase(string? database)
    {
        if (database != Options.Database)
        {
            throw new OdooFault("psycopg2.OperationalError", $"connection to server at \"localhost\" (127.0.0.1), port 5432 failed: FATAL:  database \"{database}\" does not exist", 500);
        }
    }

    private JsonArray VersionInfo() => [_version.Major, _version.Minor, 0, "final", 0, string.Empty];

    private T Transaction<T>(Func<T> work)
    {
        lock (_gate)
        {
            return _db.InTransaction(TimeProvider.GetUtcNow(), work);
        }
    }

    private SimRow? FindHidden(long id) => _db.AllRows(PartnerModel).FirstOrDefault(r => r.Id == id);

    private OdooSimPartner Snapshot(SimRow row) => new(
        row.Id,
        row.Text("name"),
        row.Flag("is_company"),
        row.Ref("parent_id"),
        row.Text("type"),
        row.Flag("active"),
        row.WriteDate,
        row.Values.ToImmutableDictionary(v => v.Key, v => v.Value is List<long> list ? (object?)list.ToImmutableArray() : v.Value, StringComparer.Ordinal));

    private void SeedLanguages() => Transaction(() =>
    {
        foreach (var code in Options.Languages.Concat(["ja_JP", "pt_BR", "sv_SE"]).Distinct(StringComparer.Ordinal))
        {
            _db.Create("res.lang", new Dictionary<string, object?>
            {
                ["name"] = code,
                ["code"] = code,
                ["iso_code"] = code.Split('_')[0],
                ["active"] = Options.Languages.Contains(code),
            });
        }

        return 0;
    });

    private void SeedDefaultCountries()
    {
        SeedCountry("BE", "Belgium", ("VAN", "Antwerpen"), ("BRU", "Brussels"));
        SeedCountry("DE", "Germany", ("BE", "Berlin"), ("BY", "Bayern"), ("HH", "Hamburg"));
        SeedCountry("FR", "France");
        SeedCountry("NL", "Netherlands");
        SeedCountry("LU", "Luxembourg");
        SeedCountry("GB", "United Kingdom");
        SeedCountry("IE", "Ireland");
        SeedCountry("CH", "Switzerland");
        SeedCountry("AT", "Austria");
        SeedCountry("IT", "Italy");
        SeedCountry("ES", "Spain");
        SeedCountry("US", "United States", ("CA", "California"), ("NY", "New York"), ("TX", "Texas"));
        SeedCountry("CA", "Canada", ("ON", "Ontario"), ("QC", "Quebec"));
    }

    private static bool IsCall(JournalEntry entry, string? model, string? method)
    {
        if (entry.Path.StartsWith("/json/2/", StringComparison.Ordinal))
        {
            var parts = entry.Path["/json/2/".Length..].Split('/');
            return parts.Length == 2 && (model is null || (parts[0] == model && parts[1] == method));
        }

        if (entry.Path != "/jsonrpc" || entry.Body is null)
        {
            return false;
        }

        try
        {
            var args = JsonNode.Parse(entry.Body)?["params"]?["args"] as JsonArray;
            var isExecute = JsonNode.Parse(entry.Body)?["params"]?["method"]?.GetValue<string>() == "execute_kw";
            return isExecute && args is { Count: >= 5 } && (model is null || (args[3]?.GetValue<string>() == model && args[4]?.GetValue<string>() == method));
        }
        catch (JsonException)
        {
            return false;
        }
    }

    private static Version ParseVersion(string text)
    {
        var digits = new string([.. text.SkipWhile(c => !char.IsAsciiDigit(c))]);
        var parts = digits.Split('.');
        return new Version(
            int.Parse(parts[0], CultureInfo.InvariantCulture),
            parts.Length > 1 ? int.Parse(new string([.. parts[1].TakeWhile(char.IsAsciiDigit)]), CultureInfo.InvariantCulture) : 0);
    }
}
