using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace Concord.Benchmarks.Engine;

/// <summary>
/// Scaling out on PostgreSQL: the same host-submitted records (pages of 500, a target that does nothing) handled by 1, 2
/// and 3 engine instances on one PostgreSQL schema, each instance a container of its own with its own connection pool
/// (a host process), each taking every N-th record as a load balancer would spread them, next to one instance on SQLite.
/// Reports records/s over all instances, the ratio to one PostgreSQL instance, and CPU per record (all instances run in
/// this one process, so CPU per record says whether the machine's cores, rather than the database, set the ceiling).
/// Needs <c>CONCORD_POSTGRES</c> (an Npgsql connection string; <c>.ci/postgres.sh</c> starts a server). Each run uses a
/// fresh schema, dropped afterwards.
/// </summary>
internal sealed class EnginePostgresScenario : IScenario
{
    private const int Rounds = 3;

    public string Name => "engine-postgres";

    public async Task RunAsync(bool smoke, TextWriter output, CancellationToken cancellationToken)
    {
        var connectionString = Environment.GetEnvironmentVariable("CONCORD_POSTGRES");
        if (string.IsNullOrWhiteSpace(connectionString))
        {
            throw new InvalidOperationException("engine-postgres needs CONCORD_POSTGRES (an Npgsql connection string): `eval \"$(sudo bash .ci/postgres.sh)\"` starts a server and prints it.");
        }

        var records = smoke ? 300 : 12_000;
        Configuration[] configurations =
        [
            new("SQLite, 1 instance", 1, Postgres: false),
            new("PostgreSQL, 1 instance", 1, Postgres: true),
            new("PostgreSQL, 2 instances", 2, Postgres: true),
            new("PostgreSQL, 3 instances", 3, Postgres: true),
        ];

        foreach (var configuration in configurations)
        {
            await MeasureAsync(configuration, connectionString, smoke ? 60 : 3_000, cancellationToken); // warm-up: JIT, pools
        }

        var runs = configurations.ToDictionary(c => c, _ => new List<Measurement>());
        for (var round = 0; round < (smoke ? 1 : Rounds); round++)
        {
            foreach (var configuration in configurations)
            {
                runs[configuration].Add(await MeasureAsync(configuration, connectionString, records, cancellationToken));
            }
        }

        var medians = configurations.ToDictionary(c => c, c => runs[c].OrderBy(m => m.RecordsPerSecond).ToList());
        var baseline = medians[configurations[1]][medians[configurations[1]].Count / 2].RecordsPerSecond;
        output.WriteLine($"{Environment.ProcessorCount} cores; host-submitted records in pages of 500, target does nothing; {records:N0} records a run over all instances, median of {runs[configurations[0]].Count} runs (range)");
        output.WriteLine("| state | records/s | × PostgreSQL 1 instance | CPU/record (this process) | cores used by this process | machine CPU busy (all processes: PostgreSQL, other work) |");
        output.WriteLine("|---|---:|---:|---:|---:|---:|");
        foreach (var configuration in configurations)
        {
            var measured = medians[configuration];
            var median = measured[measured.Count / 2];
            output.WriteLine(string.Create(
                CultureInfo.InvariantCulture,
                $"| {configuration.Label} | {median.RecordsPerSecond:N0} ({measured[0].RecordsPerSecond:N0}–{measured[^1].RecordsPerSecond:N0}) | {median.RecordsPerSecond / baseline:0.00} | {median.CpuMicrosecondsPerRecord:N0} µs | {median.ProcessCores:0.00} | {(median.MachineBusy is { } busy ? busy.ToString("P0", CultureInfo.InvariantCulture) : "n/a")} |"));
        }
    }

    private static async Task<Measurement> MeasureAsync(Configuration configuration, string connectionString, int records, CancellationToken cancellationToken)
    {
        using var folder = new EngineHost.TempFolder();
        var schema = "bench_" + Guid.NewGuid().ToString("N")[..20];
        var instances = Enumerable.Range(0, configuration.Instances)
            .Select(_ => new EngineInstance(concord =>
            {
                if (configuration.Postgres)
                {
                    concord.UsePostgreSql(options =>
                    {
                        options.ConnectionString = connectionString;
                        options.Schema = schema;
                    });
                }
                else
                {
                    concord.UseSqlite(options => options.DatabasePath = folder.Database);
                }
            }))
            .ToList();
        try
        {
            // Create the schema before the clock starts: migrating is a start-up cost, not a per-record one.
            await Task.WhenAll(instances.Select(i => i.SubmitShareAsync(records, 1, records + 1, cancellationToken)));
            using var process = Process.GetCurrentProcess();
            process.Refresh();
            var cpuBefore = process.TotalProcessorTime;
            var machineBefore = MachineCpu.Read();
            var clock = Stopwatch.StartNew();
            var summaries = await Task.WhenAll(instances.Select((instance, n) => instance.SubmitShareAsync(n, instances.Count, records, cancellationToken)));
            clock.Stop();
            process.Refresh();
            var cpu = process.TotalProcessorTime - cpuBefore;
            var machineBusy = MachineCpu.BusyShare(machineBefore, MachineCpu.Read());
            var handled = summaries.Sum(s => s.Created + s.Updated + s.Unchanged);
            if (handled != records)
            {
                throw new InvalidOperationException($"{configuration.Label}: {handled} of {records} records were handled: {string.Join("; ", summaries.Select(s => s.ToString()))}");
            }

            return new Measurement(records / clock.Elapsed.TotalSeconds, cpu.TotalMilliseconds * 1000 / records, cpu / clock.Elapsed, machineBusy);
        }
        finally
        {
            foreach (var instance in instances)
            {
                await instance.DisposeAsync();
            }

            if (configuration.Postgres)
            {
                await using var dataSource = NpgsqlDataSource.Create(connectionString);
                await using var drop = dataSource.CreateCommand($"DROP SCHEMA IF EXISTS {schema} CASCADE;");
                await drop.ExecuteNonQueryAsync(cancellationToken);
            }
        }
    }

    private sealed record Configuration(string Label, int Instances, bool Postgres);

    private sealed record Measurement(double RecordsPerSecond, double CpuMicrosecondsPerRecord, double ProcessCores, double? MachineBusy);

    /// <summary>The machine's CPU counters from <c>/proc/stat</c> (Linux), to tell a busy machine from a waiting engine.</summary>
    private static class MachineCpu
    {
        public static (long Busy, long Total)? Read()
        {
            if (!File.Exists("/proc/stat"))
            {
                return null;
            }

            var fields = File.ReadLines("/proc/stat").First().Split(' ', StringSplitOptions.RemoveEmptyEntries).Skip(1).Select(f => long.Parse(f, CultureInfo.InvariantCulture)).ToArray();
            var idle = fields[3] + fields[4];
            var total = fields.Take(8).Sum();
            return (total - idle, total);
        }

        public static double? BusyShare((long Busy, long Total)? before, (long Busy, long Total)? after) =>
            before is { } b && after is { } a && a.Total > b.Total ? (double)(a.Busy - b.Busy) / (a.Total - b.Total) : null;
    }
}
