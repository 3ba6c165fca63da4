using System.Diagnostics;
using System.Globalization;
using Concord.EndToEnd.Tests.Support;
using Concord.Sync.Audit;
using Concord.Sync.Outbox;
using Concord.Sync.Storage;
using Microsoft.Extensions.DependencyInjection;
using Xunit;
using Xunit.Abstractions;

namespace Concord.EndToEnd.Tests;

/// <summary>
/// Issue 14 §4: three worker processes on one PostgreSQL schema run the same Salesforce → Odoo flow; the feed lease's
/// holder is SIGKILLed twice at random points and a new worker started each time. Afterwards every valid account is
/// one Odoo company, created by exactly one write, and every customer's events start with its creation.
/// CONCORD_SCALE_ACCOUNTS sets the number of accounts (2,000 by default).
/// </summary>
public sealed class ScaleOutTests(ITestOutputHelper output)
{
    private static readonly TimeSpan Bound = TimeSpan.FromMinutes(10);

    [Fact]
    public async Task Three_workers_on_one_PostgreSQL_schema_with_the_feed_lease_holder_killed_twice_write_every_account_once()
    {
        var accounts = int.TryParse(Environment.GetEnvironmentVariable("CONCORD_SCALE_ACCOUNTS"), NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : 2_000;
        await using var world = new EndToEndWorld("e2e-scale", accounts, "e2e_scale_" + Guid.NewGuid().ToString("N")[..12]);
        var settings = world.Settings();
        var clock = Stopwatch.StartNew();
        var workers = Enumerable.Range(0, 3).Select(_ => WorkerProcess.Start(settings, killAfter: 0, output.WriteLine)).ToList();
        var killed = new List<WorkerProcess>();
        try
        {
            await using var observer = world.BuildHost();
            var leases = observer.GetRequiredService<IFeedLeaseStore>();
            for (var kill = 1; kill <= 2; kill++)
            {
                // A random point: the holder has written a share of the accounts this worker generation is to write.
                var point = Random.Shared.Next(accounts / 20, accounts / 4);
                var holder = await WaitForHolderAsync(leases, world.FlowName, workers, h => h.Handled >= point);
                Assert.NotNull(holder);
                output.WriteLine($"kill {kill}: SIGKILL the lease holder (pid {holder!.Id}) after {holder.Handled} records, {clock.Elapsed.TotalSeconds:F1} s");
                holder.Kill();
                killed.Add(holder);
                workers.Remove(holder);
                workers.Add(WorkerProcess.Start(settings, killAfter: 0, output.WriteLine));
            }

            foreach (var worker in workers)
            {
                Assert.True(await worker.WaitAsync(Bound), "A worker did not settle.");
            }

            var lease = await leases.GetAsync(world.FlowName, "salesforce");
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{accounts} accounts, 3 workers, 2 kills: settled in {clock.Elapsed.TotalSeconds:F1} s; records handled per worker: killed {string.Join(", ", killed.Select(w => w.Handled))}, surviving {string.Join(", ", workers.Select(w => w.Handled))}; final lease token {lease?.Token}"));
            Assert.True(lease!.Token >= 3, $"The lease changed hands only {lease.Token - 1} times.");

            await world.AssertCompleteAsync(); // one Odoo company per valid account, dead letters = invalid accounts, outbox drained

            // No record written by two processes: one audited creation per source account, across every worker's runs.
            var creations = await observer.GetRequiredService<IAuditLog>()
                .QueryAsync(new AuditQuery { Flow = world.FlowName })
                .Where(a => a.Outcome == AuditOutcome.Created)
                .ToListAsync();
            var twice = creations.GroupBy(a => a.SourceExternalId).Where(g => g.Count() > 1).Select(g => g.Key).ToList();
            Assert.True(twice.Count == 0, $"{twice.Count} accounts were created more than once, e.g. {string.Join(", ", twice.Take(5))}");
            Assert.Equal(world.ValidAccountIds.Count, creations.Count);

            // In order per customer: each customer's first event is its creation.
            var firsts = world.PublishedEvents().GroupBy(e => e.Subject).Select(g => g.First().Type).ToList();
            Assert.All(firsts, type => Assert.Equal(CustomerEventTypes.Created, type));
            output.WriteLine($"{creations.Count} creations audited once each; {firsts.Count} customers announced, first event customer.created for all");
        }
        finally
        {
            foreach (var worker in workers.Concat(killed))
            {
                worker.Dispose();
            }
        }
    }

    /// <summary>Waits until a live worker holds the feed lease and <paramref name="ready"/> holds for it; null when none does within the bound.</summary>
    private static async Task<WorkerProcess?> WaitForHolderAsync(IFeedLeaseStore leases, string flow, List<WorkerProcess> workers, Func<WorkerProcess, bool> ready)
    {
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < Bound)
        {
            var lease = await leases.GetAsync(flow, "salesforce");
            var pid = lease?.Holder.Split('/') is [_, var id, _] ? int.Parse(id, CultureInfo.InvariantCulture) : -1;
            var holder = workers.Find(w => w.Id == pid && !w.HasExited);
            if (holder is not null && ready(holder))
            {
                return holder;
            }

            if (workers.TrueForAll(w => w.HasExited))
            {
                return null;
            }

            await Task.Delay(50);
        }

        return null;
    }
}
