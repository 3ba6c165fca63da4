using System.Diagnostics;
using System.Globalization;
using Concord.Canonical.Connectors;
using Concord.Canonical.Idempotency;
using Concord.Testing.Odoo;

namespace Concord.Benchmarks.Odoo;

/// <summary>
/// Without <c>ODOO_BENCH_URL</c>: 10,000 companies with 2 contacts each into the Odoo simulator with 20 ms added to
/// every call (issue §8): calls made by kind (target: ⌈10,000/200⌉ = 50 per level, plus one external-id read and one
/// candidate search per batch, plus the country, state and tag lookups), records per second, and a second identical run
/// that must write nothing; then <see cref="OdooServerComparison"/> on a simulator. With <c>ODOO_BENCH_URL</c>,
/// <c>ODOO_BENCH_DB</c>, <c>ODOO_BENCH_KEY</c> (and <c>ODOO_BENCH_LOGIN</c>, default <c>admin</c>): the comparison
/// with the server's own calls, against that server (see the connector's README, "Benchmark against a real server").
/// With <c>ODOO_BENCH_MODEL=odoo18</c> instead: the same comparison on a simulator charging Odoo 18.0's measured costs
/// (modelled ratios, labelled so).
/// </summary>
public sealed class OdooUpsertScenario : IScenario
{
    public string Name => "odoo-upsert";

    public async Task RunAsync(bool smoke, TextWriter output, CancellationToken cancellationToken)
    {
        if (OdooServerComparison.Target.FromEnvironment() is { } server)
        {
            await OdooServerComparison.RunAsync(server, smoke, output, cancellationToken);
            return;
        }

        if (Environment.GetEnvironmentVariable("ODOO_BENCH_MODEL") is { Length: > 0 } model)
        {
            await RunModelledAsync(model, smoke, output, cancellationToken);
            return;
        }

        await RunOnSimulatorAsync(smoke, output, cancellationToken);

        // The same comparison as against a real server, on a simulator: 5 ms per call (a loopback server's overhead),
        // but no per-record cost, so the ratios show Concord's extra calls, not what a real server spends per record.
        output.WriteLine();
        output.WriteLine("Concord next to the server's own create, load and write (simulator; set ODOO_BENCH_URL for a real server):");
        using var comparison = new OdooSimulator();
        comparison.Faults.AddLatency(TimeSpan.FromMilliseconds(5));
        await OdooServerComparison.RunAsync(
            new OdooServerComparison.Target(comparison.BaseAddress, comparison.Options.Database, comparison.Options.Login, comparison.Options.ApiKey, "the Odoo simulator (5 ms per call, no per-record cost)"),
            smoke,
            output,
            cancellationToken);
    }

    /// <summary>
    /// <c>ODOO_BENCH_MODEL=odoo18</c>: the comparison on a simulator that charges Odoo 18.0's per-call and per-record
    /// costs measured on the facts page (<see cref="OdooServerCosts.Odoo18"/>), one call at a time. The ratios are
    /// modelled, not measured: they show what Concord's calls would cost such a server, not what a server did.
    /// </summary>
    private static async Task RunModelledAsync(string model, bool smoke, TextWriter output, CancellationToken cancellationToken)
    {
        if (!string.Equals(model, "odoo18", StringComparison.OrdinalIgnoreCase))
        {
            throw new InvalidOperationException($"ODOO_BENCH_MODEL={model} is not a model; the one model is odoo18.");
        }

        using var sim = new OdooSimulator(new OdooSimulatorOptions { ServerCosts = OdooServerCosts.Odoo18() });
        output.WriteLine("MODELLED, NOT MEASURED: no Odoo server ran. The Odoo simulator charges each call the costs the Odoo facts page");
        output.WriteLine("measured on Odoo 18.0 (OdooServerCosts.Odoo18: 6 ms a call, load 3.2 ms a new row and 15.4 ms an updated one,");
        output.WriteLine("create 1.4 ms, write 2 ms an id, read 0.04 ms a row, authenticate 550 ms), one call at a time.");
        await OdooServerComparison.RunAsync(
            new OdooServerComparison.Target(sim.BaseAddress, sim.Options.Database, sim.Options.Login, sim.Options.ApiKey, "the Odoo simulator with OdooServerCosts.Odoo18() (MODELLED server costs)"),
            smoke,
            output,
            cancellationToken);
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"modelled server time of the whole run: {sim.ModelledServerTime.TotalSeconds:F1} s (ratios above are modelled)"));
    }

    private static async Task RunOnSimulatorAsync(bool smoke, TextWriter output, CancellationToken cancellationToken)
    {
        var companies = smoke ? 40 : 10_000;
        var latency = TimeSpan.FromMilliseconds(smoke ? 2 : 20);
        const int ContactsEach = 2;
        const int BatchSize = 200;

        using var sim = new OdooSimulator();
        sim.Faults.AddLatency(latency);
        await using var odoo = sim.CreateConnector(o => o.BatchSize = BatchSize);
        var requests = Enumerable.Range(1, companies)
            .Select(i => new UpsertRequest { Customer = OdooBenchmarkData.Company(i, ContactsEach), IdempotencyKey = IdempotencyKey.From(string.Create(CultureInfo.InvariantCulture, $"odoo-bench-{i}")) })
            .ToList();

        var stopwatch = Stopwatch.StartNew();
        var results = await odoo.Connector.UpsertManyAsync(requests, cancellationToken);
        stopwatch.Stop();
        var firstRunCalls = sim.Journal.Count;
        var loads = sim.CallCount("res.partner", "load");
        var externalIdReads = sim.CallCount("ir.model.data", "search_read");
        var partnerSearches = sim.CallCount("res.partner", "search_read");
        var lookups = sim.CallCount("res.country", "search_read") + sim.CallCount("res.country.state", "search_read")
            + sim.CallCount("res.partner.category", "search_read") + sim.CallCount("res.partner.category", "load");

        var again = Stopwatch.StartNew();
        var second = await odoo.Connector.UpsertManyAsync(requests, cancellationToken);
        again.Stop();
        var secondRunCalls = sim.Journal.Count - firstRunCalls;
        var secondLoads = sim.CallCount("res.partner", "load") - loads;

        // Every company changes the same field to the same value: one write per batch instead of an update row per company in load.
        var updates = requests.Select(r => r with { Customer = r.Customer with { Notes = "Reviewed by the benchmark" } }).ToList();
        var loadsBefore = sim.CallCount("res.partner", "load");
        var writesBefore = sim.CallCount("res.partner", "write");
        var journalBefore = sim.Journal.Count;
        var updating = Stopwatch.StartNew();
        var updated = await odoo.Connector.UpsertManyAsync(updates, cancellationToken);
        updating.Stop();

        var failed = results.Count(r => !r.IsSuccess);
        var batches = (companies + BatchSize - 1) / BatchSize;
        var records = companies * (1 + ContactsEach);
        var inv = CultureInfo.InvariantCulture;
        output.WriteLine(string.Create(inv, $"companies={companies} contacts={companies * ContactsEach} batch={BatchSize} latency={latency.TotalMilliseconds} ms per call failed={failed}"));
        output.WriteLine(string.Create(inv, $"calls: total={firstRunCalls} load={loads} (target {2 * batches}: {batches} per level) ir.model.data reads={externalIdReads} partner searches={partnerSearches} reference lookups={lookups} version+auth={firstRunCalls - loads - externalIdReads - partnerSearches - lookups}"));
        output.WriteLine(string.Create(inv, $"elapsed={stopwatch.Elapsed.TotalSeconds:F2} s records/s={records / stopwatch.Elapsed.TotalSeconds:F0} (a real 18.0 server: ~700 records/s batched, ~55 one call per record)"));
        output.WriteLine(string.Create(inv, $"second identical run: {second.Count(r => r.Outcome == UpsertOutcome.Unchanged)} unchanged, calls={secondRunCalls} load={secondLoads} elapsed={again.Elapsed.TotalSeconds:F2} s"));
        output.WriteLine(string.Create(inv, $"same change on every company: {updated.Count(r => r.Outcome == UpsertOutcome.Updated)} updated, calls={sim.Journal.Count - journalBefore} write={sim.CallCount("res.partner", "write") - writesBefore} load={sim.CallCount("res.partner", "load") - loadsBefore} elapsed={updating.Elapsed.TotalSeconds:F2} s"));
        output.WriteLine(string.Create(inv, $"stored: companies={sim.Partners.Count(p => p.IsCompany)} contacts={sim.Partners.Count(p => p.ParentId is not null)}"));
        if (updated.Any(r => r.Outcome != UpsertOutcome.Updated) || failed > 0 || sim.Partners.Count(p => p.IsCompany) != companies || sim.Partners.Count(p => p.ParentId is not null) != companies * ContactsEach || secondLoads != 0)
        {
            throw new InvalidOperationException("The scenario did not write every record exactly once.");
        }
    }
}
