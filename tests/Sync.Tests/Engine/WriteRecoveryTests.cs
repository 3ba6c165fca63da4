using Concord.Canonical;
using Concord.Canonical.Errors;
using Concord.Canonical.Serialization;
using Concord.Sync.Audit;
using Concord.Sync.Flows;
using Concord.Sync.Outbox;
using Concord.Sync.Tests.Engine.Fakes;
using Microsoft.Extensions.DependencyInjection;
using Xunit;

namespace Concord.Sync.Tests.Engine;

/// <summary>
/// Issue 11 §2: a write the vendor applied but Concord did not commit (lost response, cancelled run, partial write) is
/// completed on the next attempt with its real outcome, audit entry and event; Concord's own writes never count as a
/// newer competing edit.
/// </summary>
public sealed class WriteRecoveryTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 20, 8, 0, 0, TimeSpan.Zero);

    private static (EngineHarness Harness, FakeCustomerConnector Crm, FakeCustomerConnector Erp) Create(Action<FlowBuilder>? configure = null)
    {
        var crm = new FakeCustomerConnector("crm");
        var erp = new FakeCustomerConnector("erp");
        var harness = new EngineHarness(c => c.AddFlow("flow", f =>
        {
            f.From("crm").To("erp").WhenTargetUnavailable(TargetPolicy.Defer);
            configure?.Invoke(f);
        }), null, crm, erp);
        return (harness, crm, erp);
    }

    private static CanonicalCustomer WithContact(CanonicalCustomer customer) => customer with
    {
        Contacts = [new Contact { Name = "Bea Buyer", Emails = [new EmailAddress { Address = "bea@one.example" }] }],
    };

    [Fact]
    public async Task A_lost_response_of_an_applied_update_still_records_the_update_and_publishes_customer_updated()
    {
        var (harness, crm, erp) = Create();
        using var _ = harness;
        crm.Emit(Customers.Company(1), T0, id: "r1");
        await harness.Flow().RunOnceAsync();
        crm.Emit(Customers.Company(1) with { Name = "Renamed" }, T0.AddHours(1), id: "r1");
        erp.LoseResponses(1);

        // A whole call whose answer is lost beyond the retries looks like an outage: the target pauses, the record waits
        // in the source (no attempt used), and its intent stays in the ledger with the lease given back.
        var lost = await harness.Flow().RunOnceAsync();
        var canonicalId = Assert.Single(await harness.IdentityMap.ResolveAsync([new ExternalRef("crm", "r1")])).Value;
        var whilePaused = await harness.WriteLedger.GetAsync(canonicalId, "erp");
        var beforeTheProbe = await harness.Flow().RunOnceAsync();
        harness.Time.Advance(harness.Flow().Options.ProbeInterval);
        var retry = await harness.Flow().RunOnceAsync();

        Assert.Equal((0, true, ErrorCategory.Transient), (lost.Deferred, lost.Stopped, lost.StopCategory));
        Assert.Null(whilePaused!.LeaseToken);
        Assert.Equal("Renamed", CanonicalJson.Deserialize(whilePaused.Pending!.Payload)!.Name);
        Assert.Equal((0, true), (beforeTheProbe.Read, beforeTheProbe.Stopped));
        Assert.Empty(await harness.DeadLettersAsync());
        Assert.Equal("Renamed", Assert.Single(erp.Records.Values).Name);
        Assert.Equal((1, 0, false), (retry.Updated, retry.Unchanged, retry.Stopped));
        Assert.Null((await harness.WriteLedger.GetAsync(canonicalId, "erp"))!.Pending);
        Assert.Equal("2", (await harness.Cursors.GetAsync("flow", "crm"))!.Cursor.Value);
        var updated = Assert.Single(await harness.AuditAsync(), e => e.Outcome == AuditOutcome.Updated);
        Assert.Contains("Name", updated.FieldsChanged);
        await harness.Dispatcher.DispatchAsync();
        Assert.Equal([CustomerEventTypes.Created, CustomerEventTypes.Updated], harness.Publisher.Events.Select(e => e.Type));
    }

    [Fact]
    public async Task A_lost_response_of_an_applied_create_is_reported_as_created_not_as_an_adopted_duplicate()
    {
        var (harness, crm, erp) = Create();
        using var _ = harness;
        crm.Emit(Customers.Company(1, taxId: "DE100000001"), T0, id: "r1");
        erp.LoseResponses(1);

        var lost = await harness.Flow().RunOnceAsync();
        harness.Time.Advance(harness.Flow().Options.ProbeInterval);
        var retry = await harness.Flow().RunOnceAsync();

        Assert.Equal((0, true, ErrorCategory.Transient), (lost.Deferred, lost.Stopped, lost.StopCategory));
        Assert.Single(erp.Records);
        Assert.Equal((1, 0, 0, false), (retry.Created, retry.DuplicatesAvoided, retry.Unchanged, retry.Stopped));
        Assert.Equal(AuditOutcome.Created, Assert.Single(await harness.AuditAsync()).Outcome);
        Assert.Empty(await harness.DeadLettersAsync());
        await harness.Dispatcher.DispatchAsync();
        Assert.Equal(CustomerEventTypes.Created, Assert.Single(harness.Publisher.Events).Type);
    }

    [Fact]
    public async Task A_run_cancelled_while_the_vendor_applied_a_write_records_it_on_the_next_run()
    {
        var (harness, crm, erp) = Create();
        using var _ = harness;
        crm.Emit(Customers.Company(1), T0, id: "r1");
        await harness.Flow().RunOnceAsync();
        crm.Emit(Customers.Company(1) with { Name = "Renamed" }, T0.AddHours(1), id: "r1");
        using var cancellation = new CancellationTokenSource();
        erp.BeforeUpsert = (_, _) =>
        {
            erp.BeforeUpsert = null;
            cancellation.Cancel();
            return Task.CompletedTask;
        };

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => harness.Flow().RunOnceAsync(cancellation.Token));
        var next = await harness.Flow().RunOnceAsync();

        Assert.Equal("Renamed", Assert.Single(erp.Records.Values).Name);
        Assert.Equal(1, next.Updated);
        Assert.Contains(await harness.AuditAsync(), e => e.Outcome == AuditOutcome.Updated);
    }

    [Fact]
    public async Task A_partly_written_customer_is_completed_on_retry_although_its_own_partial_write_made_the_target_look_newer()
    {
        var (harness, crm, erp) = Create();
        using var _ = harness;
        erp.Clock = harness.Time;
        crm.Emit(WithContact(Customers.Company(1, taxId: "DE100000001")), T0, id: "r1");
        erp.WriteOnlyPartly(1);

        await harness.Flow().RunOnceAsync();
        harness.Time.Advance(TimeSpan.FromMinutes(5));
        var retry = await harness.Flow().RunOnceAsync();

        var record = Assert.Single(erp.Records.Values);
        Assert.Equal("Bea Buyer", Assert.Single(record.Contacts).Name);
        Assert.Equal((1, 0, 0), (retry.Created, retry.RefusedByOwnership, retry.DuplicatesAvoided));
        await harness.Dispatcher.DispatchAsync();
        Assert.Equal(CustomerEventTypes.Created, Assert.Single(harness.Publisher.Events).Type);
    }

    [Fact]
    public async Task A_customer_the_target_answered_as_saved_in_part_is_completed_and_announced_as_created_not_adopted()
    {
        var (harness, crm, erp) = Create();
        using var _ = harness;
        erp.Clock = harness.Time;
        crm.Emit(WithContact(Customers.Company(1, taxId: "DE100000001")), T0, id: "r1");
        erp.AnswerPartlyWritten(1);

        var first = await harness.Flow().RunOnceAsync();
        harness.Time.Advance(TimeSpan.FromMinutes(5));
        var retry = await harness.Flow().RunOnceAsync();

        Assert.Equal((1, 0), (first.Deferred, first.Created));
        var record = Assert.Single(erp.Records.Values);
        Assert.Equal("Bea Buyer", Assert.Single(record.Contacts).Name);
        Assert.Equal((1, 0, 0), (retry.Created, retry.Unchanged, retry.DuplicatesAvoided));
        Assert.Contains(await harness.AuditAsync(), e => e.Outcome == AuditOutcome.Created);
        await harness.Dispatcher.DispatchAsync();
        Assert.Equal(CustomerEventTypes.Created, Assert.Single(harness.Publisher.Events).Type);
    }

    [Fact]
    public async Task A_customer_created_on_a_retry_publishes_customer_created()
    {
        var (harness, crm, erp) = Create();
        using var _ = harness;
        crm.Emit(Customers.Company(1), T0, id: "r1");
        erp.FailWrites(c => c.Name == "Company 1", Canonical.Errors.ErrorCategory.Transient, times: 1);

        var first = await harness.Flow().RunOnceAsync();
        var second = await harness.Flow().RunOnceAsync();

        Assert.Equal((1, 1), (first.Deferred, second.Created));
        await harness.Dispatcher.DispatchAsync();
        Assert.Equal(CustomerEventTypes.Created, Assert.Single(harness.Publisher.Events).Type);
    }

    [Fact]
    public async Task Concords_own_earlier_write_does_not_make_the_target_look_newer_than_the_next_source_change()
    {
        var (harness, crm, erp) = Create();
        using var _ = harness;

        erp.Clock = harness.Time;

        // The feed lags: the source changed half an hour ago, after the version Concord wrote just now (the target's time).
        var now = harness.Time.GetUtcNow();
        crm.Emit(Customers.Company(1), now.AddHours(-1), id: "r1");
        await harness.Flow().RunOnceAsync();
        crm.Emit(Customers.Company(1) with { Name = "Renamed at 08:30" }, now.AddMinutes(-30), id: "r1");
        harness.Time.Advance(TimeSpan.FromMinutes(1));

        var second = await harness.Flow().RunOnceAsync();

        Assert.Equal("Renamed at 08:30", Assert.Single(erp.Records.Values).Name);
        Assert.Equal((1, 0), (second.Updated, second.RefusedByOwnership));
    }

    [Fact]
    public async Task A_third_party_edit_after_concords_write_still_wins_over_an_older_source_change()
    {
        var (harness, crm, erp) = Create();
        using var _ = harness;
        erp.Clock = harness.Time;
        var now = harness.Time.GetUtcNow();
        crm.Emit(Customers.Company(1), now.AddHours(-1), id: "r1");
        await harness.Flow().RunOnceAsync();
        var id = Assert.Single(erp.Records.Keys);
        erp.Change(id, c => c with { Name = "Edited in the ERP", Provenance = c.Provenance with { SourceModifiedAt = now.AddHours(1) } });
        crm.Emit(Customers.Company(1) with { Name = "Renamed at 08:30" }, now.AddMinutes(-30), id: "r1");

        var second = await harness.Flow().RunOnceAsync();

        Assert.Equal("Edited in the ERP", erp.Records[id].Name);
        Assert.Equal(1, second.RefusedByOwnership);
    }
}
