using Concord.Canonical;
using Concord.Sync.Identity;
using Concord.Sync.Reconciliation;
using Concord.Sync.Tests.Engine.Fakes;
using Microsoft.Extensions.DependencyInjection;
using Xunit;

namespace Concord.Sync.Tests.Reconciliation;

public sealed class ReconciliationTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 20, 8, 0, 0, TimeSpan.Zero);

    private static async Task<(EngineHarness Harness, FakeCustomerConnector Crm, FakeCustomerConnector Erp, Dictionary<string, string> ErpIdBySource)> DriftedAsync()
    {
        var crm = new FakeCustomerConnector("crm");
        var erp = new FakeCustomerConnector("erp");
        var harness = new EngineHarness(c => c.AddFlow("flow", f => f.From("crm").To("erp").Ownership(o => o.Field(c => c.Notes).OwnedBy("erp"))), null, crm, erp);
        for (var i = 0; i < 3; i++)
        {
            crm.Emit(Customers.Company(i), T0.AddMinutes(i), id: $"s{i}");
        }

        await harness.Flow().RunOnceAsync();
        var ids = new Dictionary<string, string>();
        for (var i = 0; i < 3; i++)
        {
            var canonical = (await harness.IdentityMap.ResolveAsync([new ExternalRef("crm", $"s{i}")])).Values.Single();
            ids[$"s{i}"] = (await harness.IdentityMap.GetAsync([canonical]))[canonical].LinkTo("erp")!.ExternalId;
        }

        erp.Change(ids["s0"], c => c with { Name = "Edited in ERP", Notes = "ERP's own note" }); // Name drifts; Notes is ERP's to own
        erp.Remove(ids["s1"]);
        await harness.IdentityMap.LinkAsync(
        [
            new IdentityLink { CanonicalId = "ghost", System = "crm", ExternalId = "deleted-in-crm", UpdatedAt = T0 },
            new IdentityLink { CanonicalId = "ghost", System = "erp", ExternalId = "erp-orphan", UpdatedAt = T0 },
        ]);
        return (harness, crm, erp, ids);
    }

    [Fact]
    public async Task Drift_is_reported_per_field_group_with_missing_and_extra_records()
    {
        var (harness, _, erp, ids) = await DriftedAsync();
        using var _ = harness;
        var writes = erp.RecordsWritten;

        var report = await harness.Flow().ReconcileAsync();

        Assert.Equal(3, report.Compared);
        Assert.Equal(0, report.Repaired);
        Assert.Equal(writes, erp.RecordsWritten);
        Assert.Contains(new DriftItem(DriftKind.Differs, "erp", report.Drift.First(d => d.SourceExternalId == "s0").CanonicalId, "s0", ids["s0"], "Name"), report.Drift);
        Assert.DoesNotContain(report.Drift, d => d.Field == "Notes");
        Assert.Contains(report.Drift, d => d is { Kind: DriftKind.Missing, SourceExternalId: "s1" });
        Assert.Contains(report.Drift, d => d is { Kind: DriftKind.Extra, TargetExternalId: "erp-orphan", CanonicalId: "ghost" });
        Assert.DoesNotContain(report.Drift, d => d.SourceExternalId == "s2");
        Assert.Equal(1, report.DifferencesByField["Name"]);
    }

    [Fact]
    public async Task Repair_rewrites_drifted_records_through_the_keyed_path_and_a_second_reconciliation_is_clean()
    {
        var (harness, _, erp, ids) = await DriftedAsync();
        using var _ = harness;

        var repair = await harness.Flow().ReconcileAsync(new ReconciliationOptions { Repair = true });
        var after = await harness.Flow().ReconcileAsync();

        Assert.Equal(2, repair.Repaired);
        Assert.Equal("Company 0", erp.Records[ids["s0"]].Name);
        Assert.Equal("ERP's own note", erp.Records[ids["s0"]].Notes);
        Assert.Equal(3, erp.Records.Count);
        Assert.Equal([DriftKind.Extra], after.Drift.Select(d => d.Kind));
    }

    [Fact]
    public async Task A_host_fed_flow_cannot_be_reconciled_and_says_why()
    {
        using var harness = new EngineHarness(c => c.AddFlow("flow", f => f.FromHost("shop").To("erp")), null, new FakeCustomerConnector("erp"));

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => harness.Flow().ReconcileAsync());

        Assert.Contains("change-feed source", error.Message, StringComparison.Ordinal);
    }
}
