using Concord.Canonical.Errors;
using Concord.Sync.DeadLetters;
using Concord.Sync.Flows;
using Concord.Sync.Tests.Engine.Fakes;
using Microsoft.Extensions.DependencyInjection;
using Xunit;

namespace Concord.Sync.Tests.DeadLetters;

/// <summary>Replays and deferred retries claim their dead letters, so two instances on one state never work one entry.</summary>
public sealed class DeadLetterClaimFlowTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 20, 8, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task A_replay_started_on_a_second_instance_while_the_first_replays_leaves_the_first_ones_entries_alone()
    {
        var (crm, erp) = (new FakeCustomerConnector("crm"), new FakeCustomerConnector("erp"));
        using var first = Instance(null, crm, erp);
        using var second = Instance(first, crm, erp);
        for (var i = 0; i < 3; i++)
        {
            crm.Emit(Customers.Company(i), T0.AddMinutes(i));
        }

        erp.FailWrites(_ => true, ErrorCategory.Validation);
        await first.Flow().RunOnceAsync();
        erp.ClearFailures();
        FlowRunSummary? concurrent = null;
        erp.BeforeUpsert = async (_, ct) =>
        {
            // The second instance's replay starts while the first is writing the entries it claimed.
            erp.BeforeUpsert = null;
            concurrent = await second.Flow().ReplayAllAsync(ct);
        };

        var replay = await first.Flow().ReplayAllAsync();

        Assert.Equal(3, replay.Read);
        Assert.Equal(0, concurrent!.Read);
        Assert.Equal(3, erp.RecordsWritten);
        Assert.Empty(await first.DeadLettersAsync(DeadLetterStatus.DeadLettered));
    }

    [Fact]
    public async Task A_single_replay_started_on_a_second_instance_while_the_first_replays_the_same_entry_writes_nothing()
    {
        var (crm, erp) = (new FakeCustomerConnector("crm"), new FakeCustomerConnector("erp"));
        using var first = Instance(null, crm, erp);
        using var second = Instance(first, crm, erp);
        crm.Emit(Customers.Company(1), T0);
        erp.FailWrites(_ => true, ErrorCategory.Validation);
        await first.Flow().RunOnceAsync();
        erp.ClearFailures();
        var deadLetter = Assert.Single(await first.DeadLettersAsync(DeadLetterStatus.DeadLettered));
        Task<RecordResult>? concurrent = null;
        erp.BeforeUpsert = async (_, ct) =>
        {
            // The second instance replays the same entry while the first is writing it (bounded: a replay that waited for
            // the first one's write would wait for ever).
            erp.BeforeUpsert = null;
            concurrent = second.Flow().ReplayAsync(deadLetter.Id, cancellationToken: ct);
            await Task.WhenAny(concurrent, Task.Delay(TimeSpan.FromSeconds(30), ct));
        };

        var replay = await first.Flow().ReplayAsync(deadLetter.Id);

        Assert.Equal(Concord.Sync.Audit.AuditOutcome.Created, replay.Outcome);
        Assert.Equal(1, erp.RecordsWritten);
        var refused = await Assert.ThrowsAsync<ConcordException>(() => concurrent!);
        Assert.Equal(ErrorCategory.Conflict, refused.Category);
        Assert.Equal(DeadLetterStatus.Resolved, (await first.DeadLetters.GetAsync(deadLetter.Id))!.Status);
    }

    [Fact]
    public async Task A_single_replay_of_an_entry_another_instance_has_claimed_is_refused_as_a_conflict_and_leaves_it_open()
    {
        var (crm, erp) = (new FakeCustomerConnector("crm"), new FakeCustomerConnector("erp"));
        using var first = Instance(null, crm, erp);
        crm.Emit(Customers.Company(1), T0);
        erp.FailWrites(_ => true, ErrorCategory.Validation);
        await first.Flow().RunOnceAsync();
        erp.ClearFailures();
        var deadLetter = Assert.Single(await first.DeadLettersAsync(DeadLetterStatus.DeadLettered));
        Assert.Single(await first.DeadLetters.ClaimAsync([deadLetter.Id], "another-instance", TimeSpan.FromMinutes(5)));

        var refused = await Record.ExceptionAsync(() => first.Flow().ReplayAsync(deadLetter.Id));

        Assert.Equal(0, erp.RecordsWritten);
        Assert.Equal(ErrorCategory.Conflict, Assert.IsType<ConcordException>(refused).Category);
        Assert.Equal(DeadLetterStatus.DeadLettered, (await first.DeadLetters.GetAsync(deadLetter.Id))!.Status);
        Assert.Empty(await first.DeadLetters.ClaimAsync([deadLetter.Id], "a-third-instance", TimeSpan.FromMinutes(5))); // still the other instance's
    }

    [Fact]
    public async Task Deferred_entries_another_instance_holds_are_left_to_it_by_a_run()
    {
        var (crm, erp) = (new FakeCustomerConnector("crm"), new FakeCustomerConnector("erp"));
        using var first = Instance(null, crm, erp);
        using var second = Instance(first, crm, erp);
        crm.Emit(Customers.Company(1), T0);
        erp.FailWrites(_ => true, ErrorCategory.Transient, times: 1);
        await first.Flow().RunOnceAsync();
        var deferred = Assert.Single(await first.DeadLettersAsync(DeadLetterStatus.Deferred));
        Assert.Single(await first.DeadLetters.ClaimAsync([deferred.Id], "another-instance", TimeSpan.FromMinutes(5)));

        var run = await second.Flow().RunOnceAsync();

        Assert.Equal(0, run.Read);
        Assert.Equal(DeadLetterStatus.Deferred, (await first.DeadLetters.GetAsync(deferred.Id))!.Status);
    }

    private static EngineHarness Instance(EngineHarness? sharing, FakeCustomerConnector crm, FakeCustomerConnector erp) =>
        new(c => c.AddFlow("flow", f => f.From("crm").To("erp")), sharing?.SharedState, crm, erp);
}
