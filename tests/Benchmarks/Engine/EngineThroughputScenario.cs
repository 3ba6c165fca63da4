using System.Diagnostics;
using System.Globalization;
using Concord.Storage.Sqlite;

namespace Concord.Benchmarks.Engine;

/// <summary>
/// Engine cost per record on SQLite state (schema validation, identity lookup, merge, idempotency claim, audit, outbox,
/// one commit per page) with a target that does nothing: records/s and bytes allocated per record, for each SQLite
/// synchronous mode. A warm-up run on its own file comes first so that JIT and first-use costs are not counted.
/// </summary>
internal sealed class EngineThroughputScenario : IScenario
{
    public string Name => "engine-sqlite";

    public async Task RunAsync(bool smoke, TextWriter output, CancellationToken cancellationToken)
    {
        var records = smoke ? 300 : 20_000;
        await MeasureAsync(smoke ? 100 : 2_000, SqliteSynchronousMode.Normal, null, cancellationToken);
        output.WriteLine("| synchronous | records | elapsed | records/s | allocated/record | state file |");
        output.WriteLine("|---|---:|---:|---:|---:|---:|");
        foreach (var mode in new[] { SqliteSynchronousMode.Normal, SqliteSynchronousMode.Full })
        {
            await MeasureAsync(records, mode, output, cancellationToken);
        }
    }

    private static async Task MeasureAsync(int records, SqliteSynchronousMode mode, TextWriter? output, CancellationToken cancellationToken)
    {
        using var folder = new EngineHost.TempFolder();
        await using var host = new EngineHost(folder.Database, records, mode);
        GC.Collect();
        var allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);
        var clock = Stopwatch.StartNew();
        var summary = await host.Flow.RunOnceAsync(cancellationToken);
        clock.Stop();
        var allocated = GC.GetTotalAllocatedBytes(precise: true) - allocatedBefore;
        if (summary.Read != records || host.Target.Writes != records)
        {
            throw new InvalidOperationException($"The run read {summary.Read} and wrote {host.Target.Writes} of {records} records: {summary}");
        }

        output?.WriteLine(string.Create(
            CultureInfo.InvariantCulture,
            $"| {mode} | {records:N0} | {clock.Elapsed.TotalSeconds:0.00} s | {records / clock.Elapsed.TotalSeconds:N0} | {allocated / records:N0} B | {folder.DatabaseBytes / 1024.0 / 1024.0:0.0} MB |"));
    }
}
