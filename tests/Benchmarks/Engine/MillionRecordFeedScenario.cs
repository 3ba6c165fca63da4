using System.Diagnostics;
using System.Globalization;
using Concord.Storage.Sqlite;

namespace Concord.Benchmarks.Engine;

/// <summary>
/// A 1,000,000-record generated change feed through the engine on SQLite state (synchronous NORMAL) to a target that
/// does nothing, sampling the working set every second: memory must stay flat (target: peak working set under 300 MB).
/// </summary>
internal sealed class MillionRecordFeedScenario : IScenario
{
    public string Name => "engine-million";

    public async Task RunAsync(bool smoke, TextWriter output, CancellationToken cancellationToken)
    {
        var records = smoke ? 2_000 : 1_000_000;
        using var folder = new EngineHost.TempFolder();
        await using var host = new EngineHost(folder.Database, records, SqliteSynchronousMode.Normal);
        using var process = Process.GetCurrentProcess();
        var samples = new List<(TimeSpan At, long WorkingSet, long Written)>();
        var clock = Stopwatch.StartNew();
        using var sampling = new CancellationTokenSource();
        var sampler = Task.Run(
            async () =>
            {
                using var timer = new PeriodicTimer(TimeSpan.FromSeconds(smoke ? 0.2 : 5));
                try
                {
                    while (await timer.WaitForNextTickAsync(sampling.Token))
                    {
                        process.Refresh();
                        lock (samples)
                        {
                            samples.Add((clock.Elapsed, process.WorkingSet64, host.Target.Writes));
                        }
                    }
                }
                catch (OperationCanceledException)
                {
                }
            },
            CancellationToken.None);

        var summary = await host.Flow.RunOnceAsync(cancellationToken);
        clock.Stop();
        await sampling.CancelAsync();
        await sampler;
        process.Refresh();
        if (summary.Read != records || host.Target.Writes != records)
        {
            throw new InvalidOperationException($"The run read {summary.Read} and wrote {host.Target.Writes} of {records} records: {summary}");
        }

        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"records: {records:N0} in {clock.Elapsed.TotalSeconds:0.0} s ({records / clock.Elapsed.TotalSeconds:N0}/s)"));
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"peak working set: {process.PeakWorkingSet64 / 1024.0 / 1024.0:0.0} MB (target < 300 MB); state file {folder.DatabaseBytes / 1024.0 / 1024.0:0} MB"));
        output.WriteLine("working set over the run (elapsed, MB, records written):");
        foreach (var (at, workingSet, written) in samples.Where((_, i) => i % Math.Max(1, samples.Count / 12) == 0))
        {
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {at.TotalSeconds,6:0} s  {workingSet / 1024.0 / 1024.0,6:0.0} MB  {written,9:N0}"));
        }
    }
}
