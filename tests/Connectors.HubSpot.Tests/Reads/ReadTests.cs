using Concord.Canonical;
using Concord.Canonical.Connectors;
using Concord.Connectors.HubSpot.Tests.TestData;
using Concord.Testing.HubSpot;

namespace Concord.Connectors.HubSpot.Tests.Reads;

public sealed class ReadTests
{
    [Fact]
    public async Task GetMany_reads_fifty_customers_with_their_contacts_in_three_calls()
    {
        await using var sim = new HubSpotSimulator();
        await using var hubspot = sim.CreateConnector();
        var written = await hubspot.Connector.UpsertManyAsync(Customers.Requests(50, contactsEach: 2));
        sim.Journal.Clear();

        var read = await hubspot.Connector.GetManyAsync([.. written.Select(r => r.ExternalId!)]);

        Assert.Equal(3, sim.Journal.Count); // companies, their links, the contacts
        Assert.All(read, c => Assert.Equal(2, c!.Contacts.Length));
        Assert.Equal(written.Select(r => r.ExternalId), read.Select(c => c!.Provenance.ExternalIdIn("hubspot")));
    }

    [Fact]
    public async Task A_read_customer_maps_every_carried_field_back()
    {
        await using var sim = new HubSpotSimulator();
        await using var hubspot = sim.CreateConnector(o => o.TaxIdProperty = "vat_number");
        sim.DefineProperty("companies", "vat_number");
        var customer = Customers.Company("map-1", contacts: 1) with
        {
            TaxIds = [new TaxIdentifier { Type = TaxIdType.Vat, Value = "811907980", Country = "DE" }],
            CustomAttributes = System.Collections.Immutable.ImmutableSortedDictionary<string, string>.Empty
                .Add("industry", "MACHINERY").Add("numberOfEmployees", "1200").Add("annualRevenue", "1500000.5"),
        };
        customer = customer with { Contacts = [customer.Contacts[0] with { Emails = [new EmailAddress { Address = "ada@map.example" }, new EmailAddress { Address = "ada.l@map.example" }] }] };

        var id = (await hubspot.Connector.UpsertAsync(Customers.Request(customer))).ExternalId!;
        var read = (await hubspot.Connector.GetAsync(id))!;

        var company = sim.Get(id)!;
        Assert.Equal("Germany", company["country"]);
        Assert.Equal("Berlin", company["state"]);
        Assert.Equal("1200", company["numberofemployees"]);
        Assert.Equal("DE811907980", company["vat_number"]);
        Assert.Equal("customer", company["lifecyclestage"]);
        var billing = read.AddressFor(AddressRole.Billing)!;
        Assert.Equal(("DE", "DE-BE", "Berlin", "Hof 2"), (billing.Country, billing.Region, billing.City, billing.Street2));
        Assert.Equal(LifecycleStage.Customer, read.LifecycleStage);
        Assert.Equal("map-1.example", read.Domain);
        Assert.Equal("+49301234567", read.Phones[0].E164);
        Assert.Equal("1500000.5", read.CustomAttributes["annualRevenue"]);
        Assert.Equal("DE811907980", read.TaxIds.Single().Value);
        var contact = read.Contacts.Single();
        Assert.Equal(["ada@map.example", "ada.l@map.example"], contact.Emails.Select(e => e.Address));
        Assert.Equal("ada.l@map.example", sim.Get(contact.ExternalRefs[0].Id)!["hs_additional_emails"]);
        Assert.Equal("map-1", read.Provenance.CanonicalId);
        Assert.Equal("map-1-c1", contact.Id);
    }

    [Fact]
    public async Task FindMany_searches_domains_once_and_emails_once_then_reads_the_companies_once()
    {
        await using var sim = new HubSpotSimulator();
        await using var hubspot = sim.CreateConnector();
        var written = await hubspot.Connector.UpsertManyAsync(Customers.Requests(5, contactsEach: 1, prefix: "find"));
        var byEmailOnly = new MatchKeys { Emails = ["ada1@find-3.example"] };
        sim.Journal.Clear();

        var found = await hubspot.Connector.FindManyAsync(
        [
            new MatchKeys { Domain = "find-1.example" },
            byEmailOnly,
            new MatchKeys { Domain = "nobody.example" },
            new MatchKeys(),
            new MatchKeys { Domain = "FIND-2.example" },
        ]);

        Assert.Equal(written[0].ExternalId, found[0].Single().Provenance.ExternalIdIn("hubspot"));
        Assert.Equal(written[2].ExternalId, found[1].Single().Provenance.ExternalIdIn("hubspot"));
        Assert.Empty(found[2]);
        Assert.Empty(found[3]);
        Assert.Equal(written[1].ExternalId, found[4].Single().Provenance.ExternalIdIn("hubspot"));
        Assert.Single(sim.Journal.Calls("POST", "/crm/objects/2026-09/companies/search"));
        Assert.Single(sim.Journal.Calls("POST", "/crm/objects/2026-09/contacts/search"));
        Assert.Single(sim.Journal.Calls("POST", "/crm/objects/2026-09/companies/batch/read"));
    }

    [Fact]
    public async Task Get_of_an_unknown_or_non_numeric_id_is_null()
    {
        await using var sim = new HubSpotSimulator();
        await using var hubspot = sim.CreateConnector();

        Assert.Null(await hubspot.Connector.GetAsync("424242"));
        Assert.Null(await hubspot.Connector.GetAsync("not-an-id"));
        Assert.Single(sim.Journal.Entries);
    }

    [Fact]
    public async Task A_country_hubspot_holds_as_free_text_reads_back_as_its_iso_code()
    {
        await using var sim = new HubSpotSimulator();
        await using var hubspot = sim.CreateConnector();
        var id = sim.SeedCompany(new Dictionary<string, string> { ["name"] = "Free text", ["country"] = "United States of America", ["state"] = "CA", ["city"] = "Palo Alto" });

        var read = (await hubspot.Connector.GetAsync(id))!;

        Assert.Equal(("US", "US-CA"), (read.AddressFor(AddressRole.Billing)!.Country, read.AddressFor(AddressRole.Billing)!.Region));
    }

    [Theory]
    [InlineData("California", "United States", "US-CA")]
    [InlineData("california", "USA", "US-CA")]
    [InlineData("Bavaria", "Germany", "DE-BY")]
    [InlineData("Bayern", "Deutschland", "DE-BY")]
    [InlineData("Québec", "Canada", "CA-QC")]
    [InlineData("NSW", "Australia", "AU-NSW")]
    [InlineData("Wien", "Austria", "AT-9")]
    public async Task A_state_hubspot_holds_as_a_name_reads_back_as_its_iso_3166_2_code(string state, string country, string region)
    {
        await using var sim = new HubSpotSimulator();
        await using var hubspot = sim.CreateConnector();
        var id = sim.SeedCompany(new Dictionary<string, string> { ["name"] = "Named state", ["country"] = country, ["state"] = state, ["city"] = "Somewhere" });

        var read = (await hubspot.Connector.GetAsync(id))!;

        Assert.Equal(region, read.AddressFor(AddressRole.Billing)!.Region);
    }

    [Fact]
    public async Task A_region_is_written_as_the_state_name_hubspot_users_see_and_reads_back_as_the_same_code()
    {
        await using var sim = new HubSpotSimulator();
        await using var hubspot = sim.CreateConnector();
        var customer = Customers.Company("state-1") with
        {
            Addresses = [new PostalAddress { Role = AddressRole.Billing, Street = "1 Infinite Loop", City = "Cupertino", PostalCode = "95014", Region = "US-CA", Country = "US" }],
        };

        var id = (await hubspot.Connector.UpsertAsync(Customers.Request(customer))).ExternalId!;
        var read = (await hubspot.Connector.GetAsync(id))!;

        Assert.Equal(("California", "United States"), (sim.Get(id)!["state"], sim.Get(id)!["country"]));
        Assert.Equal(("US", "US-CA"), (read.AddressFor(AddressRole.Billing)!.Country, read.AddressFor(AddressRole.Billing)!.Region));
    }

    [Fact]
    public async Task Custom_attributes_travel_through_their_mapped_properties_both_ways_and_a_removed_one_is_cleared()
    {
        await using var sim = new HubSpotSimulator();
        sim.DefineProperty("companies", "concord_segment");
        sim.DefineProperty("companies", "concord_tier");
        await using var hubspot = sim.CreateConnector(o =>
        {
            o.CustomProperties["segment"] = "concord_segment";
            o.CustomProperties["tier"] = "concord_tier";
        });
        var customer = Customers.Company("custom-1") with
        {
            CustomAttributes = System.Collections.Immutable.ImmutableSortedDictionary<string, string>.Empty.Add("segment", "smb").Add("tier", "gold"),
        };

        var id = (await hubspot.Connector.UpsertAsync(Customers.Request(customer))).ExternalId!;
        var read = (await hubspot.Connector.GetAsync(id))!;
        await hubspot.Connector.UpsertAsync(Customers.Request(customer with { CustomAttributes = customer.CustomAttributes.Remove("tier") }, id));
        var again = (await hubspot.Connector.GetAsync(id))!;

        Assert.Equal(("smb", "gold"), (read.CustomAttributes["segment"], read.CustomAttributes["tier"]));
        Assert.Equal("smb", sim.Get(id)!["concord_segment"]);
        Assert.True(string.IsNullOrEmpty(sim.Get(id)!["concord_tier"]));
        Assert.Equal("smb", again.CustomAttributes["segment"]);
        Assert.False(again.CustomAttributes.ContainsKey("tier"));
    }
}
