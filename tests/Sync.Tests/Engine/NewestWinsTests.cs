using Concord.Canonical;
using Concord.Canonical.Errors;
using Concord.Sync.Audit;
using Concord.Sync.DeadLetters;
using Concord.Sync.Flows;
using Concord.Sync.Outbox;
using Concord.Sync.Tests.Engine.Fakes;
using Microsoft.Extensions.DependencyInjection;
using Xunit;

namespace Concord.Sync.Tests.Engine;

/// <summary>Issue 11 §1: the newest source version is the one a target keeps, and a revert is a change like any other.</summary>
public sealed class NewestWinsTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 20, 8, 0, 0, TimeSpan.Zero);

    private static (EngineHarness Harness, FakeCustomerConnector Crm, FakeCustomerConnector Erp) Create(Action<FlowBuilder>? configure = null)
    {
        var crm = new FakeCustomerConnector("crm");
        var erp = new FakeCustomerConnector("erp");
        var harness = new EngineHarness(c => c.AddFlow("flow", f =>
        {
            f.From("crm").To("erp");
            configure?.Invoke(f);
        }), null, crm, erp);
        return (harness, crm, erp);
    }

    [Fact]
    public async Task A_revert_to_an_earlier_value_is_written_and_audited_as_an_update()
    {
        var (harness, crm, erp) = Create();
        using var _ = harness;
        crm.Emit(Customers.Company(1) with { Name = "A" }, T0, id: "r1");
        await harness.Flow().RunOnceAsync();
        harness.Time.Advance(TimeSpan.FromMinutes(1));
        crm.Emit(Customers.Company(1) with { Name = "B" }, T0.AddHours(1), id: "r1");
        await harness.Flow().RunOnceAsync();
        harness.Time.Advance(TimeSpan.FromMinutes(1));

        crm.Emit(Customers.Company(1) with { Name = "A" }, T0.AddHours(2), id: "r1");
        var revert = await harness.Flow().RunOnceAsync();

        Assert.Equal("A", Assert.Single(erp.Records.Values).Name);
        Assert.Equal((1, 0, 0), (revert.Updated, revert.Created, revert.Unchanged));
        Assert.Equal([AuditOutcome.Created, AuditOutcome.Updated, AuditOutcome.Updated], (await harness.AuditAsync()).OrderBy(e => e.At).Select(e => e.Outcome));
        Assert.Equal(3, erp.RecordsWritten);
    }

    [Fact]
    public async Task A_revert_deferred_behind_an_interrupted_write_of_the_value_it_reverts_is_still_written()
    {
        var (harness, crm, erp) = Create();
        using var _ = harness;
        crm.Emit(Customers.Company(1) with { Name = "A" }, T0, id: "r1");
        await harness.Flow().RunOnceAsync();

        // B reaches the ERP but its answer is lost: the ERP pauses, and the revert to A, later in the same run, waits in the
        // source with B (the cursor stays before B) until the probe.
        crm.Emit(Customers.Company(1) with { Name = "B" }, T0.AddHours(1), id: "r1");
        crm.Emit(Customers.Company(1) with { Name = "A" }, T0.AddHours(2), id: "r1");
        erp.LoseResponses(1);
        var interrupted = await harness.Flow().RunOnceAsync();
        var cursorWhilePaused = (await harness.Cursors.GetAsync("flow", "crm"))!.Cursor.Value;
        harness.Time.Advance(harness.Flow().Options.ProbeInterval);
        var retry = await harness.Flow().RunOnceAsync();

        Assert.Equal((0, true), (interrupted.Deferred, interrupted.Stopped));
        Assert.Equal("1", cursorWhilePaused);
        Assert.Equal("A", Assert.Single(erp.Records.Values).Name);

        // B was applied: it is completed with its own update (audit entry and event), then A is written over it.
        Assert.Equal((2, false), (retry.Updated, retry.Stopped));
        Assert.Empty(await harness.DeadLettersAsync(DeadLetterStatus.Deferred));
        await harness.Dispatcher.DispatchAsync();
        Assert.Equal([CustomerEventTypes.Created, CustomerEventTypes.Updated, CustomerEventTypes.Updated], harness.Publisher.Events.Select(e => e.Type));
        Assert.Equal(2, (await harness.AuditAsync()).Count(e => e.Outcome == AuditOutcome.Updated && e.FieldsChanged.Contains("Name")));
    }

    [Fact]
    public async Task A_revert_read_after_an_interrupted_write_of_the_value_it_reverts_is_written_when_the_feed_serves_only_the_latest_state()
    {
        var (harness, crm, erp) = Create();
        using var _ = harness;
        crm.LatestStateOnly = true;
        crm.Emit(Customers.Company(1) with { Name = "A" }, T0, id: "r1");
        await harness.Flow().RunOnceAsync();

        // B reaches the ERP and its answer is lost (the ERP pauses); meanwhile the source goes back to A, so the feed's
        // next read serves A alone, with the content the link last committed.
        crm.Emit(Customers.Company(1) with { Name = "B" }, T0.AddHours(1), id: "r1");
        erp.LoseResponses(1);
        var interrupted = await harness.Flow().RunOnceAsync();
        crm.Emit(Customers.Company(1) with { Name = "A" }, T0.AddHours(2), id: "r1");
        harness.Time.Advance(harness.Flow().Options.ProbeInterval);
        var retry = await harness.Flow().RunOnceAsync();

        Assert.True(interrupted.Stopped);
        Assert.Equal("A", Assert.Single(erp.Records.Values).Name);
        Assert.Equal((1, 0, false), (retry.Updated, retry.Unchanged, retry.Stopped));
        Assert.Contains(await harness.AuditAsync(), e => e.Outcome == AuditOutcome.Updated && e.FieldsChanged.Contains("Name"));
        await harness.Dispatcher.DispatchAsync();

        // The interrupted write of B reached the ERP: it is announced on its own, before the revert (soak finding (a)).
        Assert.Equal([CustomerEventTypes.Created, CustomerEventTypes.Updated, CustomerEventTypes.Updated], harness.Publisher.Events.Select(e => e.Type));
    }

    [Fact]
    public async Task A_revert_read_after_a_cancelled_run_whose_write_the_vendor_applied_is_written_when_the_feed_serves_only_the_latest_state()
    {
        var (harness, crm, erp) = Create();
        using var _ = harness;
        crm.LatestStateOnly = true;
        crm.Emit(Customers.Company(1) with { Name = "A" }, T0, id: "r1");
        await harness.Flow().RunOnceAsync();
        crm.Emit(Customers.Company(1) with { Name = "B" }, T0.AddHours(1), id: "r1");
        using var cancellation = new CancellationTokenSource();
        erp.BeforeUpsert = (_, _) =>
        {
            erp.BeforeUpsert = null;
            cancellation.Cancel();
            return Task.CompletedTask;
        };

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => harness.Flow().RunOnceAsync(cancellation.Token));
        var applied = Assert.Single(erp.Records.Values).Name;
        crm.Emit(Customers.Company(1) with { Name = "A" }, T0.AddHours(2), id: "r1");
        var next = await harness.Flow().RunOnceAsync();

        Assert.Equal("B", applied);
        Assert.Equal("A", Assert.Single(erp.Records.Values).Name);
        Assert.Equal(1, next.Updated);
    }

    [Fact]
    public async Task A_slow_write_of_an_older_version_never_lands_after_a_newer_one_written_by_another_instance()
    {
        var crm = new FakeCustomerConnector("crm");
        var erp = new FakeCustomerConnector("erp");
        using var first = new EngineHarness(c => c.AddFlow("flow", f => f.From("crm").To("erp")), null, crm, erp);
        using var second = new EngineHarness(c => c.AddFlow("flow", f => f.From("crm").To("erp")), first.SharedState, crm, erp);
        var inFlight = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        erp.BeforeUpsert = async (requests, _) =>
        {
            if (requests.Any(r => r.Customer.Name == "V1"))
            {
                inFlight.TrySetResult();
                await release.Task;
            }
        };
        crm.Emit(Customers.Company(1) with { Name = "V1" }, T0, id: "r1");

        var slow = first.Flow().RunOnceAsync();
        await inFlight.Task.WaitAsync(TimeSpan.FromSeconds(10));
        crm.Emit(Customers.Company(1) with { Name = "V2" }, T0.AddHours(1), id: "r1");
        await second.Flow().RunOnceAsync();
        release.SetResult();
        await slow;
        for (var pass = 0; pass < 3; pass++)
        {
            await first.Flow().RunOnceAsync();
            await second.Flow().RunOnceAsync();
        }

        Assert.Equal("V2", Assert.Single(erp.Records.Values).Name);
        Assert.Empty(await first.DeadLettersAsync(DeadLetterStatus.Deferred));
    }

    [Fact]
    public async Task A_deferred_older_version_is_not_retried_over_a_newer_one_that_succeeded_and_is_audited_as_superseded()
    {
        var (harness, crm, erp) = Create();
        using var _ = harness;
        crm.Emit(Customers.Company(1) with { Name = "V1" }, T0, id: "r1");
        crm.Emit(Customers.Company(1) with { Name = "V2" }, T0.AddHours(1), id: "r1");
        erp.FailWrites(c => c.Name == "V1", ErrorCategory.Transient, times: 1);

        var first = await harness.Flow().RunOnceAsync();
        var second = await harness.Flow().RunOnceAsync();

        Assert.Equal((1, 1), (first.Created, first.Deferred));
        Assert.Equal("V2", Assert.Single(erp.Records.Values).Name);
        Assert.Equal(1, erp.RecordsWritten);
        Assert.Equal((0, 0), (second.Updated, second.Deferred));
        Assert.Contains(await harness.AuditAsync(), e => e.Outcome == AuditOutcome.Superseded);
        Assert.All(await harness.DeadLettersAsync(), d => Assert.Equal(DeadLetterStatus.Resolved, d.Status));
    }

    [Fact]
    public async Task Replaying_a_dead_letter_that_was_resolved_since_writes_nothing()
    {
        var (harness, crm, erp) = Create();
        using var _ = harness;
        crm.Emit(Customers.Company(1) with { Name = "V1" }, T0, id: "r1");
        erp.FailWrites(c => c.Name == "V1", ErrorCategory.Validation, times: 1);
        await harness.Flow().RunOnceAsync();
        var deadLetter = Assert.Single(await harness.DeadLettersAsync(DeadLetterStatus.DeadLettered));
        crm.Emit(Customers.Company(1) with { Name = "V2" }, T0.AddHours(1), id: "r1");
        await harness.Flow().RunOnceAsync();
        Assert.Equal(DeadLetterStatus.Resolved, (await harness.DeadLetters.GetAsync(deadLetter.Id))!.Status);
        var writes = erp.RecordsWritten;

        var replay = await harness.Flow().ReplayAsync(deadLetter.Id);

        Assert.Equal(AuditOutcome.Unchanged, replay.Outcome);
        Assert.Equal("V2", Assert.Single(erp.Records.Values).Name);
        Assert.Equal(writes, erp.RecordsWritten);
    }

    [Fact]
    public async Task A_replay_writes_the_source_record_as_it_is_now_not_the_stored_payload()
    {
        var (harness, crm, erp) = Create();
        using var _ = harness;
        crm.Emit(Customers.Company(1) with { Name = "V1" }, T0, id: "r1");
        erp.FailWrites(c => c.Name == "V1", ErrorCategory.Validation, times: 1);
        await harness.Flow().RunOnceAsync();
        var deadLetter = Assert.Single(await harness.DeadLettersAsync(DeadLetterStatus.DeadLettered));
        crm.Emit(Customers.Company(1) with { Name = "V2" }, T0.AddHours(1), id: "r1");

        var replay = await harness.Flow().ReplayAsync(deadLetter.Id);

        Assert.Equal(AuditOutcome.Created, replay.Outcome);
        Assert.Equal("V2", Assert.Single(erp.Records.Values).Name);
    }

    [Fact]
    public async Task A_replay_of_the_stored_payload_carries_the_source_time_not_the_time_of_the_failure()
    {
        var (harness, crm, erp) = Create();
        using var _ = harness;
        crm.Emit(Customers.Company(1) with { Name = "V1" }, T0, id: "r1");
        await harness.Flow().RunOnceAsync();
        crm.Emit(Customers.Company(1) with { Name = "V2" }, T0.AddMinutes(30), id: "r1");
        erp.FailWrites(c => c.Name == "V2", ErrorCategory.Validation, times: 1);
        await harness.Flow().RunOnceAsync();
        var deadLetter = Assert.Single(await harness.DeadLettersAsync(DeadLetterStatus.DeadLettered));
        var id = Assert.Single(erp.Records.Keys);
        erp.Change(id, c => c with { Name = "Edited in the ERP", Provenance = c.Provenance with { SourceModifiedAt = T0.AddHours(1) } });
        harness.Time.Advance(TimeSpan.FromDays(1));

        var replay = await harness.Flow().ReplayAsync(deadLetter.Id, ReplayPayload.Stored);

        Assert.Equal("Edited in the ERP", erp.Records[id].Name);
        Assert.Contains(replay.Refused, r => r.Field == "Name");
    }
}
