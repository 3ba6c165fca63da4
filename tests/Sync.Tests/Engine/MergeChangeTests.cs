using Concord.Sync.Flows;
using Concord.Sync.Tests.Engine.Fakes;
using Microsoft.Extensions.DependencyInjection;
using Xunit;

namespace Concord.Sync.Tests.Engine;

/// <summary>
/// A source record merged into another (<c>ChangeKind.Merged</c>) is never propagated as a deletion, nor as an update of
/// the record merged away: the engine skips it and audits the merge.
/// </summary>
public sealed class MergeChangeTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 20, 8, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task A_merge_is_skipped_not_written_and_audited_with_its_survivor()
    {
        var crm = new FakeCustomerConnector("crm");
        var erp = new FakeCustomerConnector("erp");
        using var harness = new EngineHarness(c => c.AddFlow("flow", f => f.From("crm").To("erp")), null, crm, erp);
        crm.Emit(Customers.Company(1, taxId: "DE100000001"), T0, id: "loser");
        crm.Emit(Customers.Company(2, taxId: "DE100000002"), T0, id: "survivor");
        await harness.Flow().RunOnceAsync();
        var written = erp.RecordsWritten;

        // What the source still returns about the loser (a renamed, deleted row) must not reach the target.
        crm.EmitMerge("loser", "survivor", T0.AddHours(1), Customers.Company(1, taxId: "DE100000001") with { Name = "Merged away" });
        var summary = await harness.Flow().RunOnceAsync();

        Assert.Equal((1, 1, 0, 0), (summary.Read, summary.Skipped, summary.Updated, summary.Created));
        Assert.Equal(written, erp.RecordsWritten);
        Assert.Equal(2, erp.Records.Count);
        Assert.DoesNotContain(erp.Records.Values, r => r.Name == "Merged away");
        var merge = Assert.Single(await harness.AuditAsync(), e => e.SourceExternalId == "loser" && e.Detail is not null);
        Assert.Contains("merged into crm:survivor", merge.Detail, StringComparison.Ordinal);
        Assert.Null(merge.TargetSystem);
    }
    [Fact]
    public async Task A_merge_that_carries_no_record_as_hubspot_reports_it_is_skipped_and_audited_not_dead_lettered()
    {
        var crm = new FakeCustomerConnector("crm");
        var erp = new FakeCustomerConnector("erp");
        using var harness = new EngineHarness(c => c.AddFlow("flow", f => f.From("crm").To("erp")), null, crm, erp);
        crm.Emit(Customers.Company(1, taxId: "DE100000001"), T0, id: "loser");
        crm.Emit(Customers.Company(2, taxId: "DE100000002"), T0, id: "survivor");
        await harness.Flow().RunOnceAsync();
        var written = erp.RecordsWritten;

        // HubSpot no longer returns the record merged away: the change names the survivor and carries no customer.
        crm.EmitMerge("loser", "survivor", T0.AddHours(1));
        var summary = await harness.Flow().RunOnceAsync();

        Assert.Equal((1, 1, 0, 0, 0), (summary.Read, summary.Skipped, summary.Updated, summary.Created, summary.DeadLettered));
        Assert.Equal(written, erp.RecordsWritten);
        var merge = Assert.Single(await harness.AuditAsync(), e => e.SourceExternalId == "loser" && e.Detail is not null);
        Assert.Contains("merged into crm:survivor", merge.Detail, StringComparison.Ordinal);
    }
}
