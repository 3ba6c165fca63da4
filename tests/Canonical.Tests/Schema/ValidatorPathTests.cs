using System.Text;
using System.Text.Json;
using Concord.Canonical.Schema;
using Concord.Canonical.Schema.Internal;
using Concord.Canonical.Serialization;
using Concord.Canonical.Tests.TestData;
using Xunit;

namespace Concord.Canonical.Tests.Schema;

/// <summary>The fast path's cost and the full path's reports (JsonSchema.Net results turned into canonical errors).</summary>
public sealed class ValidatorPathTests
{
    private static readonly ICustomerSchemaValidator Validator = CanonicalSchema.CreateValidator();

    [Fact]
    public void Validating_a_valid_customer_allocates_nothing()
    {
        var documents = Enumerable.Range(0, 50).Select(i => CanonicalJson.SerializeToUtf8Bytes(SampleCustomers.Acme() with { Name = $"Acme {i}" })).ToArray();
        foreach (var document in documents)
        {
            Assert.True(Validator.Validate(document).IsValid);
        }

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var round = 0; round < 20; round++)
        {
            foreach (var document in documents)
            {
                _ = Validator.Validate(document);
            }
        }

        var perRecord = (GC.GetAllocatedBytesForCurrentThread() - before) / (20.0 * documents.Length);
        Assert.True(perRecord < 16, $"{perRecord:0.0} bytes allocated per valid record");
    }

    [Fact]
    public void A_property_given_twice_in_a_map_is_refused_with_its_line()
    {
        var error = Assert.Single(Validator.Validate("{\"kind\":\"company\",\"name\":\"Acme\",\n\"customAttributes\":{\"tier\":\"a\",\n\"tier\":\"b\"}}").Errors);

        Assert.Equal(("$", SchemaRules.Json), (error.Path, error.Rule));
        Assert.Equal((3, 1), (error.Line, error.Position));
        Assert.Contains("twice", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_property_given_twice_once_escaped_is_refused()
    {
        var error = Assert.Single(Validator.Validate("""{"kind":"company","name":"Acme","customAttributes":{"tier":"a","\u0074ier":"b"}}""").Errors);

        Assert.Equal(("$", SchemaRules.Json), (error.Path, error.Rule));
    }

    [Fact]
    public void Escaped_distinct_names_are_valid()
    {
        Assert.True(Validator.Validate("""{"kind":"company","name":"Acme","customAttributes":{"\u0074ier":"a","\u0074ype":"b"}}""").IsValid);
    }

    [Fact]
    public void A_name_with_pointer_characters_keeps_them_in_the_path()
    {
        var error = Assert.Single(Validator.Validate("""{"kind":"company","name":"Acme","customAttributes":{"a/b~c":1}}""").Errors);

        Assert.Equal(("$.customAttributes.a/b~c", SchemaRules.Type), (error.Path, error.Rule));
    }

    [Fact]
    public void A_missing_property_is_located_at_its_object()
    {
        var error = Assert.Single(Validator.Validate("{\"kind\":\"company\",\"name\":\"Acme\",\n\"taxIds\":[\n  {\"type\":\"vat\",\"value\":\"DE1\"}]}").Errors);

        Assert.Equal(("$.taxIds[0].country", SchemaRules.Required), (error.Path, error.Rule));
        Assert.Equal((3, 3), (error.Line, error.Position));
        Assert.Equal("The required property 'country' is missing.", error.Message);
    }

    [Fact]
    public void Every_missing_property_of_one_object_is_its_own_error()
    {
        var result = Validator.Validate("""{"kind":"company","name":"Acme","taxIds":[{"type":"vat"}]}""");

        Assert.Equal(["$.taxIds[0].value", "$.taxIds[0].country"], result.Errors.Select(e => e.Path));
    }

    [Fact]
    public void Errors_come_in_document_order()
    {
        var result = Validator.Validate("""{"phones":[{"raw":"x","e164":"0"}],"kind":"robot","name":"Acme","extra":1,"emails":[{"address":"nope"}],"currency":"EURO"}""");

        Assert.Equal(["$.phones[0].e164", "$.kind", "$.extra", "$.emails[0].address", "$.currency"], result.Errors.Select(e => e.Path));
        Assert.Equal(result.Errors.OrderBy(e => e.Position).Select(e => e.Path), result.Errors.Select(e => e.Path));
    }

    [Fact]
    public void Limits_and_enumerations_in_messages_come_from_the_schema()
    {
        var result = Validator.Validate($$"""{"kind":"robot","name":"Acme","addresses":[{"role":"main","postalCode":"{{new string('1', 33)}}"}],"tags":[{{string.Join(",", Enumerable.Repeat("\"t\"", 501))}}]}""");

        Assert.Equal(
            [
                "$.kind: The value is not one of: company, person. (enum, line 1, position 9)",
                "$.addresses[0].postalCode: The text is longer than 32 characters. (maxLength, line 1, position 72)",
                "$.tags: The list has more than 500 items. (maxItems, line 1, position 117)",
            ],
            result.Errors.Select(e => e.ToString()));
    }

    [Fact]
    public void A_string_JsonSchema_Net_cannot_read_is_an_error_not_an_exception()
    {
        var error = Assert.Single(Validator.Validate("""{"kind":"company","name":"\ud800"}""").Errors);

        Assert.Equal(("$", SchemaRules.Json), (error.Path, error.Rule));
    }

    [Fact]
    public void Invalid_documents_are_reported_the_same_under_concurrency()
    {
        var valid = CanonicalJson.Serialize(SampleCustomers.Acme());
        string[] documents =
        [
            valid.Replace("\"EUR\"", "\"EURO\"", StringComparison.Ordinal),
            valid.Replace("\"company\"", "\"robot\"", StringComparison.Ordinal),
            """{"kind":"company","name":"","taxIds":[{"type":"vat"}],"extra":1}""",
            """{"kind":"company","name":"x","customAttributes":{"a":1,"b":2}}""",
            valid,
        ];
        var expected = documents.Select(d => Validator.Validate(d).ToString()).ToArray();

        var actual = new string[400];
        Parallel.For(0, actual.Length, new ParallelOptions { MaxDegreeOfParallelism = 8 }, i => actual[i] = Validator.Validate(documents[i % documents.Length]).ToString());

        Assert.All(Enumerable.Range(0, actual.Length), i => Assert.Equal(expected[i % documents.Length], actual[i]));
    }

    [Fact]
    public void A_schema_outside_the_compiled_subset_has_no_fast_path_and_says_why()
    {
        using var schema = JsonDocument.Parse("""{"$schema":"https://json-schema.org/draft/2020-12/schema","type":"object","anyOf":[{"required":["a"]},{"required":["b"]}]}""");

        Assert.False(CompiledSchema.TryCompile(schema.RootElement, out _, out var unsupported));
        Assert.Contains("'anyOf'", unsupported, StringComparison.Ordinal);
    }

    [Fact]
    public void Text_length_counts_text_elements_as_JsonSchema_Net_does()
    {
        Assert.Equal(1, CompiledSchema.TextElements("e\u0301"));
        Assert.Equal(1, CompiledSchema.TextElements("\r\n"));
        Assert.Equal(1, CompiledSchema.TextElements("🇩🇪"));
        Assert.Equal(3, CompiledSchema.TextElements("abc"));
        Assert.Equal(0, CompiledSchema.TextElements(string.Empty));
    }

    [Fact]
    public void The_same_document_as_text_and_as_bytes_gets_the_same_report()
    {
        var json = "{\"kind\":\"company\",\n\"name\":\"Ünïcødé ✓\",\"currency\":\"€\",\"extra\":1}";

        var fromText = Validator.Validate(json);

        Assert.Equal(fromText.Errors.ToArray(), Validator.Validate(Encoding.UTF8.GetBytes(json)).Errors.ToArray());
        Assert.Equal(2, fromText.Errors.Length);
    }
}
