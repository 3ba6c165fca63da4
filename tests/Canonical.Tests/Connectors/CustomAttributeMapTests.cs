using System.Collections.Immutable;
using Concord.Canonical.Connectors;
using Xunit;

namespace Concord.Canonical.Tests.Connectors;

public sealed class CustomAttributeMapTests
{
    private static readonly Dictionary<string, string> Mappings = new(StringComparer.Ordinal) { ["tier"] = "Tier__c", ["type"] = "Type" };

    [Fact]
    public void Reads_the_non_empty_mapped_fields_into_the_attributes_read_otherwise()
    {
        var map = new CustomAttributeMap(Mappings);
        var fields = new Dictionary<string, string?> { ["Tier__c"] = "Gold", ["Type"] = " " };

        var attributes = map.Read(f => fields.GetValueOrDefault(f), ImmutableSortedDictionary<string, string>.Empty.Add("industry", "Banking"));

        Assert.Equal(["industry", "tier"], attributes.Keys);
        Assert.Equal("Gold", attributes["tier"]);
    }

    [Fact]
    public void Writes_every_mapped_field_and_null_for_an_attribute_the_customer_no_longer_has()
    {
        var map = new CustomAttributeMap(Mappings);
        var written = new List<(string Field, string? Value)>();

        map.Write(ImmutableSortedDictionary<string, string>.Empty.Add("tier", "Gold").Add("other", "x"), (f, v) => written.Add((f, v)));

        Assert.Equal([("Tier__c", "Gold"), ("Type", (string?)null)], written);
    }

    [Fact]
    public void Validation_names_the_configuration_path_of_each_problem()
    {
        var bad = new Dictionary<string, string> { ["tier"] = "Tier__c", ["level"] = "tier__c", ["blank"] = "", ["odd"] = "Not a field" };

        var failures = CustomAttributeMap.Validate("Concord:Salesforce:CustomFieldMappings", bad, f => !f.Contains(' ', StringComparison.Ordinal), StringComparer.OrdinalIgnoreCase).ToList();

        Assert.Contains("Concord:Salesforce:CustomFieldMappings:blank names no field.", failures);
        Assert.Contains("Concord:Salesforce:CustomFieldMappings:odd (Not a field) is not a field name of the vendor.", failures);
        Assert.Contains(failures, f => f.StartsWith("Concord:Salesforce:CustomFieldMappings:tier maps Tier__c, which Concord:Salesforce:CustomFieldMappings:level maps already", StringComparison.Ordinal));
        Assert.Empty(CustomAttributeMap.Validate("p", Mappings));
    }
}
