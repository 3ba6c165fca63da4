using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Concord.Canonical.Errors;
using Concord.Canonical.Schema;
using Concord.Canonical.Serialization;
using Concord.Canonical.Tests.TestData;
using Xunit;

namespace Concord.Canonical.Tests.Schema;

public sealed class InvalidDocumentTests
{
    private static readonly ICustomerSchemaValidator Validator = CanonicalSchema.CreateValidator();

    // Each case: a mutation of the full sample document, the path and rule the validator must report.
    private static readonly Dictionary<string, (Action<JsonObject> Mutate, string Path, string Rule)> Cases = new()
    {
        ["missing name"] = (d => d.Remove("name"), "$.name", SchemaRules.Required),
        ["missing kind"] = (d => d.Remove("kind"), "$.kind", SchemaRules.Required),
        ["empty name"] = (d => d["name"] = string.Empty, "$.name", SchemaRules.MinLength),
        ["blank name"] = (d => d["name"] = "   ", "$.name", SchemaRules.Pattern),
        ["null name"] = (d => d["name"] = null, "$.name", SchemaRules.Type),
        ["number as name"] = (d => d["name"] = 42, "$.name", SchemaRules.Type),
        ["over-long name"] = (d => d["name"] = new string('n', 256), "$.name", SchemaRules.MaxLength),
        ["over-long notes"] = (d => d["notes"] = new string('x', 32001), "$.notes", SchemaRules.MaxLength),
        ["over-long tag"] = (d => d["tags"] = new JsonArray(new string('t', 101)), "$.tags[0]", SchemaRules.MaxLength),
        ["empty tag"] = (d => d["tags"] = new JsonArray(string.Empty), "$.tags[0]", SchemaRules.MinLength),
        ["unknown kind"] = (d => d["kind"] = "organisation", "$.kind", SchemaRules.Enum),
        ["enum in wrong case"] = (d => d["lifecycleStage"] = "Customer", "$.lifecycleStage", SchemaRules.Enum),
        ["unknown status"] = (d => d["status"] = "deleted", "$.status", SchemaRules.Enum),
        ["other schema version"] = (d => d["schemaVersion"] = "customer.v2", "$.schemaVersion", SchemaRules.Enum),
        ["unknown root property"] = (d => d["favouriteColour"] = "blue", "$.favouriteColour", SchemaRules.AdditionalProperties),
        ["unknown address property"] = (d => Address(d)["planet"] = "Mars", "$.addresses[0].planet", SchemaRules.AdditionalProperties),
        ["unknown contact email property"] = (d => d["contacts"]![0]!["emails"]![0]!.AsObject()["verified"] = true, "$.contacts[0].emails[0].verified", SchemaRules.AdditionalProperties),
        ["unknown provenance property"] = (d => d["provenance"]!.AsObject()["etag"] = "x", "$.provenance.etag", SchemaRules.AdditionalProperties),
        ["country that is not assigned"] = (d => Address(d)["country"] = "XX", "$.addresses[0].country", SchemaRules.Enum),
        ["country as a name"] = (d => Address(d)["country"] = "Germany", "$.addresses[0].country", SchemaRules.Enum),
        ["country in lower case"] = (d => Address(d)["country"] = "de", "$.addresses[0].country", SchemaRules.Enum),
        ["tax id country unknown"] = (d => d["taxIds"]![0]!["country"] = "EL", "$.taxIds[0].country", SchemaRules.Enum),
        ["currency unknown"] = (d => d["currency"] = "EURO", "$.currency", SchemaRules.Enum),
        ["currency in lower case"] = (d => d["currency"] = "eur", "$.currency", SchemaRules.Enum),
        ["region as a name"] = (d => Address(d)["region"] = "Berlin", "$.addresses[0].region", SchemaRules.Pattern),
        ["malformed email"] = (d => d["emails"]![0]!["address"] = "info-at-acme.de", "$.emails[0].address", SchemaRules.Pattern),
        ["email with a space"] = (d => d["contacts"]![0]!["emails"]![0]!["address"] = "ada lovelace@acme.de", "$.contacts[0].emails[0].address", SchemaRules.Pattern),
        ["bad E.164"] = (d => d["phones"]![0]!["e164"] = "0049301234567", "$.phones[0].e164", SchemaRules.Pattern),
        ["bad language"] = (d => d["language"] = "english please", "$.language", SchemaRules.Pattern),
        ["bad contact language"] = (d => d["contacts"]![0]!["language"] = "en_GB", "$.contacts[0].language", SchemaRules.Pattern),
        ["bad consent date"] = (d => d["consents"]![0]!["recordedAt"] = "yesterday", "$.consents[0].recordedAt", SchemaRules.Pattern),
        ["unknown consent status"] = (d => d["consents"]![0]!["status"] = "maybe", "$.consents[0].status", SchemaRules.Enum),
        ["unknown tax id type"] = (d => d["taxIds"]![0]!["type"] = "ssn", "$.taxIds[0].type", SchemaRules.Enum),
        ["tax id without country"] = (d => d["taxIds"]![0]!.AsObject().Remove("country"), "$.taxIds[0].country", SchemaRules.Required),
        ["phone without raw value"] = (d => d["phones"]![0]!.AsObject().Remove("raw"), "$.phones[0].raw", SchemaRules.Required),
        ["contact without name"] = (d => d["contacts"]![0]!.AsObject().Remove("name"), "$.contacts[0].name", SchemaRules.Required),
        ["external ref without id"] = (d => d["provenance"]!["externalRefs"]![0]!.AsObject().Remove("id"), "$.provenance.externalRefs[0].id", SchemaRules.Required),
        ["contacts as an object"] = (d => d["contacts"] = new JsonObject(), "$.contacts", SchemaRules.Type),
        ["address as a string"] = (d => d["addresses"] = new JsonArray("Berlin"), "$.addresses[0]", SchemaRules.Type),
        ["null collection"] = (d => d["emails"] = null, "$.emails", SchemaRules.Type),
        ["null optional value"] = (d => d["legalName"] = null, "$.legalName", SchemaRules.Type),
        ["boolean as website"] = (d => d["website"] = true, "$.website", SchemaRules.Type),
        ["custom attribute that is a number"] = (d => d["customAttributes"]!["employees"] = 250, "$.customAttributes.employees", SchemaRules.Type),
        ["too many custom attributes"] = (d => d["customAttributes"] = new JsonObject(Enumerable.Range(0, 201).Select(i => KeyValuePair.Create($"k{i}", (JsonNode?)"v"))), "$.customAttributes", SchemaRules.MaxProperties),
        ["too many contacts"] = (d => d["contacts"] = new JsonArray([.. Enumerable.Range(0, 1001).Select(i => (JsonNode?)new JsonObject { ["name"] = $"c{i}" })]), "$.contacts", SchemaRules.MaxItems),
        ["domain with a path"] = (d => d["domain"] = "acme.de/about", "$.domain", SchemaRules.Pattern),
    };

    public static TheoryData<string> CaseNames() => [.. Cases.Keys];

    private static JsonObject Address(JsonObject document) => document["addresses"]![0]!.AsObject();

    private static string Mutated(string name)
    {
        var document = JsonNode.Parse(CanonicalJson.Serialize(SampleCustomers.Acme()))!.AsObject();
        Cases[name].Mutate(document);
        return document.ToJsonString();
    }

    [Fact]
    public void There_are_at_least_thirty_invalid_documents() => Assert.True(Cases.Count >= 30);

    [Theory]
    [MemberData(nameof(CaseNames))]
    public void Invalid_document_is_rejected_with_its_path_and_rule(string name)
    {
        var (_, path, rule) = Cases[name];

        var result = Validator.Validate(Mutated(name));

        Assert.False(result.IsValid);
        Assert.Contains(result.Errors, e => e.Path == path && e.Rule == rule);
        Assert.All(result.Errors, e => Assert.False(string.IsNullOrWhiteSpace(e.Message)));
    }

    [Theory]
    [MemberData(nameof(CaseNames))]
    public void Invalid_document_is_reported_the_same_from_utf8(string name)
    {
        var json = Mutated(name);

        Assert.Equal(Validator.Validate(json).Errors.ToArray(), Validator.Validate(Encoding.UTF8.GetBytes(json)).Errors.ToArray());
    }

    [Theory]
    [MemberData(nameof(CaseNames))]
    public void DeserializeValid_throws_a_validation_ConcordException_naming_the_path(string name)
    {
        var (_, path, rule) = Cases[name];

        var error = Assert.Throws<ConcordException>(() => Validator.DeserializeValid(Mutated(name)));

        Assert.Equal(ErrorCategory.Validation, error.Category);
        Assert.Contains(error.FieldErrors, e => e.Field == path && e.Code == rule);
    }

    [Fact]
    public void Null_for_a_non_nullable_string_is_caught_by_the_schema_before_System_Text_Json_throws()
    {
        var json = """{"kind":"company","name":null}""";

        Assert.Throws<JsonException>(() => CanonicalJson.Deserialize(json));
        var error = Assert.Throws<ConcordException>(() => Validator.DeserializeValid(json));
        Assert.Equal("$.name", Assert.Single(error.FieldErrors).Field);
        Assert.Contains("null", error.FieldErrors[0].Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Every_problem_is_reported_not_only_the_first()
    {
        var result = Validator.Validate("""{"kind":"robot","name":"","currency":"EURO","addresses":[{"role":"main","country":"XX"}],"extra":1}""");

        Assert.Equal(
            ["$.addresses[0].country", "$.currency", "$.extra", "$.kind", "$.name"],
            result.Errors.Select(e => e.Path).Distinct().Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Errors_carry_the_line_and_position_of_the_value()
    {
        var result = Validator.Validate("{\n  \"kind\": \"company\",\n  \"name\": \"Acme\",\n  \"currency\": \"EURO\"\n}");

        var error = Assert.Single(result.Errors);
        Assert.Equal(4, error.Line);
        Assert.True(error.Position > 0);
    }

    [Fact]
    public void Messages_never_repeat_the_offending_value()
    {
        var result = Validator.Validate("""{"kind":"company","name":"Acme","emails":[{"address":"ada.lovelace-at-example.com"}],"phones":[{"raw":"x","e164":"+0301234"}]}""");

        Assert.Equal(2, result.Errors.Length);
        Assert.All(result.Errors, e =>
        {
            Assert.DoesNotContain("lovelace", e.Message, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain("0301234", e.Message, StringComparison.Ordinal);
        });
        Assert.Contains("email address", result.Errors[0].Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_long_enumeration_is_described_not_listed()
    {
        var error = Assert.Single(Validator.Validate("""{"kind":"company","name":"Acme","currency":"EURO"}""").Errors);

        Assert.Contains("ISO 4217", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("AED", error.Message, StringComparison.Ordinal);
    }
}
