using System.Globalization;
using Concord.Canonical;
using Concord.Canonical.Errors;
using Concord.EndToEnd.Tests.Support;
using Concord.EndToEnd.Worker;
using Concord.Sync.Flows;
using Concord.Sync.Identity;
using Concord.Sync.Outbox;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Abstractions;

namespace Concord.EndToEnd.Tests;

/// <summary>
/// Issue 11 §2 against the simulators: after a complete first sync, 300 Salesforce accounts are renamed; the update run is
/// interrupted after Odoo applied a write (the worker SIGKILLed while it waits for the answer, or the answers lost beyond
/// the HTTP retries). At the end every renamed company has its new name in Odoo, and every one of those customers was
/// announced with <c>customer.updated</c> (at least once) and has an Updated audit entry.
/// </summary>
public sealed class UpdateRecoveryTests(ITestOutputHelper output)
{
    private const int Edited = 300;
    private static readonly TimeSpan WorkerTimeout = TimeSpan.FromSeconds(90);

    [Fact]
    public async Task A_worker_killed_while_an_applied_update_waits_for_its_answer_still_announces_every_updated_customer()
    {
        await using var world = new EndToEndWorld("e2e-update-kill");
        await SyncAllAsync(world);
        var renamed = Rename(world);

        // A write of the update run (one of the first three) is applied and its answers are lost while the worker retries
        // it; the worker is killed in that moment, as a crash or a deployment would: the vendor has the change, Concord has
        // no answer, no commit and no event.
        var skip = Random.Shared.Next(0, 3);
        var loads = 0;
        world.Odoo.Faults.LoseNextResponses(6, r => IsWrite(r) && Interlocked.Increment(ref loads) > skip);
        using (var worker = WorkerProcess.Start(world.Settings(), killAfter: 0, output.WriteLine))
        {
            var lost = await WaitForAsync(() => world.Odoo.Journal.Entries.Any(e => e.Fault == Concord.Testing.FaultKind.LostResponse), WorkerTimeout);
            worker.Kill();
            output.WriteLine($"worker killed after the answer to write {skip + 1} was lost ({worker.Handled} records handled)");
            Assert.True(lost, "No answer was lost before the worker finished.");
            await worker.WaitAsync(WorkerTimeout);
        }

        world.Odoo.Faults.Clear();
        using (var last = WorkerProcess.Start(world.Settings(), killAfter: 0, output.WriteLine))
        {
            Assert.True(await last.WaitAsync(WorkerTimeout), "The last worker did not settle the flow.");
        }

        await AssertAnnouncedAsync(world, renamed);
    }

    [Fact]
    public async Task Odoo_responses_lost_beyond_the_retries_after_the_updates_were_applied_still_announce_every_updated_customer()
    {
        await using var world = new EndToEndWorld("e2e-update-lost");
        await SyncAllAsync(world);
        var renamed = Rename(world);

        // Every write of the first page loses its response six times in a row: more than the five HTTP retries.
        world.Odoo.Faults.LoseNextResponses(6, IsWrite);
        await using (var host = world.BuildHost())
        {
            var flow = host.GetRequiredService<IFlowRunner>().Flows.Single();
            var first = await flow.RunOnceAsync();
            output.WriteLine($"run with lost responses: {first}");
            // Answers lost beyond the retries look like an outage: Odoo is paused and the page waits in the source (no
            // attempt used, nothing deferred) until the probe; then every applied update is completed and announced.
            Assert.True(first is { Stopped: true, StopCategory: ErrorCategory.Transient, Deferred: 0, DeadLettered: 0 }, "Odoo was not paused: the lost responses did not outlast the HTTP retries.");
            await EndToEndFlow.RunUntilSettledAsync(flow, s => Log(s));
        }

        await AssertAnnouncedAsync(world, renamed);
    }

    private static bool IsWrite(Concord.Testing.SimulatorRequest request) =>
        request.Body?.Contains("\"load\"", StringComparison.Ordinal) == true || request.Path.EndsWith("/load", StringComparison.Ordinal);

    private static async Task<bool> WaitForAsync(Func<bool> condition, TimeSpan timeout)
    {
        var until = DateTimeOffset.UtcNow + timeout;
        while (!condition())
        {
            if (DateTimeOffset.UtcNow > until)
            {
                return false;
            }

            await Task.Delay(TimeSpan.FromMilliseconds(2));
        }

        return true;
    }

    private static async Task SyncAllAsync(EndToEndWorld world)
    {
        await using var host = world.BuildHost();
        var flow = host.GetRequiredService<IFlowRunner>().Flows.Single();
        await EndToEndFlow.RunUntilSettledAsync(flow, async _ => await host.GetRequiredService<IOutboxDispatcher>().DispatchAsync());
    }

    private static Dictionary<string, string> Rename(EndToEndWorld world)
    {
        var renamed = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var id in world.ValidAccountIds.Take(Edited))
        {
            var name = string.Create(CultureInfo.InvariantCulture, $"Renamed {id} AG");
            world.Salesforce.EditRecord(id, new Dictionary<string, object?> { ["Name"] = name });
            renamed[id] = name;
        }

        return renamed;
    }

    private static async Task AssertAnnouncedAsync(EndToEndWorld world, Dictionary<string, string> renamed)
    {
        await using var host = world.BuildHost();
        await host.GetRequiredService<IOutboxDispatcher>().DispatchAsync();
        var map = host.GetRequiredService<IIdentityMap>();
        var canonical = await map.ResolveAsync([.. renamed.Keys.Select(id => new ExternalRef("salesforce", id))]);
        Assert.Equal(renamed.Count, canonical.Count);
        var entries = await map.GetAsync([.. canonical.Values]);
        var wrongName = renamed
            .Where(r => world.Odoo.Partner(long.Parse(entries[canonical[new ExternalRef("salesforce", r.Key)]].LinkTo("odoo")!.ExternalId, CultureInfo.InvariantCulture))!.Name != r.Value)
            .Select(r => r.Key)
            .ToList();
        Assert.True(wrongName.Count == 0, $"{wrongName.Count} Odoo companies lack their new name, e.g. {string.Join(", ", wrongName.Take(5))}");

        var updated = world.PublishedEvents().Where(e => e.Type == CustomerEventTypes.Updated).Select(e => e.Subject).ToHashSet(StringComparer.Ordinal);
        var silent = canonical.Values.Where(id => !updated.Contains(id)).ToList();
        Assert.True(silent.Count == 0, $"{silent.Count} of {renamed.Count} renamed customers were never announced as customer.updated, e.g. {string.Join(", ", silent.Take(5))}");

        var audited = new HashSet<string>(StringComparer.Ordinal);
        await foreach (var entry in host.GetRequiredService<Concord.Sync.Audit.IAuditLog>().QueryAsync(new Concord.Sync.Audit.AuditQuery { Flow = world.FlowName }))
        {
            if (entry.Outcome == Concord.Sync.Audit.AuditOutcome.Updated && entry.FieldsChanged.Contains(nameof(CanonicalCustomer.Name)) && entry.CanonicalId is { } id)
            {
                audited.Add(id);
            }
        }

        var unaudited = canonical.Values.Where(id => !audited.Contains(id)).ToList();
        Assert.True(unaudited.Count == 0, $"{unaudited.Count} of {renamed.Count} renamed customers have no Updated audit entry naming Name, e.g. {string.Join(", ", unaudited.Take(5))}");
    }

    private Task Log(FlowRunSummary summary)
    {
        output.WriteLine(summary.ToString());
        return Task.CompletedTask;
    }
}
