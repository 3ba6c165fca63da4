using System.Text.Json;
using Concord.Canonical;
using Concord.Sync.Audit;
using Concord.Sync.Flows;
using Concord.Sync.Tests.Engine.Fakes;
using Microsoft.Extensions.DependencyInjection;
using Xunit;

namespace Concord.Sync.Tests.Engine;

/// <summary>
/// Defects the soak (build/soak.sh, issue 11 §8) found on the write-ledger engine, each reduced to one engine run on the
/// fakes. They are marked Skip until fixed: the reason names the soak run that found them.
/// </summary>
public sealed class SoakFindingsTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 20, 8, 0, 0, TimeSpan.Zero);

    [Fact(Skip = "Soak finding (seed 1, 5,000 customers, account 001SIM000000201AAA: Odoo went A -> B -> A, events announced A, A; seed 11: 12 such): an applied write interrupted before its commit and overtaken by a newer source version is folded into the newer write, so it is never audited or announced. Owner: write ledger (src/Sync). Remove this Skip with the fix.")]
    public async Task An_applied_write_interrupted_then_overtaken_by_a_newer_source_version_is_still_audited_and_announced()
    {
        var crm = new FakeCustomerConnector("crm") { LatestStateOnly = true }; // as Salesforce's feed: a re-read gives the record as it is now
        var erp = new FakeCustomerConnector("erp");
        using var harness = new EngineHarness(c => c.AddFlow("flow", f => f.From("crm").To("erp").WhenTargetUnavailable(TargetPolicy.Defer)), null, crm, erp);
        crm.Emit(Customers.Company(1) with { Name = "Acme" }, T0, id: "r1");
        await harness.Flow().RunOnceAsync();

        // Renamed: Odoo applies the write, the answer is lost (the target pauses, the intent stays in the ledger).
        crm.Emit(Customers.Company(1) with { Name = "Acme Renamed" }, T0.AddHours(1), id: "r1");
        erp.LoseResponses(1);
        await harness.Flow().RunOnceAsync();
        Assert.Equal("Acme Renamed", Assert.Single(erp.Records.Values).Name);

        // Before the recovery, the source reverts to the first name: the recovery reads only that version.
        crm.Emit(Customers.Company(1) with { Name = "Acme" }, T0.AddHours(2), id: "r1");
        harness.Time.Advance(harness.Flow().Options.ProbeInterval);
        await harness.Flow().RunOnceAsync();
        await harness.Dispatcher.DispatchAsync();

        // The target went Acme -> Acme Renamed -> Acme: each change Concord made is audited and announced, in order.
        Assert.Equal("Acme", Assert.Single(erp.Records.Values).Name);
        var names = harness.Publisher.Events.Select(e => ((JsonElement)e.Data!).GetProperty("customer").GetProperty("name").GetString()).ToList();
        Assert.Equal(["Acme", "Acme Renamed", "Acme"], names);
        var audit = await harness.AuditAsync();
        Assert.Equal(2, audit.Count(e => e.Outcome == AuditOutcome.Updated && e.FieldsChanged.Contains(nameof(CustomerField.Name))));
    }

    [Fact(Skip = "Soak finding (seed 1, 5,000 customers, 14-16 twins; pages of 500 took ~10 s with 30 % faults, the write lease was 5 s): a write lease expires while its wave is still writing (no renewal, no check before the vendor call), so another flow takes the match-key lock and creates or adopts a twin. Owner: write ledger (src/Sync). Remove this Skip with the fix.")]
    public async Task A_write_that_outlives_its_lease_does_not_let_a_second_flow_make_a_twin()
    {
        var crm = new FakeCustomerConnector("crm");
        var erp = new FakeCustomerConnector("erp");
        var lease = TimeSpan.FromMinutes(1);
        using var harness = new EngineHarness(
            c => c
                .AddFlow("feed", f => f.From("crm").To("erp").Configure(o => o.WriteLease = lease))
                .AddFlow("shop", f => f.FromHost("shop").To("erp").Configure(o => o.WriteLease = lease)),
            null,
            crm,
            erp);
        var inFlight = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        erp.BeforeUpsert = async (requests, _) =>
        {
            if (requests.Any(r => r.Customer.Provenance.ExternalIdIn("crm") is not null))
            {
                inFlight.TrySetResult();
                await release.Task;
            }
        };
        crm.Emit(Customers.Company(1, taxId: "DE100000001") with { Name = "Acme (CRM)" }, T0, id: "acme");
        var fromShop = Customers.Company(1, taxId: "DE100000001") with
        {
            Name = "Acme (shop)",
            Provenance = new Provenance { ExternalRefs = [new ExternalRef("shop", "buyer-7")], SourceModifiedAt = T0.AddMinutes(1) },
        };

        // The feed's write is slow (a vendor throttling, a long page): it is still in flight when its lease runs out.
        var feed = harness.Flow("feed").RunOnceAsync();
        await inFlight.Task.WaitAsync(TimeSpan.FromSeconds(10));
        harness.Time.Advance(lease * 2);
        await harness.Flow("shop").SubmitAsync(fromShop);
        release.SetResult();
        await feed;
        harness.Time.Advance(lease * 2);
        await harness.Flow("shop").RunOnceAsync();
        await harness.Flow("feed").RunOnceAsync();

        // One company in the target, one customer for both sources.
        var record = Assert.Single(erp.Records);
        var owners = await harness.IdentityMap.ResolveAsync([new ExternalRef("crm", "acme"), new ExternalRef("shop", "buyer-7"), new ExternalRef("erp", record.Key)]);
        Assert.Equal(3, owners.Count);
        Assert.Single(owners.Values.Distinct());
    }

    [Fact(Skip = "Soak finding (seed 11, 5,000 customers, Odoo 1511: the shop flow's audit entry claims Salesforce's name and contact change, its event announces the shop's name): a write interrupted in one flow and completed by another flow's writer of the same link is audited and announced as that flow's own change, with that flow's record as the event's content. Owner: write ledger (src/Sync). Remove this Skip with the fix.")]
    public async Task A_write_interrupted_in_one_flow_and_completed_by_another_is_audited_and_announced_as_the_first_flow_s()
    {
        var crm = new FakeCustomerConnector("crm");
        var erp = new FakeCustomerConnector("erp");
        using var harness = new EngineHarness(
            c => c
                .AddFlow("feed", f => f.From("crm").To("erp").Ownership(o => o.System("crm", CustomerField.Name)).WhenTargetUnavailable(TargetPolicy.Defer))
                .AddFlow("shop", f => f.FromHost("shop").To("erp").Ownership(o => o.System("crm", CustomerField.Name).SeedOwnedFieldsOnCreate(true))),
            null,
            crm,
            erp);
        CanonicalCustomer FromShop(int version) => Customers.Company(1, taxId: "DE100000001", email: $"orders{version}@acme.example") with
        {
            Name = "Acme (shop)",
            Provenance = new Provenance { ExternalRefs = [new ExternalRef("shop", "buyer-7")], SourceModifiedAt = T0.AddMinutes(version) },
        };

        // The shop brings the company first; the feed's record of it joins that customer and renames it in the target,
        // but the answer is lost (the target pauses; the feed's intent stays in the ledger).
        await harness.Flow("shop").SubmitAsync(FromShop(1));
        crm.Emit(Customers.Company(1, taxId: "DE100000001") with { Name = "Acme (CRM)" }, T0.AddHours(1), id: "acme");
        erp.LoseResponses(1);
        await harness.Flow("feed").RunOnceAsync();
        Assert.Equal("Acme (CRM)", Assert.Single(erp.Records.Values).Name);

        // The shop's next version is the next write of that link: it finds the feed's write done at the target.
        await harness.Flow("shop").SubmitAsync(FromShop(2));
        harness.Time.Advance(harness.Flow("feed").Options.ProbeInterval);
        await harness.Flow("feed").RunOnceAsync();
        await harness.Dispatcher.DispatchAsync();

        // The rename is the feed's: audited as the feed's write from crm, and announced with the name it wrote.
        var audit = await harness.AuditAsync();
        Assert.Contains(audit, e => e.Flow == "feed" && e.SourceSystem == "crm" && e.Outcome == AuditOutcome.Updated && e.FieldsChanged.Contains(nameof(CustomerField.Name)));
        Assert.DoesNotContain(audit, e => e.Flow == "shop" && e.FieldsChanged.Contains(nameof(CustomerField.Name)) && e.Outcome == AuditOutcome.Updated);
        var renames = harness.Publisher.Events
            .Select(e => (JsonElement)e.Data!)
            .Where(d => d.GetProperty("changedFields").EnumerateArray().Any(f => f.GetString() == nameof(CustomerField.Name)))
            .Select(d => d.GetProperty("customer").GetProperty("name").GetString())
            .ToList();
        Assert.Contains("Acme (CRM)", renames);
        Assert.DoesNotContain("Acme (shop)", renames.Skip(1));
    }
}
