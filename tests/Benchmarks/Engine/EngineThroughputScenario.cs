using System.Diagnostics;
using System.Globalization;
using Concord.Storage.Sqlite;

namespace Concord.Benchmarks.Engine;

/// <summary>
/// Engine cost per record on SQLite state (schema validation, identity lookup, merge, idempotency claim, audit, outbox,
/// one commit per page) with a target that does nothing: records/s, CPU time per record (the figure that holds on a
/// shared machine) and bytes allocated per record, for each SQLite synchronous mode, and without schema validation to
/// show its share. A warm-up run on its own file comes first so that JIT and first-use costs are not counted.
/// </summary>
internal sealed class EngineThroughputScenario : IScenario
{
    public string Name => "engine-sqlite";

    public async Task RunAsync(bool smoke, TextWriter output, CancellationToken cancellationToken)
    {
        var records = smoke ? 300 : 20_000;
        // Tiered JIT needs a few thousand records on every path before tier-1 code runs: warm up on a generous run.
        await MeasureAsync("warm-up", smoke ? 100 : 10_000, SqliteSynchronousMode.Normal, true, null, cancellationToken);
        await MeasureAsync("warm-up", smoke ? 100 : 10_000, SqliteSynchronousMode.Normal, false, null, cancellationToken);
        output.WriteLine($"{Environment.ProcessorCount} cores; one flow, pages of 500, target does nothing");
        output.WriteLine("| state | records | elapsed | records/s | CPU/record | records/s per CPU-second | allocated/record | state file |");
        output.WriteLine("|---|---:|---:|---:|---:|---:|---:|---:|");
        await MeasureAsync("synchronous NORMAL (default)", records, SqliteSynchronousMode.Normal, true, output, cancellationToken);
        await MeasureAsync("NORMAL, schema validation off", records, SqliteSynchronousMode.Normal, false, output, cancellationToken);
        await MeasureAsync("synchronous FULL", records, SqliteSynchronousMode.Full, true, output, cancellationToken);
    }

    private static async Task MeasureAsync(string label, int records, SqliteSynchronousMode mode, bool validate, TextWriter? output, CancellationToken cancellationToken)
    {
        using var folder = new EngineHost.TempFolder();
        await using var host = new EngineHost(folder.Database, records, mode, validateAgainstSchema: validate);
        using var process = Process.GetCurrentProcess();
        GC.Collect();
        var allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);
        process.Refresh();
        var cpuBefore = process.TotalProcessorTime;
        var clock = Stopwatch.StartNew();
        var summary = await host.Flow.RunOnceAsync(cancellationToken);
        clock.Stop();
        process.Refresh();
        var cpu = process.TotalProcessorTime - cpuBefore;
        var allocated = GC.GetTotalAllocatedBytes(precise: true) - allocatedBefore;
        if (summary.Read != records || host.Target.Writes != records)
        {
            throw new InvalidOperationException($"The run read {summary.Read} and wrote {host.Target.Writes} of {records} records: {summary}");
        }

        output?.WriteLine(string.Create(
            CultureInfo.InvariantCulture,
            $"| {label} | {records:N0} | {clock.Elapsed.TotalSeconds:0.00} s | {records / clock.Elapsed.TotalSeconds:N0} | {cpu.TotalMilliseconds * 1000 / records:N0} µs | {records / cpu.TotalSeconds:N0} | {allocated / records:N0} B | {folder.DatabaseBytes / 1024.0 / 1024.0:0.0} MB |"));
    }
}
