using Concord.Canonical;
using Concord.Canonical.Connectors;
using Concord.Connectors.Salesforce.Tests.TestData;
using Concord.Testing.Salesforce;

namespace Concord.Connectors.Salesforce.Tests.Mapping;

/// <summary>
/// With State and Country/Territory picklists on (common), the text fields take only the integration value (the full
/// name): the connector detects the setting once, writes the code fields and reads the codes; without them it writes
/// names into the text fields and reads names or codes back as ISO codes.
/// </summary>
public sealed class AddressPicklistTests
{
    private static CanonicalCustomer InCalifornia(string id) => Customers.Company(id) with
    {
        Addresses = [new PostalAddress { Role = AddressRole.Billing, Street = "1 Market St", City = "San Francisco", PostalCode = "94105", Region = "US-CA", Country = "US" }],
    };

    [Fact]
    public async Task With_picklists_the_connector_detects_them_and_writes_the_codes()
    {
        using var sim = new SalesforceSimulator(new SalesforceSimulatorOptions { StateAndCountryPicklists = true });
        await using var sf = sim.CreateConnector();

        var results = await sf.Connector.UpsertManyAsync([Customers.Request(InCalifornia("pk-1")), Customers.Request(InCalifornia("pk-2"))]);
        var single = await sf.Connector.UpsertAsync(Customers.Request(InCalifornia("pk-3")));

        Assert.All(results.Append(single), r => Assert.True(r.IsSuccess, r.Error?.Message));
        Assert.All(sim.Accounts, a =>
        {
            Assert.Equal("US", a["BillingCountryCode"]);
            Assert.Equal("CA", a["BillingStateCode"]);
            Assert.Equal("United States", a["BillingCountry"]);
            Assert.Equal("California", a["BillingState"]);
        });
        Assert.Single(sim.Journal.Calls("GET", "/services/data/v65.0/sobjects/Account/describe"));
    }

    [Fact]
    public async Task With_picklists_a_read_takes_the_codes_not_the_names()
    {
        using var sim = new SalesforceSimulator(new SalesforceSimulatorOptions { StateAndCountryPicklists = true });
        var id = sim.SeedAccount("pk-r", "Read me", new Dictionary<string, object?> { ["BillingCountryCode"] = "US", ["BillingStateCode"] = "NY", ["BillingCity"] = "New York" });
        await using var sf = sim.CreateConnector();

        var read = await sf.Connector.GetAsync(id);

        var address = Assert.Single(read!.Addresses);
        Assert.Equal("US", address.Country);
        Assert.Equal("US-NY", address.Region);
    }

    [Fact]
    public async Task Without_picklists_the_text_fields_get_the_country_name_and_read_back_as_the_code()
    {
        using var sim = new SalesforceSimulator();
        await using var sf = sim.CreateConnector();

        var result = await sf.Connector.UpsertAsync(Customers.Request(Customers.Company("txt-1")));
        var read = await sf.Connector.GetAsync(result.ExternalId!);

        var account = Assert.Single(sim.Accounts);
        Assert.Equal("Germany", account["BillingCountry"]);
        Assert.Null(account["BillingCountryCode"]);
        Assert.Equal("DE", Assert.Single(read!.Addresses).Country);
    }

    [Fact]
    public async Task Without_picklists_a_country_name_typed_by_hand_reads_back_as_its_code()
    {
        using var sim = new SalesforceSimulator();
        var id = sim.SeedAccount("hand-1", "Typed by hand", new Dictionary<string, object?> { ["BillingCountry"] = "united kingdom", ["BillingCity"] = "London" });
        await using var sf = sim.CreateConnector();

        var read = await sf.Connector.GetAsync(id);

        Assert.Equal("GB", Assert.Single(read!.Addresses).Country);
    }

    [Fact]
    public async Task The_feed_reads_codes_with_picklists_on()
    {
        using var sim = new SalesforceSimulator(new SalesforceSimulatorOptions { StateAndCountryPicklists = true });
        sim.SeedAccount("pk-f", "Feed", new Dictionary<string, object?> { ["BillingCountry"] = "Canada", ["BillingState"] = "Ontario" });
        await using var sf = sim.CreateConnector();

        var changes = new List<CustomerChange>();
        await foreach (var change in sf.Connector.ReadChangesAsync(null))
        {
            changes.Add(change);
        }

        var address = Assert.Single(Assert.Single(changes).Customer!.Addresses);
        Assert.Equal(("CA", "CA-ON"), (address.Country, address.Region));
    }
}
