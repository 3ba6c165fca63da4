using Concord.Canonical;
using Concord.EndToEnd.Tests.Support;
using Concord.EndToEnd.Worker;
using Concord.Sync.Flows;
using Concord.Sync.Identity;
using Concord.Sync.Reconciliation;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Abstractions;

namespace Concord.EndToEnd.Tests;

/// <summary>
/// After a complete Salesforce to Odoo run, someone renames one company in Odoo (Salesforce owns names) and deletes
/// another: reconciliation reports exactly that drift through the identity map, and the repair option restores both
/// through the idempotent path, after which nothing drifts.
/// </summary>
public sealed class ReconciliationTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Reconcile_reports_a_renamed_and_a_deleted_odoo_company_and_repair_restores_them()
    {
        await using var world = new EndToEndWorld("e2e-reconcile");
        await using var host = world.BuildHost();
        var flow = host.GetRequiredService<IFlowRunner>().Flows.Single();
        await EndToEndFlow.RunUntilSettledAsync(flow);

        var renamed = await OdooCompanyOfAsync(host, world.ValidAccountIds[3]);
        var deleted = await OdooCompanyOfAsync(host, world.ValidAccountIds[500]);
        var originalName = world.Odoo.Partner(renamed.OdooId)!.Name;
        world.Odoo.RenamePartner(renamed.OdooId, "Renamed by hand in Odoo");
        world.Odoo.DeletePartner(deleted.OdooId);

        var report = await flow.ReconcileAsync();
        output.WriteLine(string.Join(Environment.NewLine, report.Drift));

        Assert.Equal(world.ValidAccountIds.Count, report.Compared);
        var drifted = report.Drift.Select(d => d.CanonicalId ?? "(none)").Distinct().Order(StringComparer.Ordinal).ToList();
        Assert.Equal(new[] { deleted.CanonicalId, renamed.CanonicalId }.Order(StringComparer.Ordinal), drifted);
        Assert.Contains(report.Drift, d => d.CanonicalId == renamed.CanonicalId && d.Kind == DriftKind.Differs && d.Field == nameof(CanonicalCustomer.Name));
        Assert.Contains(report.Drift, d => d.CanonicalId == deleted.CanonicalId && d.Kind == DriftKind.Missing);
        Assert.Equal(0, report.Repaired);
        Assert.Equal("Renamed by hand in Odoo", world.Odoo.Partner(renamed.OdooId)!.Name);

        var repair = await flow.ReconcileAsync(new ReconciliationOptions { Repair = true });
        var after = await flow.ReconcileAsync();

        Assert.True(repair.Repaired >= 2, $"Repaired {repair.Repaired}.");
        Assert.Equal(originalName, world.Odoo.Partner(renamed.OdooId)!.Name);
        var website = world.Odoo.Partners.Single(p => p.Id == renamed.OdooId).Text("website");
        Assert.Single(world.Odoo.Partners, p => p.IsCompany && p.Active && p.Text("website") == website);
        Assert.Empty(after.Drift);
        Assert.Equal(world.ValidAccountIds.Count, world.Odoo.Partners.Count(p => p.IsCompany && p.ParentId is null && p.Active));
    }

    private static async Task<(string CanonicalId, long OdooId)> OdooCompanyOfAsync(IServiceProvider host, string salesforceId)
    {
        var map = host.GetRequiredService<IIdentityMap>();
        var canonicalId = (await map.ResolveAsync([new ExternalRef("salesforce", salesforceId)])).Single().Value;
        var odooId = (await map.GetAsync([canonicalId]))[canonicalId].LinkTo("odoo")!.ExternalId;
        return (canonicalId, long.Parse(odooId, System.Globalization.CultureInfo.InvariantCulture));
    }
}
