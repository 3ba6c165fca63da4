using Concord.Connectors.Salesforce.Tests.TestData;
using Concord.Canonical;
using Concord.Canonical.Connectors;
using Concord.Canonical.Normalization;
using Concord.Testing.Salesforce;

namespace Concord.Connectors.Salesforce.Tests.Reads;

public sealed class ReadTests : IDisposable
{
    private readonly SalesforceSimulator _sim = new();

    [Fact]
    public async Task Find_matches_by_domain_email_and_reference_and_skips_deleted_accounts()
    {
        var byDomain = _sim.SeedAccount("f-1", "Acme", new Dictionary<string, object?> { ["Website"] = "https://www.acme.example/about" });
        var byEmail = _sim.SeedAccount("f-2", "Initech");
        _sim.SeedContact(byEmail, "f-2-c1", "Lumbergh", new Dictionary<string, object?> { ["Email"] = "bill@initech.example" });
        var byReference = _sim.SeedAccount("f-3", "Globex", new Dictionary<string, object?> { ["AccountNumber"] = "GX-42" });
        _sim.SeedAccount("f-4", "Unrelated", new Dictionary<string, object?> { ["Website"] = "https://other.example" });
        var deleted = _sim.SeedAccount("f-5", "Old Acme", new Dictionary<string, object?> { ["Website"] = "https://acme.example" });
        _sim.DeleteRecord(deleted);
        await using var sf = _sim.CreateConnector();

        var found = await sf.Connector.FindAsync(new MatchKeys { Domain = "acme.example", Emails = ["bill@initech.example"], Reference = "GX-42" });

        Assert.Equal(
            new[] { byDomain, byEmail, byReference }.Order(),
            found.Select(c => c.Provenance.ExternalIdIn("salesforce")!).Order());
    }

    [Fact]
    public async Task Find_with_only_tax_ids_matches_nothing_without_a_call()
    {
        await using var sf = _sim.CreateConnector();

        var found = await sf.Connector.FindAsync(new MatchKeys { TaxIds = [new TaxIdentifier { Type = TaxIdType.Vat, Value = "DE123", Country = "DE" }] });

        Assert.Empty(found);
        Assert.Empty(_sim.Journal.Where(e => e.Path.StartsWith("/services/data/", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task Get_reads_an_account_with_its_contacts_and_provenance_and_deleted_is_null()
    {
        var id = _sim.SeedAccount("g-1", "Acme", new Dictionary<string, object?>
        {
            ["BillingStreet"] = "1 Main St\nSuite 5",
            ["BillingCity"] = "Springfield",
            ["BillingState"] = "IL",
            ["BillingCountry"] = "US",
            ["Phone"] = "(217) 555-0100",
            ["Industry"] = "Manufacturing",
        });
        _sim.SeedContact(id, "g-1-c1", "Hopper", new Dictionary<string, object?> { ["FirstName"] = "Grace" });
        await using var sf = _sim.CreateConnector();

        var customer = await sf.Connector.GetAsync(id);
        _sim.DeleteRecord(id);
        var afterDelete = await sf.Connector.GetAsync(id);

        Assert.NotNull(customer);
        Assert.Equal("g-1", customer.Provenance.CanonicalId);
        Assert.Equal(new ExternalRef("salesforce", id), Assert.Single(customer.Provenance.ExternalRefs));
        var billing = customer.AddressFor(AddressRole.Billing)!;
        Assert.Equal(("1 Main St", "Suite 5", "US-IL", "US"), (billing.Street, billing.Street2, billing.Region, billing.Country));
        Assert.Equal("+12175550100", customer.Phones[0].E164);
        Assert.Equal("Manufacturing", customer.CustomAttributes["industry"]);
        Assert.Equal("Grace Hopper", Assert.Single(customer.Contacts).Name);
        Assert.Null(afterDelete);
    }

    [Fact]
    public async Task Data_the_canonical_rules_reject_is_returned_as_read_for_validation_downstream()
    {
        var id = _sim.SeedAccount("bad-1", "Free text country", new Dictionary<string, object?> { ["BillingCountry"] = "Freedonia", ["BillingCity"] = "Fredonia" });
        await using var sf = _sim.CreateConnector();

        var customer = await sf.Connector.GetAsync(id);

        Assert.Equal("Freedonia", customer!.AddressFor(AddressRole.Billing)!.Country);
        Assert.False(CustomerNormalizer.TryNormalize(customer, out _, out var errors));
        Assert.Contains(errors, e => e.Code == CustomerNormalizer.CountryRule);
    }

    [Fact]
    public async Task Get_with_a_string_that_is_not_a_salesforce_id_is_null_without_a_call()
    {
        await using var sf = _sim.CreateConnector();

        var customer = await sf.Connector.GetAsync("odoo-42");

        Assert.Null(customer);
        Assert.Empty(_sim.Journal.Entries);
    }

    [Fact]
    public async Task Find_puts_the_reference_match_before_the_domain_match()
    {
        var byDomain = _sim.SeedAccount("o-1", "Acme", new Dictionary<string, object?> { ["Website"] = "https://acme.example" });
        var byReference = _sim.SeedAccount("o-2", "Acme Holding", new Dictionary<string, object?> { ["AccountNumber"] = "R-1" });
        await using var sf = _sim.CreateConnector();

        var found = await sf.Connector.FindAsync(new MatchKeys { Domain = "acme.example", Reference = "R-1" });

        Assert.Equal([byReference, byDomain], found.Select(c => c.Provenance.ExternalIdIn("salesforce")));
    }

    [Fact]
    public async Task Find_by_a_domain_with_an_underscore_takes_it_literally_not_as_a_wildcard()
    {
        var literal = _sim.SeedAccount("w-1", "Underscore", new Dictionary<string, object?> { ["Website"] = "https://my_shop.example" });
        _sim.SeedAccount("w-2", "Lookalike", new Dictionary<string, object?> { ["Website"] = "https://myXshop.example" });
        await using var sf = _sim.CreateConnector();

        var found = await sf.Connector.FindAsync(new MatchKeys { Domain = "my_shop.example" });

        Assert.Equal([literal], found.Select(c => c.Provenance.ExternalIdIn("salesforce")));
    }

    [Fact]
    public async Task Every_api_call_names_the_client_in_Sforce_Call_Options()
    {
        await using var sf = _sim.CreateConnector(OrgShape.Known);

        await sf.Connector.GetAsync("001SIM000000001AAA");

        var call = Assert.Single(_sim.Journal.Where(e => e.Path.StartsWith("/services/data/", StringComparison.Ordinal)));
        Assert.Equal("client=Concord", call.Headers["Sforce-Call-Options"]);
    }

    public void Dispose() => _sim.Dispose();
}
