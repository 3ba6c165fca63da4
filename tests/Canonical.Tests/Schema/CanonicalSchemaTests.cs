using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Concord.Canonical.Errors;
using Concord.Canonical.Normalization;
using Concord.Canonical.Schema;
using Concord.Canonical.Schema.Internal;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Xunit;

namespace Concord.Canonical.Tests.Schema;

public sealed class CanonicalSchemaTests
{
    private static readonly JsonObject Schema = JsonNode.Parse(CanonicalSchema.SchemaJson)!.AsObject();

    [Fact]
    public void The_embedded_schema_is_JSON_Schema_2020_12_with_the_published_id()
    {
        Assert.Equal("https://json-schema.org/draft/2020-12/schema", Schema["$schema"]!.GetValue<string>());
        Assert.Equal(CanonicalSchema.Id, Schema["$id"]!.GetValue<string>());
        Assert.Equal("customer.v1", CanonicalSchema.Version);
        Assert.Equal(CanonicalCustomer.CurrentSchemaVersion, Schema["properties"]!["schemaVersion"]!["enum"]![0]!.GetValue<string>());
    }

    [Fact]
    public void The_stream_and_the_text_hold_the_same_document()
    {
        using var stream = CanonicalSchema.OpenSchemaStream();
        using var reader = new StreamReader(stream);

        Assert.Equal(CanonicalSchema.SchemaJson, reader.ReadToEnd());
    }

    [Fact]
    public void Country_and_currency_enumerations_are_the_embedded_ISO_lists()
    {
        var countries = Schema["$defs"]!["countryCode"]!["enum"]!.AsArray().Select(n => n!.GetValue<string>());
        var currencies = Schema["$defs"]!["currencyCode"]!["enum"]!.AsArray().Select(n => n!.GetValue<string>());

        Assert.Equal(IsoCodes.CountryCodes.Order(StringComparer.Ordinal), countries);
        Assert.Equal(IsoCodes.CurrencyCodes.Order(StringComparer.Ordinal), currencies);
    }

    [Fact]
    public void Every_object_is_closed_every_string_bounded_every_array_bounded_and_every_pattern_explained()
    {
        var problems = new List<string>();
        Walk(Schema, "#", problems);

        Assert.Empty(problems);
    }

    [Fact]
    public void Every_pattern_compiles_and_means_what_its_message_says()
    {
        var patterns = ValidationErrorTranslator.KnownPatterns.Keys.ToDictionary(p => p, p => new Regex(p, RegexOptions.None, TimeSpan.FromSeconds(1)));

        Assert.Matches(patterns[@"^\+[1-9][0-9]{1,14}$"], "+4930123456");
        Assert.DoesNotMatch(patterns[@"^\+[1-9][0-9]{1,14}$"], "+04930123456");
        Assert.Matches(patterns[@"^[A-Z]{2}-[A-Z0-9]{1,3}$"], "US-CA");
        Assert.DoesNotMatch(patterns[@"^[A-Z]{2}-[A-Z0-9]{1,3}$"], "USA-CA");
    }

    [Fact]
    public void The_shipped_schema_compiles_for_the_fast_path()
    {
        Assert.Null(JsonSchemaNetCustomerValidator.WhyNoFastPath);
        Assert.True(JsonSchemaNetCustomerValidator.HasFastPath);
    }

    [Fact]
    public void AddConcord_registers_the_validator_as_a_singleton()
    {
        using var provider = new ServiceCollection().AddConcord().Services.BuildServiceProvider();

        var validator = provider.GetRequiredService<ICustomerSchemaValidator>();

        Assert.Same(validator, provider.GetRequiredService<ICustomerSchemaValidator>());
        Assert.False(validator.Validate("{}").IsValid);
    }

    [Fact]
    public void Out_of_range_validator_options_fail_with_a_message_naming_the_option()
    {
        var services = new ServiceCollection();
        services.AddConcord();
        services.Configure<CustomerSchemaValidatorOptions>(o => o.MaxDepth = 1000);
        using var provider = services.BuildServiceProvider();

        var error = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IOptions<CustomerSchemaValidatorOptions>>().Value);

        Assert.Contains("CustomerSchemaValidatorOptions.MaxDepth", error.Message, StringComparison.Ordinal);
        var direct = Assert.Throws<ConcordException>(() => CanonicalSchema.CreateValidator(new CustomerSchemaValidatorOptions { MaxDocumentBytes = 10 }));
        Assert.Equal(ErrorCategory.Configuration, direct.Category);
        Assert.Contains("MaxDocumentBytes", direct.Message, StringComparison.Ordinal);
    }

    private static void Walk(JsonNode? node, string path, List<string> problems)
    {
        if (node is JsonArray array)
        {
            for (var i = 0; i < array.Count; i++)
            {
                Walk(array[i], $"{path}/{i}", problems);
            }

            return;
        }

        if (node is not JsonObject schema)
        {
            return;
        }

        var type = schema["type"] is JsonValue value && value.TryGetValue<string>(out var t) ? t : null;
        if (type == "object" && schema["additionalProperties"] is null)
        {
            problems.Add($"{path}: object without additionalProperties");
        }

        if (type == "object" && schema["properties"] is null && schema["additionalProperties"] is JsonValue)
        {
            problems.Add($"{path}: closed object without properties");
        }

        if (type == "string" && schema["maxLength"] is null && schema["enum"] is null)
        {
            problems.Add($"{path}: string without maxLength");
        }

        if (type == "array" && schema["maxItems"] is null)
        {
            problems.Add($"{path}: array without maxItems");
        }

        if (schema["pattern"] is JsonValue pattern && !ValidationErrorTranslator.KnownPatterns.ContainsKey(pattern.GetValue<string>()))
        {
            problems.Add($"{path}: pattern {pattern} has no readable message");
        }

        foreach (var keyword in new[] { "const", "prefixItems", "unevaluatedProperties", "propertyNames", "dependentRequired", "format" })
        {
            if (schema.ContainsKey(keyword) && !path.EndsWith("/properties", StringComparison.Ordinal))
            {
                problems.Add($"{path}: '{keyword}' is not enforced by NJsonSchema 11");
            }
        }

        foreach (var (key, child) in schema)
        {
            if (key is "enum" or "required")
            {
                continue;
            }

            Walk(child, $"{path}/{key}", problems);
        }
    }
}
