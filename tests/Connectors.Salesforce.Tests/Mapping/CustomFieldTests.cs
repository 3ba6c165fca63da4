using System.Collections.Immutable;
using Concord.Canonical.Errors;
using Concord.Connectors.Salesforce.Tests.TestData;
using Concord.Testing.Salesforce;

namespace Concord.Connectors.Salesforce.Tests.Mapping;

/// <summary>The host maps Account fields, standard or custom, to canonical custom attributes, both ways.</summary>
public sealed class CustomFieldTests
{
    private static SalesforceSimulator Org()
    {
        var options = new SalesforceSimulatorOptions();
        options.CustomFields["Account"] = ["Tier__c"];
        return new SalesforceSimulator(options);
    }

    private static void Map(SalesforceConnectorOptions options)
    {
        options.CustomFieldMappings["tier"] = "tier__c"; // spelled otherwise than the schema: Salesforce names are case-insensitive
        options.CustomFieldMappings["type"] = "Type";
        options.CustomFieldMappings["ownership"] = "Ownership";
    }

    [Fact]
    public async Task Mapped_standard_and_custom_fields_read_into_custom_attributes()
    {
        using var sim = Org();
        var id = sim.SeedAccount("cf-1", "Acme", new Dictionary<string, object?> { ["Tier__c"] = "Gold", ["Type"] = "Customer - Direct", ["Ownership"] = "Private", ["Industry"] = "Banking" });
        await using var sf = sim.CreateConnector(Map);

        var read = await sf.Connector.GetAsync(id);

        Assert.Equal(
            [("industry", "Banking"), ("ownership", "Private"), ("tier", "Gold"), ("type", "Customer - Direct")],
            read!.CustomAttributes.Select(a => (a.Key, a.Value)));
    }

    [Fact]
    public async Task Mapped_attributes_are_written_and_cleared()
    {
        using var sim = Org();
        await using var sf = sim.CreateConnector(Map);
        var customer = Customers.Company("cf-2") with { CustomAttributes = ImmutableSortedDictionary<string, string>.Empty.Add("tier", "Gold").Add("type", "Partner") };

        await sf.Connector.UpsertManyAsync([Customers.Request(customer)]);
        var written = Assert.Single(sim.Accounts);
        await sf.Connector.UpsertManyAsync([Customers.Request(customer with { CustomAttributes = ImmutableSortedDictionary<string, string>.Empty.Add("type", "Partner") })]);
        var cleared = Assert.Single(sim.Accounts);

        Assert.Equal(("Gold", "Partner"), (written["Tier__c"], written["Type"]));
        Assert.Equal(((string?)null, "Partner"), (cleared["Tier__c"], cleared["Type"]));
    }

    [Fact]
    public async Task A_mapping_to_a_field_the_org_lacks_stops_with_a_configuration_error_naming_the_mapping()
    {
        using var sim = Org();
        await using var sf = sim.CreateConnector(o => o.CustomFieldMappings["segment"] = "Segment__c");

        var error = await Assert.ThrowsAsync<ConcordException>(() => sf.Connector.UpsertManyAsync(Customers.Requests(2)));

        Assert.Equal(ErrorCategory.Configuration, error.Category);
        Assert.Contains("CustomFieldMappings:segment", error.Message, StringComparison.Ordinal);
        Assert.Contains("Segment__c", error.Message, StringComparison.Ordinal);
    }
}
