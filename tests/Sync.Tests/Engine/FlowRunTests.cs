using Concord.Canonical;
using Concord.Canonical.Errors;
using Concord.Sync.Audit;
using Concord.Sync.Flows;
using Concord.Sync.Outbox;
using Concord.Sync.Tests.Engine.Fakes;
using Microsoft.Extensions.DependencyInjection;
using Xunit;

namespace Concord.Sync.Tests.Engine;

public sealed class FlowRunTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 20, 8, 0, 0, TimeSpan.Zero);

    private static (EngineHarness Harness, FakeCustomerConnector Crm, FakeCustomerConnector Erp) Create(Action<FlowBuilder>? configure = null, int erpBatch = 50)
    {
        var crm = new FakeCustomerConnector("crm");
        var erp = new FakeCustomerConnector("erp", erpBatch);
        var harness = new EngineHarness(c => c.AddFlow("flow", f =>
        {
            f.From("crm").To("erp");
            configure?.Invoke(f);
        }), null, crm, erp);
        return (harness, crm, erp);
    }

    [Fact]
    public async Task First_run_creates_every_record_and_a_second_run_makes_no_vendor_write()
    {
        var (harness, crm, erp) = Create();
        using var _ = harness;
        for (var i = 0; i < 10; i++)
        {
            crm.Emit(Customers.Company(i, taxId: $"DE10000000{i}"), T0.AddMinutes(i));
        }

        var first = await harness.Flow().RunOnceAsync();
        var writes = erp.RecordsWritten;
        var second = await harness.Flow().RunOnceAsync();

        Assert.Equal((10, 10, 0), (first.Read, first.Created, first.Updated));
        Assert.Equal(10, erp.Records.Count);
        Assert.Equal(0, second.Read);
        Assert.Equal(writes, erp.RecordsWritten);
    }

    [Fact]
    public async Task Re_reading_the_same_version_is_unchanged_and_calls_no_vendor()
    {
        var (harness, crm, erp) = Create();
        using var _ = harness;
        crm.Emit(Customers.Company(1, taxId: "DE100000001"), T0, id: "a");
        await harness.Flow().RunOnceAsync();
        var calls = (erp.UpsertManyCalls, erp.GetCalls, erp.FindCalls, erp.GetManyCalls, erp.FindManyCalls);

        crm.Emit(Customers.Company(1, taxId: "DE100000001"), T0, id: "a");
        var summary = await harness.Flow().RunOnceAsync();

        Assert.Equal((1, 1, 0, 0), (summary.Read, summary.Unchanged, summary.Created, summary.Updated));
        Assert.Equal(calls, (erp.UpsertManyCalls, erp.GetCalls, erp.FindCalls, erp.GetManyCalls, erp.FindManyCalls));
    }

    [Fact]
    public async Task An_edited_source_record_updates_the_same_target_record()
    {
        var (harness, crm, erp) = Create();
        using var _ = harness;
        crm.Emit(Customers.Company(1, taxId: "DE100000001"), T0, id: "a");
        await harness.Flow().RunOnceAsync();

        crm.Emit(Customers.Company(1, taxId: "DE100000001") with { Name = "Renamed" }, T0.AddHours(1), id: "a");
        var summary = await harness.Flow().RunOnceAsync();

        Assert.Equal(1, summary.Updated);
        var record = Assert.Single(erp.Records.Values);
        Assert.Equal("Renamed", record.Name);
    }

    [Fact]
    public async Task A_matching_target_record_is_adopted_instead_of_duplicated()
    {
        var (harness, crm, erp) = Create();
        using var _ = harness;
        var existing = erp.Put(Customers.Company(7, taxId: "DE700000007") with { Name = "Seven (ERP)" }, T0.AddDays(-30));
        crm.Emit(Customers.Company(7, taxId: "DE700000007"), T0);

        var summary = await harness.Flow().RunOnceAsync();

        Assert.Equal((1, 1, 0), (summary.DuplicatesAvoided, summary.Updated, summary.Created));
        var record = Assert.Single(erp.Records);
        Assert.Equal(existing, record.Key);
        Assert.Equal("Company 7", record.Value.Name);
    }

    [Fact]
    public async Task Two_source_duplicates_in_one_page_create_one_target_record_and_the_second_is_a_conflict()
    {
        var (harness, crm, erp) = Create();
        using var _ = harness;
        crm.Emit(Customers.Company(1, taxId: "DE100000001"), T0);
        crm.Emit(Customers.Company(2, taxId: "DE100000001"), T0.AddMinutes(1));

        var summary = await harness.Flow().RunOnceAsync();

        Assert.Single(erp.Records);
        Assert.Equal((1, 1, 1), (summary.Created, summary.DeadLettered, summary.DuplicatesAvoided));
        var deadLetter = Assert.Single(await harness.DeadLettersAsync());
        Assert.Equal(ErrorCategory.Conflict, deadLetter.Category);
    }

    [Fact]
    public async Task Several_matches_in_the_target_dead_letter_the_record_as_a_conflict()
    {
        var (harness, crm, erp) = Create();
        using var _ = harness;
        erp.Put(Customers.Company(1, domain: "acme.example"));
        erp.Put(Customers.Company(2, domain: "acme.example"));
        crm.Emit(Customers.Company(3, domain: "acme.example"), T0);

        var summary = await harness.Flow().RunOnceAsync();

        Assert.Equal(1, summary.DeadLettered);
        Assert.Equal(2, erp.Records.Count);
        Assert.Equal(0, erp.UpsertManyCalls);
        Assert.Equal(ErrorCategory.Conflict, Assert.Single(await harness.DeadLettersAsync()).Category);
    }

    [Fact]
    public async Task Writes_go_in_batches_of_the_target_maximum()
    {
        var (harness, crm, erp) = Create(erpBatch: 3);
        using var _ = harness;
        for (var i = 0; i < 10; i++)
        {
            crm.Emit(Customers.Company(i), T0.AddMinutes(i));
        }

        await harness.Flow().RunOnceAsync();

        Assert.Equal([3, 3, 3, 1], erp.BatchSizes);
    }

    [Fact]
    public async Task The_cursor_moves_only_after_the_page_is_committed()
    {
        var crm = new FakeCustomerConnector("crm");
        var erp = new FakeCustomerConnector("erp");
        var failing = new FailingCommitter();
        using var harness = new EngineHarness(
            c => c.AddFlow("flow", f => f.From("crm").To("erp")),
            s => s.AddSingleton<Concord.Sync.Storage.IStateCommitter>(failing),
            crm,
            erp);
        failing.Inner = new Concord.Sync.Storage.StoreByStoreStateCommitter(harness.IdentityMap, harness.DeadLetters, harness.Outbox, harness.Audit, harness.Cursors, harness.WriteLedger, harness.FeedLeases);
        for (var i = 0; i < 5; i++)
        {
            crm.Emit(Customers.Company(i), T0.AddMinutes(i));
        }

        failing.FailNext = true;
        await Assert.ThrowsAsync<ConcordException>(() => harness.Flow().RunOnceAsync());
        Assert.Null(await harness.Cursors.GetAsync("flow", "crm"));

        var retry = await harness.Flow().RunOnceAsync();

        Assert.Equal(5, retry.Read);
        Assert.Equal(5, erp.Records.Count);
        Assert.Equal("5", (await harness.Cursors.GetAsync("flow", "crm"))!.Cursor.Value);
    }

    [Fact]
    public async Task Targets_are_written_in_order_and_both_receive_the_record()
    {
        var crm = new FakeCustomerConnector("crm");
        var erp = new FakeCustomerConnector("erp");
        var desk = new FakeCustomerConnector("desk");
        using var harness = new EngineHarness(c => c.AddFlow("flow", f => f.From("crm").To("erp", "desk")), null, crm, erp, desk);
        crm.Emit(Customers.Company(1), T0);

        var summary = await harness.Flow().RunOnceAsync();

        Assert.Equal(2, summary.Created);
        Assert.Single(erp.Records);
        Assert.Single(desk.Records);
        var entry = (await harness.IdentityMap.GetAsync([erp.Records.Values.Single().Provenance.CanonicalId!])).Values.Single();
        Assert.Equal(["crm", "desk", "erp"], entry.Links.Select(l => l.System));
    }

    [Fact]
    public async Task Events_are_created_then_updated_in_order_with_the_run_correlation_id()
    {
        var (harness, crm, _) = Create();
        using var _ = harness;
        crm.Emit(Customers.Company(1), T0, id: "a");
        var first = await harness.Flow().RunOnceAsync();
        crm.Emit(Customers.Company(1) with { Name = "Renamed" }, T0.AddHours(1), id: "a");
        var second = await harness.Flow().RunOnceAsync();

        var published = await harness.Dispatcher.DispatchAsync();

        Assert.Equal(2, published);
        var events = harness.Publisher.Events;
        Assert.Equal([CustomerEventTypes.Created, CustomerEventTypes.Updated], events.Select(e => e.Type));
        Assert.Equal([first.CorrelationId, second.CorrelationId], events.Select(e => (string?)e[CustomerEventTypes.CorrelationIdAttribute]));
        Assert.All(events, e => Assert.Equal(events[0].Subject, e.Subject));
        Assert.Equal(0, await harness.Outbox.CountPendingAsync());
    }

    [Fact]
    public async Task A_source_without_tags_or_a_tax_id_field_leaves_them_in_the_target_and_the_audit_names_only_what_changed()
    {
        var crm = new FakeCustomerConnector("crm", carriedFields: new HashSet<CustomerField>(Enum.GetValues<CustomerField>().Except([CustomerField.Tags, CustomerField.TaxIds])));
        var erp = new FakeCustomerConnector("erp");
        using var harness = new EngineHarness(c => c.AddFlow("flow", f => f.From("crm").To("erp")), null, crm, erp);
        var existing = erp.Put(Customers.Company(1, domain: "one.example", taxId: "DE111111111") with { Tags = ["vip", "key-account"] }, T0.AddDays(-1));
        crm.Emit(Customers.Company(1, domain: "one.example") with { Name = "One (renamed in CRM)" }, T0);

        var summary = await harness.Flow().RunOnceAsync();

        Assert.Equal((1, 0), (summary.Updated, summary.Created));
        var record = erp.Records[existing];
        Assert.Equal("One (renamed in CRM)", record.Name);
        Assert.Equal(["vip", "key-account"], record.Tags.ToArray());
        Assert.Equal("DE111111111", record.TaxIds.Single().Value);
        var entry = Assert.Single(await harness.AuditAsync());
        Assert.Equal(["Name"], entry.FieldsChanged.ToArray());
        Assert.Empty(entry.FieldsRefused);
    }

    [Fact]
    public async Task Audit_records_changed_and_refused_fields_with_the_owner()
    {
        var (harness, crm, erp) = Create(f => f.Ownership(o => o.Field(c => c.TaxIds).OwnedBy("erp")));
        using var _ = harness;
        erp.Put(Customers.Company(1, taxId: "DE111111111", domain: "one.example"), T0.AddDays(-1));
        crm.Emit(Customers.Company(1, taxId: "DE999999999", domain: "one.example") with { Name = "One" }, T0);

        var summary = await harness.Flow().RunOnceAsync();

        Assert.Equal(1, summary.RefusedByOwnership);
        Assert.Equal("DE111111111", Assert.Single(erp.Records.Values).TaxIds.Single().Value);
        var entry = Assert.Single(await harness.AuditAsync());
        Assert.Equal(AuditOutcome.Updated, entry.Outcome);
        Assert.Equal(summary.CorrelationId, entry.CorrelationId);
        Assert.Contains("Name", entry.FieldsChanged);
        var refused = Assert.Single(entry.FieldsRefused);
        Assert.Equal(("TaxIds", "erp"), (refused.Field, refused.Owner));
    }

    [Fact]
    public async Task A_host_submitted_record_goes_through_the_same_pipeline()
    {
        var erp = new FakeCustomerConnector("erp");
        using var harness = new EngineHarness(c => c.AddFlow("flow", f => f.FromHost("shop").To("erp")), null, erp);
        var customer = Customers.Company(1) with { Provenance = new Provenance { ExternalRefs = [new ExternalRef("shop", "order-customer-1")] } };

        var first = await harness.Flow().SubmitAsync(customer);
        var again = await harness.Flow().SubmitAsync(customer);

        Assert.Equal(AuditOutcome.Created, first.Outcome);
        Assert.Equal(AuditOutcome.Unchanged, again.Outcome);
        Assert.Equal(first.CanonicalId, again.CanonicalId);
        Assert.Single(erp.Records);
    }

    [Fact]
    public async Task A_submitted_record_without_a_source_id_is_refused_before_anything_is_written()
    {
        var erp = new FakeCustomerConnector("erp");
        using var harness = new EngineHarness(c => c.AddFlow("flow", f => f.FromHost("shop").To("erp")), null, erp);

        var error = await Assert.ThrowsAsync<ArgumentException>(() => harness.Flow().SubmitAsync(Customers.Company(1)));

        Assert.Contains("'shop'", error.Message, StringComparison.Ordinal);
        Assert.Equal(0, erp.UpsertManyCalls);
    }

    [Fact]
    public async Task A_crash_after_the_vendor_write_but_before_the_commit_does_not_write_again_and_still_publishes_the_event()
    {
        var crm = new FakeCustomerConnector("crm");
        var erp = new FakeCustomerConnector("erp");
        var failing = new FailingCommitter();
        using var harness = new EngineHarness(
            c => c.AddFlow("flow", f => f.From("crm").To("erp")),
            s => s.AddSingleton<Concord.Sync.Storage.IStateCommitter>(failing),
            crm,
            erp);
        failing.Inner = new Concord.Sync.Storage.StoreByStoreStateCommitter(harness.IdentityMap, harness.DeadLetters, harness.Outbox, harness.Audit, harness.Cursors, harness.WriteLedger, harness.FeedLeases);
        crm.Emit(Customers.Company(1), T0);

        failing.FailNext = true;
        await Assert.ThrowsAsync<ConcordException>(() => harness.Flow().RunOnceAsync());
        var retry = await harness.Flow().RunOnceAsync();

        Assert.Equal(1, erp.RecordsWritten);
        Assert.Equal((1, 1, 0), (retry.Read, retry.Created, retry.Unchanged));
        Assert.Equal(1, await harness.Outbox.CountPendingAsync());
        Assert.NotNull((await harness.IdentityMap.ResolveAsync([new ExternalRef("erp", erp.Records.Keys.Single())])).Values.SingleOrDefault());
    }

    [Fact]
    public async Task Deletions_are_read_and_skipped()
    {
        var (harness, crm, erp) = Create();
        using var _ = harness;
        crm.EmitDeletion("gone", T0);

        var summary = await harness.Flow().RunOnceAsync();

        Assert.Equal((1, 1), (summary.Read, summary.Skipped));
        Assert.Empty(erp.Records);
        Assert.NotNull(await harness.Cursors.GetAsync("flow", "crm"));
    }

    private sealed class FailingCommitter : Concord.Sync.Storage.IStateCommitter
    {
        public Concord.Sync.Storage.IStateCommitter? Inner { get; set; }

        public bool FailNext { get; set; }

        public Task CommitAsync(Concord.Sync.Storage.StateChangeSet changes, CancellationToken cancellationToken = default)
        {
            if (FailNext)
            {
                FailNext = false;
                throw new ConcordException(ErrorCategory.Transient, "disk full");
            }

            return Inner!.CommitAsync(changes, cancellationToken);
        }
    }
}
