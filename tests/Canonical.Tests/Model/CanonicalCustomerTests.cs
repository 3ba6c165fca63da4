using System.Collections.Immutable;
using System.Text.Json;
using Concord.Canonical.Serialization;
using Concord.Canonical.Tests.TestData;
using Xunit;

namespace Concord.Canonical.Tests.Model;

public sealed class CanonicalCustomerTests
{
    [Fact]
    public void Customers_built_separately_with_the_same_values_are_equal_with_equal_hash_codes()
    {
        var a = SampleCustomers.Acme();
        var b = SampleCustomers.Acme();

        Assert.NotSame(a, b);
        Assert.Equal(a, b);
        Assert.True(a == b);
        Assert.Equal(a.GetHashCode(), b.GetHashCode());
    }

    [Fact]
    public void Equality_looks_inside_collections_and_nested_records()
    {
        var acme = SampleCustomers.Acme();

        Assert.NotEqual(acme, acme with { Contacts = [acme.Contacts[0] with { Emails = [new EmailAddress { Address = "other@acme.de" }] }] });
        Assert.NotEqual(acme, acme with { Provenance = acme.Provenance.WithExternalRef(new ExternalRef("hubspot", "1")) });
        Assert.NotEqual(acme, acme with { CustomAttributes = acme.CustomAttributes.SetItem("segment", "smb") });
        Assert.NotEqual(acme, acme with { Tags = [.. acme.Tags.Reverse()] });
        Assert.Equal(acme, acme with { Tags = [.. acme.Tags] });
    }

    [Fact]
    public void Default_collections_are_never_default_arrays()
    {
        var customer = new CanonicalCustomer { Kind = CustomerKind.Company, Name = "x", Contacts = default, Tags = default, CustomAttributes = null!, Provenance = null! };

        Assert.Empty(customer.Contacts);
        Assert.Empty(customer.Tags);
        Assert.Empty(customer.CustomAttributes);
        Assert.NotNull(customer.Provenance);
        Assert.Equal(SampleCustomers.Minimal() with { Name = "x" }, customer);
        Assert.Empty(new Contact { Name = "x", Emails = default }.Emails);
        Assert.Empty(new Provenance { ExternalRefs = default }.ExternalRefs);
    }

    [Fact]
    public void Custom_attributes_are_always_ordered_ordinally()
    {
        var attributes = ImmutableSortedDictionary.CreateRange(StringComparer.InvariantCultureIgnoreCase, new Dictionary<string, string> { ["b"] = "1", ["B2"] = "2", ["a"] = "3" });

        var customer = SampleCustomers.Minimal() with { CustomAttributes = attributes };

        Assert.Equal(["B2", "a", "b"], customer.CustomAttributes.Keys);
        Assert.Same(StringComparer.Ordinal, customer.CustomAttributes.KeyComparer);
    }

    [Fact]
    public void AddressFor_returns_the_first_address_of_a_role()
    {
        var acme = SampleCustomers.Acme();

        Assert.Equal("10117", acme.AddressFor(AddressRole.Main)?.PostalCode);
        Assert.Equal("Accounts", acme.AddressFor(AddressRole.Billing)?.Name);
        Assert.Null(acme.AddressFor(AddressRole.Shipping));
    }

    [Fact]
    public void WithExternalRef_replaces_the_reference_of_the_same_system()
    {
        var provenance = SampleCustomers.Acme().Provenance.WithExternalRef(new ExternalRef("odoo", "43"));

        Assert.Equal("43", provenance.ExternalIdIn("odoo"));
        Assert.Equal("001xx000003DGb2AAG", provenance.ExternalIdIn("salesforce"));
        Assert.Null(provenance.ExternalIdIn("zendesk"));
        Assert.Equal(2, provenance.ExternalRefs.Length);
        Assert.Equal("odoo:43", provenance.ExternalRefs[^1].ToString());
    }

    [Fact]
    public void Json_uses_camel_case_string_enums_and_omits_nulls()
    {
        var json = CanonicalJson.Serialize(SampleCustomers.Acme() with { LegalName = null, LifecycleStage = LifecycleStage.MarketingQualifiedLead });

        Assert.Contains("\"kind\":\"company\"", json, StringComparison.Ordinal);
        Assert.Contains("\"lifecycleStage\":\"marketing_qualified_lead\"", json, StringComparison.Ordinal);
        Assert.Contains("\"schemaVersion\":\"customer.v1\"", json, StringComparison.Ordinal);
        Assert.DoesNotContain("legalName", json, StringComparison.Ordinal);
        Assert.DoesNotContain("null", json, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{"kind":"company","name":"Acme","unknown":1}""")]
    [InlineData("""{"kind":"company","name":"Acme","name":"Evil"}""")]
    [InlineData("""{"kind":"company","name":null}""")]
    [InlineData("""{"kind":"company"}""")]
    [InlineData("""{"kind":"robot","name":"Acme"}""")]
    [InlineData("""{"kind":"company","name":"Acme","provenance":{"externalRefs":[{"system":"odoo"}]}}""")]
    [InlineData("null")]
    public void Deserializing_without_the_schema_still_refuses_what_the_contract_forbids(string json) =>
        Assert.ThrowsAny<JsonException>(() => CanonicalJson.Deserialize(json));
}
