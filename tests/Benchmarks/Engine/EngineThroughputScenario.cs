using System.Diagnostics;
using System.Globalization;
using Concord.Storage.Sqlite;

namespace Concord.Benchmarks.Engine;

/// <summary>
/// Engine cost per record on SQLite state (schema validation, identity lookup, merge, idempotency claim, audit, outbox,
/// one commit per page) with a target that does nothing: records/s, CPU time per record (the figure that holds on a
/// shared machine) and bytes allocated per record, for each SQLite synchronous mode, and without schema validation to
/// show its share. A warm-up run on its own file comes first so that JIT and first-use costs are not counted; then the
/// configurations take turns, <see cref="Rounds"/> runs each, and the median run of each is reported with the range.
/// </summary>
internal sealed class EngineThroughputScenario : IScenario
{
    private const int Rounds = 3;

    public string Name => "engine-sqlite";

    public async Task RunAsync(bool smoke, TextWriter output, CancellationToken cancellationToken)
    {
        var records = smoke ? 300 : 20_000;
        Configuration[] configurations =
        [
            new("synchronous NORMAL (default)", SqliteSynchronousMode.Normal, Validate: true),
            new("NORMAL, schema validation off", SqliteSynchronousMode.Normal, Validate: false),
            new("synchronous FULL", SqliteSynchronousMode.Full, Validate: true),
        ];

        // Tiered JIT needs a few thousand records on every path before tier-1 code runs: warm up on a generous run.
        foreach (var configuration in configurations)
        {
            await MeasureAsync(configuration, smoke ? 100 : 10_000, cancellationToken);
        }

        var runs = configurations.ToDictionary(c => c, _ => new List<Measurement>());
        for (var round = 0; round < (smoke ? 1 : Rounds); round++)
        {
            foreach (var configuration in configurations)
            {
                runs[configuration].Add(await MeasureAsync(configuration, records, cancellationToken));
            }
        }

        output.WriteLine($"{Environment.ProcessorCount} cores; one flow, pages of 500, target does nothing; {records:N0} records a run, median of {runs[configurations[0]].Count} runs (range)");
        output.WriteLine("| state | records/s | CPU/record | records/s per CPU-second | allocated/record | state file |");
        output.WriteLine("|---|---:|---:|---:|---:|---:|");
        foreach (var configuration in configurations)
        {
            var measured = runs[configuration].OrderBy(m => m.RecordsPerSecond).ToList();
            var median = measured[measured.Count / 2];
            output.WriteLine(string.Create(
                CultureInfo.InvariantCulture,
                $"| {configuration.Label} | {median.RecordsPerSecond:N0} ({measured[0].RecordsPerSecond:N0}–{measured[^1].RecordsPerSecond:N0}) | {median.CpuMicrosecondsPerRecord:N0} µs | {median.RecordsPerCpuSecond:N0} | {median.AllocatedPerRecord:N0} B | {median.StateMegabytes:0.0} MB |"));
        }
    }

    private static async Task<Measurement> MeasureAsync(Configuration configuration, int records, CancellationToken cancellationToken)
    {
        using var folder = new EngineHost.TempFolder();
        await using var host = new EngineHost(folder.Database, records, configuration.Synchronous, validateAgainstSchema: configuration.Validate);
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

        return new Measurement(
            records / clock.Elapsed.TotalSeconds,
            cpu.TotalMilliseconds * 1000 / records,
            records / cpu.TotalSeconds,
            allocated / records,
            folder.DatabaseBytes / 1024.0 / 1024.0);
    }

    private sealed record Configuration(string Label, SqliteSynchronousMode Synchronous, bool Validate);

    private sealed record Measurement(double RecordsPerSecond, double CpuMicrosecondsPerRecord, double RecordsPerCpuSecond, long AllocatedPerRecord, double StateMegabytes);
}
