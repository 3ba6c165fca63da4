using Concord.Benchmarks.Odoo;
using Concord.Testing.Odoo;

namespace Concord.Connectors.Odoo.Tests.Benchmark;

/// <summary>
/// Issue 13 §5: the harness that measures Concord next to the server's own <c>create</c>, <c>load</c> and grouped
/// <c>write</c> (tests/Benchmarks/Odoo/OdooServerComparison.cs, compiled in here) runs against the simulator, so the
/// raw calls it sends to a real server are exercised on a machine without one.
/// </summary>
public sealed class ServerComparisonTests
{
    [Fact]
    public async Task The_comparison_writes_the_same_records_both_ways_and_reports_a_row_per_raw_call()
    {
        using var sim = new OdooSimulator();
        var target = new OdooServerComparison.Target(sim.BaseAddress, sim.Options.Database, sim.Options.Login, sim.Options.ApiKey, "simulator");
        using var output = new StringWriter();

        var rows = await OdooServerComparison.RunAsync(target, sizes: [12, 30], updates: 8, output, CancellationToken.None);

        Assert.Equal(
            [
                ("12 new companies", "create (1 call)"), ("12 new companies", "load (1 call)"),
                ("30 new companies", "create (1 call)"), ("30 new companies", "load (1 call)"),
                ("8 updates, one value", "write (1 call, grouped)"), ("8 updates, one value", "load (1 call)"),
            ],
            rows.Select(r => (r.Records, r.RawCall)));
        Assert.All(rows, r => Assert.True(r.ConcordSeconds > 0 && r.RawSeconds > 0 && double.IsFinite(r.Ratio), $"{r.Records} / {r.RawCall}: {r.ConcordSeconds} s, {r.RawSeconds} s"));
        Assert.Equal([1.10, 1.10, 1.50], rows.Where(r => r.Goal is not null).Select(r => r.Goal!.Value));

        // The raw calls went to the server as one call each: a create of 5 (warm-up), 12, 30 and 8 records, two loads
        // of new companies and one of updates, and the one grouped write of the 8 raw updates next to Concord's own.
        Assert.Equal(4, sim.CallCount("res.partner", "create"));
        Assert.True(sim.CallCount("res.partner", "write") >= 2, "the raw grouped write and Concord's grouped write");
        var table = output.ToString();
        Assert.Contains("| 30 new companies | load (1 call) |", table, StringComparison.Ordinal);
        Assert.Contains("| 8 updates, one value | write (1 call, grouped) |", table, StringComparison.Ordinal);

        // Every partner the run created is unlinked at the end: Concord's 5 + 12 + 30, the raw 5 + 12 + 30 + 8 created
        // and 12 + 30 loaded.
        Assert.Empty(sim.Partners);
        Assert.Contains("partners unlinked", table, StringComparison.Ordinal);
    }
}
