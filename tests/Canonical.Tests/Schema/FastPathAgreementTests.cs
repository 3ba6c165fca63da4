using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Concord.Canonical.Schema;
using Concord.Canonical.Schema.Internal;
using Concord.Canonical.Serialization;
using Concord.Canonical.Tests.TestData;
using FsCheck;
using FsCheck.Fluent;
using Json.Schema;
using Xunit;

namespace Concord.Canonical.Tests.Schema;

/// <summary>
/// The allocation-free fast path answers "valid" exactly for the documents that pass the preflight (syntax, depth,
/// duplicate names) and JsonSchema.Net. Checked on the valid samples, on targeted edge cases and on generated mutations.
/// </summary>
public sealed class FastPathAgreementTests
{
    private const int MaxDepth = 16;

    private static readonly CompiledSchema Compiled = Compile();
    private static readonly Json.Schema.JsonSchema Reference =
        Json.Schema.JsonSchema.FromText(CanonicalSchema.SchemaJson, new BuildOptions { SchemaRegistry = new SchemaRegistry() });

    private static readonly Config Config = Config.QuickThrowOnFailure.WithMaxTest(1500).WithQuietOnSuccess(true);

    // Characters that matter to the schema: blanks (ASCII and not), combining marks, CR LF, surrogate pairs, the
    // characters of emails, phone numbers, dates and tags, letters in both cases.
    private static readonly string[] Pieces =
    [
        "a", "Z", "e", "\u0301", "é", "ß", "東", "😀", "🇩🇪", " ", "\t", "\u00a0", "\u2003", "\r\n", "\n", "\r", "@", ".", "+", "-", "_", ":", "/",
        "0", "1", "9", "٣", "T", "x", "DE", "de", "EUR", "company", "person", "\"", "\\", "\u0000", "2025-01-31", "T09:30:00", "Z", "+01:00",
    ];

    public static TheoryData<string> EdgeCases() =>
    [
        """{"kind":"company","name":"\u00a0"}""",
        """{"kind":"company","name":"\u2003x"}""",
        """{"kind":"company","name":"\t"}""",
        """{"kind":"company","name":"x","domain":"a\u00a0b"}""",
        """{"kind":"company","name":"x","addresses":[{"role":"main","postalCode":"e\u0301e\u0301e\u0301e\u0301e\u0301e\u0301e\u0301e\u0301e\u0301e\u0301e\u0301e\u0301e\u0301e\u0301e\u0301e\u0301e\u0301e\u0301e\u0301e\u0301e\u0301e\u0301e\u0301e\u0301e\u0301e\u0301e\u0301e\u0301e\u0301e\u0301e\u0301e\u0301"}]}""",
        """{"kind":"company","name":"x","addresses":[{"role":"main","postalCode":"e\u0301e\u0301e\u0301e\u0301e\u0301e\u0301e\u0301e\u0301e\u0301e\u0301e\u0301e\u0301e\u0301e\u0301e\u0301e\u0301e\u0301e\u0301e\u0301e\u0301e\u0301e\u0301e\u0301e\u0301e\u0301e\u0301e\u0301e\u0301e\u0301e\u0301e\u0301e\u0301x"}]}""",
        """{"kind":"company","name":"x","tags":["\r\n"]}""",
        """{"kind":"company","name":"x","phones":[{"raw":"x","e164":"+\u0663\u0663\u0663"}]}""",
        """{"kind":"company","name":"x","currency":"\u0045UR"}""",
        """{"kind":"company","name":"x","currency":"EUR\u0000"}""",
        """{"\u006bind":"company","name":"x"}""",
        """{"kind":"company","name":"x","customAttributes":{"a":"1","b":"2"}}""",
        """{"kind":"company","name":"x","customAttributes":{"a":"1","a":"2"}}""",
        """{"kind":"company","name":"x","customAttributes":{"a":"1","\u0061":"2"}}""",
        """{"kind":"company","name":"x","customAttributes":{"\u0061":"1","\u0062":"2"}}""",
        """{"kind":"company","name":"x","customAttributes":{"a/b~c":"1"}}""",
        """{"kind":"company","name":"x","contacts":[{"name":"a","name":"b"}]}""",
        """{"kind":"company","name":"x","consents":[{"channel":"post","status":"unknown","recordedAt":"2025-01-31T09:30:00.12345678Z"}]}""",
        """{"kind":"company","name":"x","language":"en-US\n"}""",
        """{"kind":"company","name":"x","emails":[{"address":"a@b.c\n"}]}""",
        """{"kind":"company","name":"x","notes":[[[[[[[[[[[[[[[[]]]]]]]]]]]]]]]]}""",
        """{"kind":"company","name":"x","tags":[]}""",
        """{"kind":"company","name":1e400}""",
        """{"kind":"company","name":"x","status":null}""",
        """{"kind":"company","name":"x"} """,
        """ {"kind":"company","name":"x"}""",
        """{"kind":"company","name":"x"}{}""",
        """{"kind":"company","name":"x",}""",
        """[{"kind":"company","name":"x"}]""",
        """{"kind":"company","name":"x","provenance":{}}""",
        """{"kind":"company","name":"x","provenance":{"externalRefs":[{"system":"s","id":"1","id":"2"}]}}""",
    ];

    [Fact]
    public void Every_valid_sample_is_accepted_by_the_fast_path()
    {
        foreach (var (name, customer) in ValidCustomers.All())
        {
            Assert.True(Compiled.IsValid(CanonicalJson.SerializeToUtf8Bytes(customer), MaxDepth), name);
        }
    }

    [Theory]
    [MemberData(nameof(EdgeCases))]
    public void Edge_cases_get_the_reference_verdict(string json) => AssertAgrees(Encoding.UTF8.GetBytes(json));

    [Fact]
    public void Generated_string_values_get_the_reference_verdict()
    {
        var documents =
            from document in Gen.Elements(Documents())
            from location in Gen.Choose(0, 10_000)
            from pieces in Gen.ArrayOf(Gen.Elements(Pieces))
            select Replace(document, location, JsonValue.Create(string.Concat(pieces)));

        Check.One(Config, Prop.ForAll(documents.ToArbitrary(), bytes => AssertAgrees(bytes)));
    }

    [Fact]
    public void Generated_long_strings_get_the_reference_verdict()
    {
        var documents =
            from document in Gen.Elements(Documents())
            from location in Gen.Choose(0, 10_000)
            from piece in Gen.Elements(Pieces)
            from length in Gen.Choose(0, 300)
            select Replace(document, location, JsonValue.Create(string.Concat(Enumerable.Repeat(piece, length))));

        Check.One(Config, Prop.ForAll(documents.ToArbitrary(), bytes => AssertAgrees(bytes)));
    }

    [Fact]
    public void Generated_structural_changes_get_the_reference_verdict()
    {
        JsonNode?[] replacements = [null, 0, 1.5, true, false, "", "x", new JsonObject(), new JsonArray(), new JsonArray("x"), new JsonObject { ["name"] = "x" }];
        var documents =
            from document in Gen.Elements(Documents())
            from location in Gen.Choose(0, 10_000)
            from change in Gen.Choose(0, replacements.Length + 2)
            select change switch
            {
                _ when change < replacements.Length => Replace(document, location, replacements[change]?.DeepClone()),
                _ when change == replacements.Length => Remove(document, location),
                _ when change == replacements.Length + 1 => AddProperty(document, location, "extra"),
                _ => Duplicate(document, location),
            };

        Check.One(Config, Prop.ForAll(documents.ToArbitrary(), bytes => AssertAgrees(bytes)));
    }

    [Fact]
    public void Generated_byte_corruptions_get_the_reference_verdict()
    {
        var valid = CanonicalJson.SerializeToUtf8Bytes(SampleCustomers.Acme());
        var documents =
            from position in Gen.Choose(0, valid.Length - 1)
            from value in Gen.Elements((byte)'"', (byte)'\\', (byte)'{', (byte)'}', (byte)'[', (byte)']', (byte)',', (byte)':', (byte)' ', (byte)'a', (byte)'0', (byte)'n', (byte)'\n')
            select Corrupt(valid, position, value);

        Check.One(Config, Prop.ForAll(documents.ToArbitrary(), bytes => AssertAgrees(bytes)));
    }

    private static bool AssertAgrees(byte[] utf8)
    {
        if (!System.Text.Unicode.Utf8.IsValid(utf8))
        {
            return true; // the validator refuses these before either path
        }

        var fast = Compiled.IsValid(utf8, MaxDepth);
        var reference = ReferenceVerdict(utf8);
        if (fast && !reference)
        {
            Assert.Fail($"The fast path accepts a document the reference refuses: {Encoding.UTF8.GetString(utf8)}");
        }

        if (!fast && reference)
        {
            Assert.Fail($"The fast path refuses a document the reference accepts: {Encoding.UTF8.GetString(utf8)}");
        }

        return true;
    }

    private static bool ReferenceVerdict(byte[] utf8)
    {
        if (JsonPreflight.Check(utf8, MaxDepth) is not null)
        {
            return false;
        }

        using var document = JsonDocument.Parse(utf8);
        try
        {
            return Reference.Evaluate(document.RootElement, new EvaluationOptions { OutputFormat = OutputFormat.Flag }).IsValid;
        }
        catch (InvalidOperationException)
        {
            return false; // a string JsonSchema.Net cannot read: the validator reports it as an error
        }
    }

    private static string[] Documents() =>
    [
        .. ValidCustomers.All().Select(c => CanonicalJson.Serialize(c.Customer)),
        CanonicalJson.Serialize(SampleCustomers.Acme()),
    ];

    // Every value location of the document, in document order (the root first).
    private static List<JsonNode> Locations(JsonNode root)
    {
        var locations = new List<JsonNode>();
        void Walk(JsonNode? node)
        {
            if (node is null)
            {
                return;
            }

            locations.Add(node);
            switch (node)
            {
                case JsonObject o:
                    foreach (var (_, child) in o.ToList())
                    {
                        Walk(child);
                    }

                    break;
                case JsonArray a:
                    foreach (var child in a.ToList())
                    {
                        Walk(child);
                    }

                    break;
            }
        }

        Walk(root);
        return locations;
    }

    private static byte[] Replace(string json, int location, JsonNode? replacement)
    {
        var root = JsonNode.Parse(json)!;
        var locations = Locations(root);
        var target = locations[location % locations.Count];
        if (target.Parent is null)
        {
            return Encoding.UTF8.GetBytes(replacement?.ToJsonString() ?? "null");
        }

        target.ReplaceWith(replacement);
        return Encoding.UTF8.GetBytes(root.ToJsonString());
    }

    private static byte[] Remove(string json, int location)
    {
        var root = JsonNode.Parse(json)!;
        var locations = Locations(root);
        var target = locations[location % locations.Count];
        switch (target.Parent)
        {
            case JsonObject o:
                o.Remove(target.GetPropertyName());
                break;
            case JsonArray a:
                a.Remove(target);
                break;
        }

        return Encoding.UTF8.GetBytes(root.ToJsonString());
    }

    private static byte[] AddProperty(string json, int location, string name)
    {
        var root = JsonNode.Parse(json)!;
        var objects = Locations(root).OfType<JsonObject>().ToList();
        objects[location % objects.Count][name] = "x";
        return Encoding.UTF8.GetBytes(root.ToJsonString());
    }

    // Writes one property of an object twice (a text edit: JsonObject cannot hold a duplicate).
    private static byte[] Duplicate(string json, int location)
    {
        var root = JsonNode.Parse(json)!;
        var properties = Locations(root).Where(n => n.Parent is JsonObject).ToList();
        var target = properties[location % properties.Count];
        var member = $"\"{target.GetPropertyName()}\":{target.ToJsonString()}";
        var text = root.ToJsonString();
        var at = text.IndexOf(member, StringComparison.Ordinal);
        return Encoding.UTF8.GetBytes(at < 0 ? text : text.Insert(at, member + ","));
    }

    private static byte[] Corrupt(byte[] valid, int position, byte value)
    {
        var bytes = valid.ToArray();
        bytes[position] = value;
        return bytes;
    }

    private static CompiledSchema Compile()
    {
        using var document = JsonDocument.Parse(CanonicalSchema.SchemaJson);
        Assert.True(CompiledSchema.TryCompile(document.RootElement, out var compiled, out var unsupported), unsupported);
        return compiled;
    }
}
