using Concord.Canonical.Connectors;
using Concord.Canonical.Errors;
using Concord.Connectors.Odoo.Tests.Support;
using Concord.Testing.Odoo;

namespace Concord.Connectors.Odoo.Tests.Upsert;

/// <summary>Issue §4: no duplicate partner, ever.</summary>
public sealed class NoDuplicateTests
{
    [Fact]
    public async Task Upsert_sent_three_times_creates_one_partner()
    {
        await using var odoo = OdooFixture.Start();
        var request = Customers.Request(Customers.Company("acme-1"));

        var results = new List<UpsertResult>();
        for (var i = 0; i < 3; i++)
        {
            results.Add(await odoo.Connector.UpsertAsync(request));
        }

        Assert.All(results, r => Assert.True(r.IsSuccess));
        Assert.Single(results.Select(r => r.ExternalId).Distinct());
        Assert.Equal(1, odoo.PartnerCount(p => p.IsCompany));
        Assert.Equal(2, odoo.PartnerCount(p => p.Type == "contact" && p.ParentId is not null));
        Assert.Equal([UpsertOutcome.Created, UpsertOutcome.Unchanged, UpsertOutcome.Unchanged], results.Select(r => r.Outcome));
        Assert.Equal(long.Parse(results[0].ExternalId!), odoo.Simulator.ResolveExternalId("__concord_canonical__.p_acme-1"));
    }

    [Fact]
    public async Task Lost_response_then_retry_creates_one_partner()
    {
        await using var odoo = OdooFixture.Start();
        odoo.Simulator.Faults.LoseNextResponses(1, IsPartnerLoad);

        var result = await odoo.Connector.UpsertAsync(Customers.Request(Customers.Company("acme-lost")));

        Assert.True(result.IsSuccess, result.Error?.Message);
        Assert.Equal(1, odoo.PartnerCount(p => p.IsCompany));
        Assert.Equal(2, odoo.PartnerCount(p => p.ParentId is not null));
        Assert.Contains(odoo.Simulator.Journal.Entries, e => e.Fault == Concord.Testing.FaultKind.LostResponse);
    }

    [Fact]
    public async Task Lost_response_then_a_second_upsert_by_the_caller_creates_one_partner()
    {
        await using var odoo = OdooFixture.Start(configure: o => o.Resilience.MaxRetryAttempts = 0);
        odoo.Simulator.Faults.LoseNextResponses(1, IsPartnerLoad);
        var request = Customers.Request(Customers.Company("acme-lost-2"));

        var failure = await Assert.ThrowsAsync<ConcordException>(() => odoo.Connector.UpsertAsync(request));
        var retry = await odoo.Connector.UpsertAsync(request);

        Assert.Equal(ErrorCategory.Transient, failure.Category);
        Assert.True(retry.IsSuccess);
        Assert.Equal(1, odoo.PartnerCount(p => p.IsCompany));
    }

    [Fact]
    public async Task Two_concurrent_upserts_of_the_same_customer_create_one_partner()
    {
        await using var odoo = OdooFixture.Start();
        var request = Customers.Request(Customers.Company("acme-race"));

        var results = await Task.WhenAll(odoo.Connector.UpsertAsync(request), odoo.Connector.UpsertAsync(request));

        Assert.All(results, r => Assert.True(r.IsSuccess));
        Assert.Equal(results[0].ExternalId, results[1].ExternalId);
        Assert.Equal(1, odoo.PartnerCount(p => p.IsCompany));
        Assert.Equal(2, odoo.PartnerCount(p => p.ParentId is not null));
    }

    [Fact]
    public async Task Two_concurrent_upserts_through_two_connector_instances_create_one_partner()
    {
        await using var odoo = OdooFixture.Start();
        await using var other = odoo.Simulator.CreateConnector();
        var request = Customers.Request(Customers.Company("acme-race-2"));

        var results = await Task.WhenAll(odoo.Connector.UpsertAsync(request), other.Connector.UpsertAsync(request));

        Assert.All(results, r => Assert.True(r.IsSuccess));
        Assert.Equal(1, odoo.PartnerCount(p => p.IsCompany));
        Assert.Equal(2, odoo.PartnerCount(p => p.ParentId is not null));
    }

    [Fact]
    public async Task Partner_created_by_hand_with_the_same_VAT_is_adopted_not_duplicated()
    {
        await using var odoo = OdooFixture.Start();
        var handMade = odoo.Simulator.CreatePartner(new OdooPartnerSeed { Name = "ACME (typed by hand)", IsCompany = true, Vat = "DE123456789", CountryCode = "DE" });

        var result = await odoo.Connector.UpsertAsync(Customers.Request(Customers.Company("acme-adopt")));

        Assert.True(result.IsSuccess);
        Assert.Equal(handMade.ToString(System.Globalization.CultureInfo.InvariantCulture), result.ExternalId);
        Assert.Equal(UpsertOutcome.Updated, result.Outcome);
        Assert.Equal(1, odoo.PartnerCount(p => p.IsCompany));
        Assert.Equal("Acme GmbH", odoo.Simulator.Partner(handMade)!.Name);
        Assert.Contains("__concord_canonical__.p_acme-adopt", odoo.Simulator.ExternalIdsOf(handMade));
    }

    [Fact]
    public async Task Adoption_without_rights_on_external_ids_still_creates_no_twin()
    {
        await using var odoo = OdooFixture.Start(new OdooSimulatorOptions { CanAccessExternalIds = false });
        var handMade = odoo.Simulator.CreatePartner(new OdooPartnerSeed { Name = "Acme", IsCompany = true, Email = "INFO@acme.example" });
        var request = Customers.Request(Customers.Company("acme-norights", vat: null));

        var first = await odoo.Connector.UpsertAsync(request);
        var second = await odoo.Connector.UpsertAsync(request);

        Assert.Equal(handMade.ToString(System.Globalization.CultureInfo.InvariantCulture), first.ExternalId);
        Assert.Equal(first.ExternalId, second.ExternalId);
        Assert.Equal(1, odoo.PartnerCount(p => p.IsCompany));
        Assert.Equal(2, odoo.PartnerCount(p => p.ParentId is not null));
    }

    [Fact]
    public async Task Partner_owned_by_another_customer_is_not_adopted()
    {
        await using var odoo = OdooFixture.Start();
        var first = await odoo.Connector.UpsertAsync(Customers.Request(Customers.Company("acme-owner")));

        // A different canonical customer that shares the VAT (a data error upstream) must not take over the first one's partner.
        var second = await odoo.Connector.UpsertAsync(Customers.Request(Customers.Company("acme-intruder", name: "Intruder")));

        Assert.NotEqual(first.ExternalId, second.ExternalId);
        Assert.Equal("Acme GmbH", odoo.Simulator.Partner(long.Parse(first.ExternalId!))!.Name);
    }

    [Fact]
    public async Task Known_external_id_from_the_identity_map_is_adopted()
    {
        await using var odoo = OdooFixture.Start();
        var handMade = odoo.Simulator.CreatePartner(new OdooPartnerSeed { Name = "Old name", IsCompany = true });

        var result = await odoo.Connector.UpsertAsync(Customers.Request(Customers.Company("acme-known", vat: null, email: null), known: handMade.ToString(System.Globalization.CultureInfo.InvariantCulture)));

        Assert.Equal(handMade.ToString(System.Globalization.CultureInfo.InvariantCulture), result.ExternalId);
        Assert.Equal(1, odoo.PartnerCount(p => p.IsCompany));
    }

    private static bool IsPartnerLoad(Concord.Testing.SimulatorRequest request) =>
        request.Body?.Contains("\"res.partner\",\"load\"", StringComparison.Ordinal) == true;
}
