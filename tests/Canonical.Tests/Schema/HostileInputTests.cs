using System.Text;
using Concord.Canonical.Schema;
using Concord.Canonical.Serialization;
using Concord.Canonical.Tests.TestData;
using Xunit;

namespace Concord.Canonical.Tests.Schema;

public sealed class HostileInputTests
{
    private static readonly ICustomerSchemaValidator Validator = CanonicalSchema.CreateValidator();

    [Fact]
    public void Ten_thousand_levels_of_nesting_are_one_depth_error()
    {
        var json = """{"kind":"company","name":"x","notes":""" + new string('[', 10_000) + new string(']', 10_000) + "}";

        var error = Assert.Single(Validator.Validate(json).Errors);

        Assert.Equal(("$", SchemaRules.MaxDepth), (error.Path, error.Rule));
        Assert.Contains("16 levels", error.Message, StringComparison.Ordinal);
        Assert.Equal(error, Assert.Single(Validator.Validate(Encoding.UTF8.GetBytes(json)).Errors));
    }

    [Fact]
    public void Nesting_within_the_limit_reaches_the_schema()
    {
        var json = """{"kind":"company","name":"x","notes":""" + new string('[', 10) + new string(']', 10) + "}";

        var error = Assert.Single(Validator.Validate(json).Errors);

        Assert.Equal(("$.notes", SchemaRules.Type), (error.Path, error.Rule));
    }

    [Fact]
    public void A_ten_megabyte_document_is_one_size_error_before_parsing()
    {
        var json = """{"kind":"company","name":"x","notes":" """ + new string('x', 10 * 1024 * 1024) + "\"}";

        var error = Assert.Single(Validator.Validate(json).Errors);

        Assert.Equal(("$", SchemaRules.MaxDocumentSize), (error.Path, error.Rule));
        Assert.Contains("above the limit of 1048576 bytes", error.Message, StringComparison.Ordinal);
        var fromBytes = Assert.Single(Validator.Validate(Encoding.UTF8.GetBytes(json)).Errors);
        Assert.Contains($"{Encoding.UTF8.GetByteCount(json)} bytes", fromBytes.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Size_is_counted_in_UTF8_bytes_not_characters()
    {
        var validator = CanonicalSchema.CreateValidator(new CustomerSchemaValidatorOptions { MaxDocumentBytes = 2048 });
        var json = """{"kind":"company","name":"x","notes":" """ + new string('€', 1000) + "\"}"; // 1,000 chars, 3,000 bytes

        var error = Assert.Single(validator.Validate(json).Errors);

        Assert.Equal(SchemaRules.MaxDocumentSize, error.Rule);
        Assert.Contains($"is {Encoding.UTF8.GetByteCount(json)} bytes", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("", 1, 1)]
    [InlineData("{", 1, 2)]
    [InlineData("{\"kind\":\"company\",\n\"name\":\"x\",}", 2, 12)]
    [InlineData("{\"kind\":\"company\" \"name\":\"x\"}", 1, 19)]
    [InlineData("{\"kind\":'company',\"name\":\"x\"}", 1, 9)]
    [InlineData("{\"kind\":\"company\",\"name\":\"x\"} trailing", 1, 31)]
    [InlineData("{\"kind\":\"company\",/* comment */\"name\":\"x\"}", 1, 19)]
    [InlineData("{\"kind\":\"company\",\"name\":\"unterminated}", 1, 40)]
    public void Malformed_json_is_an_error_with_line_and_position(string json, int line, int position)
    {
        var error = Assert.Single(Validator.Validate(json).Errors);

        Assert.Equal(("$", SchemaRules.Json), (error.Path, error.Rule));
        Assert.Equal(line, error.Line);
        Assert.Equal(position, error.Position);
        Assert.Contains($"line {line}", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_duplicate_property_is_refused_rather_than_silently_resolved()
    {
        var error = Assert.Single(Validator.Validate("""{"kind":"company","name":"Acme","name":"Evil"}""").Errors);

        Assert.Equal(("$", SchemaRules.Json), (error.Path, error.Rule));
        Assert.Equal(1, error.Line);
    }

    [Theory]
    [InlineData("null")]
    [InlineData("[]")]
    [InlineData("42")]
    [InlineData("\"customer\"")]
    public void A_root_that_is_not_an_object_is_a_type_error(string json)
    {
        var error = Assert.Single(Validator.Validate(json).Errors);

        Assert.Equal(("$", SchemaRules.Type), (error.Path, error.Rule));
    }

    [Fact]
    public void Invalid_UTF8_bytes_are_an_error_not_an_exception()
    {
        byte[] bytes = [.. "{\"kind\":\"company\",\"name\":\""u8, 0xC3, 0x28, .. "\"}"u8];

        var result = Validator.Validate(bytes);

        Assert.False(result.IsValid);
        Assert.Equal(SchemaRules.Json, Assert.Single(result.Errors).Rule);
    }

    [Fact]
    public void Huge_numbers_and_odd_tokens_never_throw()
    {
        string[] documents =
        [
            """{"kind":"company","name":1e400}""",
            """{"kind":"company","name":-0.0000000000000000000000000000000000001}""",
            """{"kind":"company","name":"\ud800"}""",
            """{"kind":"company","name":"x","customAttributes":{"":"empty key"}}""",
            "{\"kind\":\"company\",\"name\":\"x\u0000\"}",
        ];

        foreach (var json in documents)
        {
            _ = Validator.Validate(json);
            _ = Validator.Validate(Encoding.UTF8.GetBytes(json));
        }
    }

    [Fact]
    public void Validation_is_thread_safe()
    {
        var valid = CanonicalJson.Serialize(SampleCustomers.Acme());
        var invalid = valid.Replace("\"EUR\"", "\"EURO\"", StringComparison.Ordinal);

        var results = new bool[64];
        Parallel.For(0, results.Length, i => results[i] = Validator.Validate(i % 2 == 0 ? valid : invalid).IsValid);

        Assert.All(results.Select((ok, i) => (ok, i)), r => Assert.Equal(r.i % 2 == 0, r.ok));
    }
}
