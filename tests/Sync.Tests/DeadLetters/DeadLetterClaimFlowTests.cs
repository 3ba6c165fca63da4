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
