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
/// Issue 14 §4: three worker processes on one PostgreSQL schema and one RabbitMQ broker run the same Salesforce → Odoo
/// flow; both simulators enforce a request-rate limit, which the workers draw from one budget in the shared state; the
/// feed lease's holder is SIGKILLed twice at random points and a new worker started each time. Afterwards every valid
/// account is one Odoo company, created by exactly one write, every event in the outbox reached the broker at least once
/// and in order per customer (first <c>customer.created</c>), and neither simulator refused a request for the rate.
/// CONCORD_SCALE_ACCOUNTS sets the number of accounts (2,000 by default).
/// </summary>
public sealed class ScaleOutTests(ITestOutputHelper output)
{
    private static readonly TimeSpan Bound = TimeSpan.FromMinutes(10);

    /// <summary>How many records a new holder may read again after a kill: what the killed one had handled past its last checkpoint (five pages of 100).</summary>
    private const int ReReadAfterKill = 500;

    /// <summary>
    /// Each vendor's limit: 60 requests in any 30 s, about half the rate at which the lease holder alone calls Odoo
    /// unthrottled (109 calls for 2,000 accounts), so it runs at the limit; and a window much longer than a takeover (feed
    /// lease 2 s), so the requests of a killed holder still count at the vendor when the next one starts: an instance with
    /// a budget of its own would start with its whole window free and exceed the limit.
    /// </summary>
    internal static readonly VendorRateLimit Limit = new(60, TimeSpan.FromSeconds(30));

    [Fact]
    public async Task Three_workers_on_one_PostgreSQL_schema_with_the_feed_lease_holder_killed_twice_write_every_account_once()
    {
        var accounts = int.TryParse(Environment.GetEnvironmentVariable("CONCORD_SCALE_ACCOUNTS"), NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : 2_000;
        await using var world = new EndToEndWorld("e2e-scale", accounts, "e2e_scale_" + Guid.NewGuid().ToString("N")[..12], Limit);
        await world.UseRabbitMqAsync();
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
                // A random point: the holder has written a share of the accounts, whose requests still count at the vendor when
                // the next holder starts, and the second kill leaves work for the last holder.
                var point = kill == 1 ? Random.Shared.Next(accounts * 35 / 100, accounts / 2) : Random.Shared.Next(accounts / 5, accounts * 35 / 100);
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

            // One reader at a time: the workers together handled each account once, plus what a killed holder had handled
            // past its last checkpoint (at most a few pages) and the new holder read again. Workers reading the feed at once
            // would each handle most accounts.
            var handled = workers.Concat(killed).Sum(w => w.Handled);
            Assert.True(handled <= accounts + (killed.Count * ReReadAfterKill), $"The workers handled {handled} records for {accounts} accounts: more than one read the feed at once.");

            await world.AssertCompleteAsync(); // one Odoo company per valid account, dead letters = invalid accounts, outbox drained, customer.created for each

            // No record written by two processes: one audited creation per source account, across every worker's runs.
            var creations = await observer.GetRequiredService<IAuditLog>()
                .QueryAsync(new AuditQuery { Flow = world.FlowName })
                .Where(a => a.Outcome == AuditOutcome.Created)
                .ToListAsync();
            var twice = creations.GroupBy(a => a.SourceExternalId).Where(g => g.Count() > 1).Select(g => g.Key).ToList();
            Assert.True(twice.Count == 0, $"{twice.Count} accounts were created more than once, e.g. {string.Join(", ", twice.Take(5))}");
            Assert.Equal(world.ValidAccountIds.Count, creations.Count);

            // Every event in the outbox reached the broker at least once, and each customer's in the outbox's order, the first its creation.
            var delivered = await world.PublishedEventsAsync();
            var enqueued = await OutboxAsync(world.PostgreSqlSchema!);
            var missing = enqueued.Select(e => e.Id).Except(delivered.Select(e => e.Id), StringComparer.Ordinal).ToList();
            Assert.True(missing.Count == 0, $"{missing.Count} of {enqueued.Count} events never reached the broker, e.g. {string.Join(", ", missing.Take(5))}");
            var outOfOrder = delivered.GroupBy(e => e.Subject)
                .Where(g => !g.Select(e => e.Id).Distinct(StringComparer.Ordinal).SequenceEqual(enqueued.Where(e => e.Subject == g.Key).Select(e => e.Id)))
                .Select(g => g.Key)
                .ToList();
            Assert.True(outOfOrder.Count == 0, $"{outOfOrder.Count} customers' events reached the broker out of order, e.g. {string.Join(", ", outOfOrder.Take(5))}");
            var firsts = delivered.GroupBy(e => e.Subject).Select(g => g.First().Type).ToList();
            Assert.All(firsts, type => Assert.Equal(CustomerEventTypes.Created, type));
            Assert.Equal(world.ValidAccountIds.Count, firsts.Count);
            output.WriteLine($"{creations.Count} creations audited once each; {enqueued.Count} events enqueued, {delivered.Count} messages on the broker ({delivered.Count - enqueued.Count} sent again), {firsts.Count} customers, first event customer.created for all");

            // The vendors' limits: one budget for every instance kept them all under it.
            var salesforceCalls = world.Salesforce.Journal.Where(e => e.Path.StartsWith("/services/data/", StringComparison.Ordinal));
            var odooCalls = world.Odoo.Journal.Entries;
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"limit {Limit.Count} per {Limit.Window.TotalSeconds} s: Salesforce {salesforceCalls.Count} API calls, busiest window {Busiest(salesforceCalls, Limit.Window)}, refused for the rate {world.Salesforce.RateLimitExceeded}; Odoo {odooCalls.Count} calls, busiest window {Busiest(odooCalls, Limit.Window)}, refused for the rate {world.Odoo.RateLimitExceeded}"));
            Assert.Equal(0, world.Salesforce.RateLimitExceeded);
            Assert.Equal(0, world.Odoo.RateLimitExceeded);
        }
        finally
        {
            foreach (var worker in workers.Concat(killed))
            {
                worker.Dispose();
            }
        }
    }

    /// <summary>
    /// What the shared budget prevents, so that the proof's RateLimitExceeded == 0 can fail: with a budget of its own in each
    /// worker, the holder killed while it runs at the limit leaves requests the vendor still counts, and the next holder,
    /// whose own window is empty, adds as many again.
    /// </summary>
    [Fact]
    public async Task Without_the_shared_budget_the_next_feed_lease_holder_exceeds_the_limit_the_killed_one_was_spending()
    {
        await using var world = new EndToEndWorld("e2e-scale-unshared", 2_000, "e2e_scale_" + Guid.NewGuid().ToString("N")[..12], Limit with { Shared = false });
        var settings = world.Settings();
        var workers = Enumerable.Range(0, 2).Select(_ => WorkerProcess.Start(settings, killAfter: 0, output.WriteLine)).ToList();
        try
        {
            await using var observer = world.BuildHost();
            var leases = observer.GetRequiredService<IFeedLeaseStore>();

            // At 1,000 records the holder has sent Odoo about 55 requests within the window; the next one would send as many.
            var holder = await WaitForHolderAsync(leases, world.FlowName, workers, h => h.Handled >= 1_000);
            Assert.NotNull(holder);
            holder!.Kill();
            workers.Add(WorkerProcess.Start(settings, killAfter: 0, output.WriteLine));
            var waited = Stopwatch.StartNew();
            while (world.Odoo.RateLimitExceeded + world.Salesforce.RateLimitExceeded == 0 && !workers.TrueForAll(w => w.HasExited) && waited.Elapsed < Bound)
            {
                await Task.Delay(100);
            }

            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"budgets of their own, limit {Limit.Count} per {Limit.Window.TotalSeconds} s: Odoo busiest window {Busiest(world.Odoo.Journal.Entries, Limit.Window)}, refused {world.Odoo.RateLimitExceeded}; Salesforce refused {world.Salesforce.RateLimitExceeded}"));
            Assert.True(world.Odoo.RateLimitExceeded + world.Salesforce.RateLimitExceeded > 0, "The vendors' limits were not exceeded without the shared budget: the proof's check could not fail.");
        }
        finally
        {
            foreach (var worker in workers)
            {
                worker.Dispose();
            }
        }
    }

    /// <summary>The events in the outbox table of <paramref name="schema"/>, in enqueue order.</summary>
    private static async Task<List<(string Id, string Subject)>> OutboxAsync(string schema)
    {
        await using var dataSource = Npgsql.NpgsqlDataSource.Create(EndToEndWorld.PostgreSqlConnectionString);
        await using var query = dataSource.CreateCommand($"SELECT id, subject FROM {schema}.concord_outbox ORDER BY sequence");
        await using var reader = await query.ExecuteReaderAsync();
        var events = new List<(string Id, string Subject)>();
        while (await reader.ReadAsync())
        {
            events.Add((reader.GetString(0), reader.IsDBNull(1) ? string.Empty : reader.GetString(1)));
        }

        return events;
    }

    /// <summary>The most requests the vendor took in any <paramref name="window"/> (refusals do not count, as the simulators do not count them).</summary>
    internal static int Busiest(IReadOnlyList<Concord.Testing.JournalEntry> calls, TimeSpan window)
    {
        var taken = calls.Where(c => c.StatusCode is not (429 or 403)).Select(c => c.Time).Order().ToList();
        var busiest = 0;
        for (int first = 0, last = 0; last < taken.Count; last++)
        {
            while (taken[last] - taken[first] >= window)
            {
                first++;
            }

            busiest = Math.Max(busiest, last - first + 1);
        }

        return busiest;
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
