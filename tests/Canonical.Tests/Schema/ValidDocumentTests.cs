using System.Text;
using Concord.Canonical.Schema;
using Concord.Canonical.Serialization;
using Concord.Canonical.Tests.TestData;
using Xunit;

namespace Concord.Canonical.Tests.Schema;

public sealed class ValidDocumentTests
{
    private static readonly ICustomerSchemaValidator Validator = CanonicalSchema.CreateValidator();

    public static TheoryData<string> Cases() => [.. ValidCustomers.All().Select(c => c.Case)];

    private static CanonicalCustomer Get(string name) => ValidCustomers.All().Single(c => c.Case == name).Customer;

    [Fact]
    public void There_are_at_least_twenty_valid_documents() =>
        Assert.True(ValidCustomers.All().Count() >= 20);

    [Theory]
    [MemberData(nameof(Cases))]
    public void Valid_document_passes_the_schema(string name)
    {
        var json = CanonicalJson.Serialize(Get(name));

        var result = Validator.Validate(json);

        Assert.True(result.IsValid, result.ToString());
        Assert.True(Validator.Validate(Encoding.UTF8.GetBytes(json)).IsValid);
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Valid_document_round_trips_through_System_Text_Json_unchanged(string name)
    {
        var customer = Get(name);
        var json = CanonicalJson.Serialize(customer);

        var read = CanonicalJson.Deserialize(json);

        Assert.Equal(customer, read);
        Assert.Equal(json, CanonicalJson.Serialize(read));
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Valid_document_is_read_by_DeserializeValid(string name)
    {
        var customer = Get(name);

        Assert.Equal(customer, Validator.DeserializeValid(CanonicalJson.Serialize(customer)));
        Assert.Equal(customer, Validator.DeserializeValid(CanonicalJson.SerializeToUtf8Bytes(customer)));
    }

    [Theory]
    [InlineData("""{"kind":"company","name":"Acme"}""")]
    [InlineData("""{ "name" : "Acme", "kind" : "person" }""")]
    [InlineData("""{"schemaVersion":"customer.v1","kind":"company","name":"Acme","contacts":[],"addresses":[],"tags":[],"customAttributes":{}}""")]
    [InlineData("""{"kind":"company","name":"Acme","consents":[{"channel":"post","status":"unknown","recordedAt":"2025-01-31T09:30:00.1234567Z"}]}""")]
    [InlineData("""{"kind":"company","name":"Acme","emails":[{"address":"Mixed.Case@Example.COM"}]}""")]
    public void Hand_written_valid_documents_pass_and_deserialize(string json)
    {
        Assert.True(Validator.Validate(json).IsValid, Validator.Validate(json).ToString());
        Assert.Equal("Acme", Validator.DeserializeValid(json).Name);
    }

    [Fact]
    public void A_document_with_a_byte_order_mark_is_valid()
    {
        var bytes = Encoding.UTF8.GetPreamble().Concat(Encoding.UTF8.GetBytes("""{"kind":"company","name":"Acme"}""")).ToArray();

        Assert.True(Validator.Validate(bytes).IsValid);
        Assert.Equal("Acme", Validator.DeserializeValid(bytes).Name);
    }

    [Fact]
    public void Missing_collections_deserialize_as_empty_not_default()
    {
        var customer = CanonicalJson.Deserialize("""{"kind":"company","name":"Acme"}""");

        Assert.False(customer.Contacts.IsDefault);
        Assert.Empty(customer.Contacts);
        Assert.Empty(customer.CustomAttributes);
        Assert.Equal(CustomerStatus.Active, customer.Status);
        Assert.Equal(SampleCustomers.Minimal() with { Name = "Acme" }, customer);
    }
}
