using Concord.Canonical;
using Concord.Sync.Audit;
using Concord.Sync.Tests.Engine.Fakes;
using Microsoft.Extensions.DependencyInjection;
using Xunit;

namespace Concord.Sync.Tests.Engine;

/// <summary>Issue 11 §3: matching and creating for one match key is serialised across flows, so a second writer adopts the first one's record.</summary>
public sealed class NoTwinsTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 20, 8, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task Two_flows_bringing_the_same_new_company_at_the_same_time_create_one_target_record_for_one_customer()
    {
        var crm = new FakeCustomerConnector("crm");
        var erp = new FakeCustomerConnector("erp");
        using var harness = new EngineHarness(
            c => c
                .AddFlow("feed", f => f.From("crm").To("erp"))
                .AddFlow("shop", f => f.FromHost("shop").To("erp")),
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

        var feed = harness.Flow("feed").RunOnceAsync();
        await inFlight.Task.WaitAsync(TimeSpan.FromSeconds(10));
        var submitted = await harness.Flow("shop").SubmitAsync(fromShop);
        release.SetResult();
        var fed = await feed;
        var retried = await harness.Flow("shop").RunOnceAsync();

        Assert.Equal(1, fed.Created);
        Assert.NotEqual(AuditOutcome.Created, submitted.Outcome);
        var record = Assert.Single(erp.Records);
        Assert.Equal(1, retried.Updated);
        Assert.Equal("Acme (shop)", record.Value.Name);
        var owners = await harness.IdentityMap.ResolveAsync([new ExternalRef("crm", "acme"), new ExternalRef("shop", "buyer-7"), new ExternalRef("erp", record.Key)]);
        Assert.Single(owners.Values.Distinct());
        Assert.Equal(3, owners.Count);
    }

    [Fact]
    public async Task A_second_flow_that_finds_the_first_flows_record_joins_its_customer_instead_of_failing_as_a_duplicate()
    {
        var crm = new FakeCustomerConnector("crm");
        var erp = new FakeCustomerConnector("erp");
        using var harness = new EngineHarness(
            c => c
                .AddFlow("feed", f => f.From("crm").To("erp"))
                .AddFlow("shop", f => f.FromHost("shop").To("erp")),
            null,
            crm,
            erp);
        crm.Emit(Customers.Company(1, taxId: "DE100000001"), T0, id: "acme");
        await harness.Flow("feed").RunOnceAsync();

        var submitted = await harness.Flow("shop").SubmitAsync(Customers.Company(1, taxId: "DE100000001") with
        {
            Provenance = new Provenance { ExternalRefs = [new ExternalRef("shop", "buyer-7")], SourceModifiedAt = T0.AddMinutes(1) },
        });

        Assert.Null(submitted.ErrorCategory);
        Assert.Single(erp.Records);
        var owners = await harness.IdentityMap.ResolveAsync([new ExternalRef("crm", "acme"), new ExternalRef("shop", "buyer-7")]);
        Assert.Equal(2, owners.Count);
        Assert.Single(owners.Values.Distinct());
        Assert.Equal(owners[new ExternalRef("crm", "acme")], submitted.CanonicalId);
    }
}
