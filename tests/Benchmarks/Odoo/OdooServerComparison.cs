using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Concord.Canonical;
using Concord.Canonical.Connectors;
using Concord.Canonical.Errors;
using Concord.Canonical.Idempotency;
using Concord.Canonical.Normalization;
using Concord.Connectors.Odoo;
using Concord.Connectors.Odoo.Mapping;
using Concord.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Concord.Benchmarks.Odoo;

/// <summary>
/// Concord against the server's own ceiling, in one run: Concord's time for N new companies (1,000 and 10,000) and for
/// 1,000 updates that change the same field to the same value, next to the server's own one-call <c>create</c>,
/// <c>load</c> and <c>write</c> of the same records, which the harness sends itself over JSON-RPC. Goals (issue 13 §5):
/// creates within 1.1× of the raw <c>load</c>, updates within 1.5× of the raw <c>write</c>.
/// </summary>
/// <remarks>
/// Every run writes new companies (its own canonical ids, VAT numbers and e-mail addresses, so that Concord adopts
/// none of the raw ones), and unlinks what it created at the end unless <c>ODOO_BENCH_KEEP=1</c>. Use a database
/// made for the purpose.
/// </remarks>
internal sealed class OdooServerComparison
{
    private const string Module = "__concord_bench__";

    private readonly Target _target;
    private readonly TextWriter _output;
    private readonly string _run = DateTimeOffset.UtcNow.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
    private readonly List<long> _created = [];
    private readonly HttpClient _http;
    private int _uid;
    private long _rpcId;

    private OdooServerComparison(Target target, TextWriter output)
    {
        _target = target;
        _output = output;
        _http = new HttpClient { BaseAddress = target.BaseAddress, Timeout = TimeSpan.FromMinutes(10) };
    }

    /// <summary>The server to measure: a real Odoo from the environment, or a simulator.</summary>
    /// <param name="BaseAddress">The server root.</param>
    /// <param name="Database">The database.</param>
    /// <param name="Login">The API user's login.</param>
    /// <param name="ApiKey">The API user's key.</param>
    /// <param name="Description">What the figures are of.</param>
    internal sealed record Target(Uri BaseAddress, string Database, string Login, string ApiKey, string Description)
    {
        /// <summary>
        /// <c>ODOO_BENCH_URL</c> (the server root, e.g. <c>http://127.0.0.1:8069/</c>), <c>ODOO_BENCH_DB</c>,
        /// <c>ODOO_BENCH_LOGIN</c> (default <c>admin</c>) and <c>ODOO_BENCH_KEY</c> (an API key); null when the URL is not set.
        /// </summary>
        public static Target? FromEnvironment()
        {
            var url = Environment.GetEnvironmentVariable("ODOO_BENCH_URL");
            if (string.IsNullOrWhiteSpace(url))
            {
                return null;
            }

            var database = Environment.GetEnvironmentVariable("ODOO_BENCH_DB") ?? throw new InvalidOperationException("ODOO_BENCH_DB is required with ODOO_BENCH_URL.");
            var key = Environment.GetEnvironmentVariable("ODOO_BENCH_KEY") ?? throw new InvalidOperationException("ODOO_BENCH_KEY is required with ODOO_BENCH_URL.");
            var login = Environment.GetEnvironmentVariable("ODOO_BENCH_LOGIN") ?? "admin";
            return new Target(new Uri(url.EndsWith('/') ? url : url + "/"), database, login, key, $"Odoo at {url}, database {database}");
        }
    }

    /// <summary>One line of the comparison: Concord's time next to one raw call's for the same records.</summary>
    /// <param name="Records">What was written (e.g. "1,000 new companies").</param>
    /// <param name="RawCall">The server's own call (e.g. "load (1 call)").</param>
    /// <param name="ConcordSeconds">Concord's time for the records.</param>
    /// <param name="RawSeconds">The raw call's time for the same number of records.</param>
    /// <param name="Goal">The issue's goal for the ratio, if it sets one.</param>
    internal sealed record Row(string Records, string RawCall, double ConcordSeconds, double RawSeconds, double? Goal)
    {
        /// <summary>Concord's time over the raw call's.</summary>
        public double Ratio => RawSeconds <= 0 ? double.NaN : ConcordSeconds / RawSeconds;
    }

    /// <summary>Runs the comparison with 1,000 and 10,000 new companies and 1,000 updates (20 and 60, 20 with <paramref name="smoke"/>).</summary>
    public static Task<IReadOnlyList<Row>> RunAsync(Target target, bool smoke, TextWriter output, CancellationToken cancellationToken) =>
        RunAsync(target, smoke ? [20, 60] : [1_000, 10_000], smoke ? 20 : 1_000, output, cancellationToken);

    /// <summary>Runs the comparison for the given numbers of new companies and of updates (at most the first size).</summary>
    public static async Task<IReadOnlyList<Row>> RunAsync(Target target, int[] sizes, int updates, TextWriter output, CancellationToken cancellationToken)
    {
        if (sizes.Length == 0 || updates > sizes[0])
        {
            throw new ArgumentException("At least one size, and no more updates than the first size's companies.", nameof(updates));
        }

        var comparison = new OdooServerComparison(target, output);
        try
        {
            return await comparison.RunAsync(sizes, updates, cancellationToken);
        }
        finally
        {
            await comparison.CleanUpAsync(cancellationToken);
            comparison._http.Dispose();
        }
    }

    private async Task<IReadOnlyList<Row>> RunAsync(int[] sizes, int updates, CancellationToken cancellationToken)
    {
        var batch = int.TryParse(Environment.GetEnvironmentVariable("ODOO_BENCH_BATCH"), CultureInfo.InvariantCulture, out var b) ? b : 200;
        _output.WriteLine($"{_target.Description}; run {_run}; Concord BatchSize={batch}");

        var services = new ServiceCollection();
        services.AddOdooConnector(o =>
        {
            o.BaseAddress = _target.BaseAddress;
            o.AllowInsecureHttp = _target.BaseAddress.Scheme == Uri.UriSchemeHttp;
            o.Database = _target.Database;
            o.Login = _target.Login;
            o.ApiKey = _target.ApiKey;
            o.BatchSize = batch;
            o.SourceSystem = "bench";
            o.Resilience.PermitLimit = 100_000;
            o.Resilience.QueueLimit = 100_000;
            o.Resilience.AttemptTimeout = TimeSpan.FromMinutes(5);
            o.Resilience.TotalRequestTimeout = TimeSpan.FromMinutes(10);
        });
        await using var connector = new TestConnector<IOdooConnector>(services.BuildServiceProvider(), OdooConnectorOptions.DefaultName);
        await connector.Connector.GetServerVersionAsync(cancellationToken);
        _uid = await AuthenticateAsync(cancellationToken);

        // Warm both sides (countries, states, tags; the server's caches) with a few records that are not measured.
        await ConcordCreateAsync(connector.Connector, 9_000_000, 5, cancellationToken);
        await RawCreateAsync(9_100_000, 5, cancellationToken);

        var rows = new List<Row>();
        foreach (var size in sizes)
        {
            var offset = size * 10;
            var (concord, _) = await ConcordCreateAsync(connector.Connector, offset, size, cancellationToken);
            var create = await RawCreateAsync(3_000_000 + offset, size, cancellationToken);
            var load = await RawLoadAsync(6_000_000 + offset, size, cancellationToken);
            rows.Add(new Row($"{size:N0} new companies", "create (1 call)", concord, create.Seconds, null));
            rows.Add(new Row($"{size:N0} new companies", "load (1 call)", concord, load, 1.10));
        }

        // Updates: the same field to the same value on `updates` records, Concord's way and the raw grouped write.
        var note = "Updated by run " + _run;
        var concordUpdate = await ConcordUpdateAsync(connector.Connector, sizes[0] * 10, updates, note, cancellationToken);
        var rawTargets = await RawCreateAsync(8_000_000, updates, cancellationToken);
        var write = await RawWriteAsync(rawTargets.Ids, note, cancellationToken);
        var loadUpdate = await RawLoadAsync(6_000_000 + (sizes[0] * 10), updates, cancellationToken, comment: note);
        rows.Add(new Row($"{updates:N0} updates, one value", "write (1 call, grouped)", concordUpdate, write, 1.50));
        rows.Add(new Row($"{updates:N0} updates, one value", "load (1 call)", concordUpdate, loadUpdate, null));

        _output.WriteLine();
        _output.WriteLine("| records | server's own call | Concord (s) | raw (s) | Concord / raw | goal |");
        _output.WriteLine("|---|---|---:|---:|---:|---|");
        foreach (var row in rows)
        {
            var goal = row.Goal is { } g ? string.Create(CultureInfo.InvariantCulture, $"≤ {g:F2} {(row.Ratio <= g ? "met" : "missed")}") : "";
            _output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| {row.Records} | {row.RawCall} | {row.ConcordSeconds:F2} | {row.RawSeconds:F2} | {row.Ratio:F2} | {goal} |"));
        }

        return rows;
    }

    private async Task<(double Seconds, IReadOnlyList<string> Ids)> ConcordCreateAsync(IOdooConnector connector, int offset, int count, CancellationToken cancellationToken)
    {
        var requests = Enumerable.Range(offset, count).Select(i => Request(Company(i))).ToList();
        var stopwatch = Stopwatch.StartNew();
        var results = await connector.UpsertManyAsync(requests, cancellationToken);
        stopwatch.Stop();
        Check(results, UpsertOutcome.Created, "create");
        _created.AddRange(results.Select(r => long.Parse(r.ExternalId!, CultureInfo.InvariantCulture)));
        return (stopwatch.Elapsed.TotalSeconds, [.. results.Select(r => r.ExternalId!)]);
    }

    private async Task<double> ConcordUpdateAsync(IOdooConnector connector, int offset, int count, string note, CancellationToken cancellationToken)
    {
        var requests = Enumerable.Range(offset, count).Select(i => Request(Company(i) with { Notes = note })).ToList();
        var stopwatch = Stopwatch.StartNew();
        var results = await connector.UpsertManyAsync(requests, cancellationToken);
        stopwatch.Stop();
        Check(results, UpsertOutcome.Updated, "update");
        return stopwatch.Elapsed.TotalSeconds;
    }

    private async Task<(double Seconds, long[] Ids)> RawCreateAsync(int offset, int count, CancellationToken cancellationToken)
    {
        var columns = PartnerColumns.For(PartnerLevel.Root, hasMobile: false);
        var vals = new JsonArray();
        foreach (var i in Enumerable.Range(offset, count))
        {
            var cells = Cells(Company(i), columns);
            var record = new JsonObject();
            for (var c = 0; c < columns.Fields.Count; c++)
            {
                AddVal(record, columns.Fields[c], cells[c]);
            }

            vals.Add(record);
        }

        var stopwatch = Stopwatch.StartNew();
        var result = await ExecuteAsync("create", new JsonArray(vals), cancellationToken);
        stopwatch.Stop();
        var ids = result!.AsArray().Select(n => n!.GetValue<long>()).ToArray();
        _created.AddRange(ids);
        return (stopwatch.Elapsed.TotalSeconds, ids);
    }

    private async Task<double> RawLoadAsync(int offset, int count, CancellationToken cancellationToken, string? comment = null)
    {
        var columns = PartnerColumns.For(PartnerLevel.Root, hasMobile: false);
        var rows = new JsonArray();
        foreach (var i in Enumerable.Range(offset, count))
        {
            var customer = comment is null ? Company(i) : Company(i) with { Notes = comment };
            var row = new JsonArray($"{Module}.raw_{_run}_{i}");
            foreach (var cell in Cells(customer, columns))
            {
                row.Add(cell);
            }

            rows.Add(row);
        }

        var stopwatch = Stopwatch.StartNew();
        var result = await ExecuteAsync("load", new JsonArray(new JsonArray([.. columns.Header("id").Select(h => (JsonNode?)h)]), rows), cancellationToken);
        stopwatch.Stop();
        if (result?["ids"] is not JsonArray ids)
        {
            throw new InvalidOperationException($"The raw load failed: {result?["messages"]?.ToJsonString()}");
        }

        if (comment is null)
        {
            _created.AddRange(ids.Select(n => n!.GetValue<long>()));
        }

        return stopwatch.Elapsed.TotalSeconds;
    }

    private async Task<double> RawWriteAsync(long[] ids, string comment, CancellationToken cancellationToken)
    {
        var stopwatch = Stopwatch.StartNew();
        await ExecuteAsync("write", new JsonArray(new JsonArray([.. ids.Select(id => (JsonNode?)id)]), new JsonObject { ["comment"] = comment }), cancellationToken);
        stopwatch.Stop();
        return stopwatch.Elapsed.TotalSeconds;
    }

    private async Task CleanUpAsync(CancellationToken cancellationToken)
    {
        if (_created.Count == 0 || _uid == 0 || Environment.GetEnvironmentVariable("ODOO_BENCH_KEEP") == "1")
        {
            return;
        }

        foreach (var chunk in _created.Distinct().Chunk(2_000))
        {
            await ExecuteAsync("unlink", new JsonArray(new JsonArray([.. chunk.Select(id => (JsonNode?)id)])), cancellationToken);
        }

        _output.WriteLine($"cleaned up: {_created.Count} partners unlinked (ODOO_BENCH_KEEP=1 keeps them)");
    }

    private async Task<int> AuthenticateAsync(CancellationToken cancellationToken)
    {
        var uid = await RpcAsync("common", "authenticate", new JsonArray(_target.Database, _target.Login, _target.ApiKey, new JsonObject()), cancellationToken);
        return uid is JsonValue value && value.TryGetValue<int>(out var id) && id > 0
            ? id
            : throw new InvalidOperationException($"Odoo refused the login '{_target.Login}' on database '{_target.Database}' (check ODOO_BENCH_LOGIN and ODOO_BENCH_KEY).");
    }

    private Task<JsonNode?> ExecuteAsync(string method, JsonArray args, CancellationToken cancellationToken) =>
        RpcAsync(
            "object",
            "execute_kw",
            new JsonArray(_target.Database, _uid, _target.ApiKey, "res.partner", method, args, new JsonObject
            {
                ["context"] = new JsonObject { ["lang"] = "en_US", ["tracking_disable"] = true, ["mail_create_nolog"] = true, ["mail_notrack"] = true, ["module"] = Module },
            }),
            cancellationToken);

    private async Task<JsonNode?> RpcAsync(string service, string method, JsonArray args, CancellationToken cancellationToken)
    {
        var body = new JsonObject
        {
            ["jsonrpc"] = "2.0",
            ["method"] = "call",
            ["id"] = Interlocked.Increment(ref _rpcId),
            ["params"] = new JsonObject { ["service"] = service, ["method"] = method, ["args"] = args },
        };

        // A buffered body with a Content-Length, as Concord sends.
        using var content = new StringContent(body.ToJsonString(), System.Text.Encoding.UTF8, "application/json");
        using var response = await _http.PostAsync(new Uri("jsonrpc", UriKind.Relative), content, cancellationToken);
        response.EnsureSuccessStatusCode();
        var answer = await response.Content.ReadFromJsonAsync<JsonObject>(cancellationToken) ?? throw new InvalidOperationException("Empty JSON-RPC answer.");
        return answer["error"] is { } error
            ? throw new InvalidOperationException($"Odoo refused {service}.{method}: {error["data"]?["name"]} {error["data"]?["message"]}")
            : answer["result"];
    }

    private CanonicalCustomer Company(int index) =>
        OdooBenchmarkData.Company(index, contacts: 0) with
        {
            Provenance = new Provenance { CanonicalId = string.Create(CultureInfo.InvariantCulture, $"bench-{_run}-{index}") },
            Emails = [new EmailAddress { Address = string.Create(CultureInfo.InvariantCulture, $"info{index}.{_run}@company{index}.example") }],
            TaxIds = [new TaxIdentifier { Type = TaxIdType.Vat, Value = string.Create(CultureInfo.InvariantCulture, $"DE{(100_000_000 + index) % 1_000_000_000:D9}"), Country = "DE" }],
        };

    private static UpsertRequest Request(CanonicalCustomer customer) => new()
    {
        Customer = customer,
        IdempotencyKey = IdempotencyKey.From(customer.Provenance.CanonicalId!),
    };

    /// <summary>The load cells Concord writes for <paramref name="customer"/> (the same mapper), with country, state and tags by database id.</summary>
    private string[] Cells(CanonicalCustomer customer, PartnerColumns columns)
    {
        var vals = PartnerMapper.Root(CustomerNormalizer.Normalize(customer), _references ??= new RawLookup(this), hasMobile: false, []);
        var cells = new string[columns.Fields.Count];
        vals.WriteCells(columns, cells, 0);
        return cells;
    }

    private RawLookup? _references;

    private static void AddVal(JsonObject record, string column, string cell)
    {
        if (column is "is_company" or "active")
        {
            record[column] = cell == "1";
        }
        else if (column == "category_id/.id")
        {
            record["category_id"] = new JsonArray(new JsonArray(6, 0, new JsonArray([.. cell.Split(',', StringSplitOptions.RemoveEmptyEntries).Select(id => (JsonNode?)long.Parse(id, CultureInfo.InvariantCulture))])));
        }
        else if (column.EndsWith("/.id", StringComparison.Ordinal))
        {
            record[column[..^4]] = cell.Length == 0 ? false : long.Parse(cell, CultureInfo.InvariantCulture);
        }
        else
        {
            record[column] = cell.Length == 0 ? false : cell;
        }
    }

    private static void Check(IReadOnlyList<UpsertResult> results, UpsertOutcome expected, string what)
    {
        var wrong = results.Where(r => r.Outcome != expected).ToList();
        if (wrong.Count > 0)
        {
            throw new InvalidOperationException($"{wrong.Count} Concord {what}(s) were not {expected}: {wrong[0].Outcome} {wrong[0].Error?.Message}");
        }
    }

    /// <summary>The ids of Germany, Berlin and the tag "Customer", read once from the server, for the raw calls' rows.</summary>
    private sealed class RawLookup(OdooServerComparison owner) : IReferenceLookup
    {
        private readonly Lazy<(long Country, long State, long Tag)> _ids = new(() => owner.ReadIds());

        public long? CountryId(string isoCode) => isoCode == "DE" ? _ids.Value.Country : null;

        public long? StateId(long countryId, string code) => code == "BE" ? _ids.Value.State : null;

        public long? TagId(string name) => name == "Customer" ? _ids.Value.Tag : null;

        public string? CountryCode(long countryId) => null;

        public (string CountryCode, string Code)? State(long stateId) => null;

        public string? TagName(long tagId) => null;
    }

    private (long Country, long State, long Tag) ReadIds()
    {
        long Find(string model, JsonArray domain) => RpcAsync(
                "object",
                "execute_kw",
                new JsonArray(_target.Database, _uid, _target.ApiKey, model, "search", new JsonArray(domain), new JsonObject { ["limit"] = 1 }),
                CancellationToken.None).GetAwaiter().GetResult() is JsonArray { Count: > 0 } found
            ? found[0]!.GetValue<long>()
            : throw new InvalidOperationException($"No {model} matches {domain.ToJsonString()} (the warm-up creates the tag; the base data holds the country).");

        var country = Find("res.country", new JsonArray(new JsonArray("code", "=", "DE")));
        return (country, Find("res.country.state", new JsonArray(new JsonArray("country_id", "=", country), new JsonArray("code", "=", "BE"))), Find("res.partner.category", new JsonArray(new JsonArray("name", "=", "Customer"))));
    }
}
