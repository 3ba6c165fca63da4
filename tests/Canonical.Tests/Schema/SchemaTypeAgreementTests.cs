using System.Collections.Immutable;
using System.Reflection;
using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using Concord.Canonical.Schema;
using Xunit;

namespace Concord.Canonical.Tests.Schema;

/// <summary>The schema and the C# types describe the same contract: every property, required member and enum value on both sides.</summary>
public sealed class SchemaTypeAgreementTests
{
    private static readonly JsonObject Schema = JsonNode.Parse(CanonicalSchema.SchemaJson)!.AsObject();

    [Fact]
    public void Every_property_of_the_types_is_in_the_schema_and_vice_versa()
    {
        var problems = new List<string>();
        var visited = new HashSet<Type>();

        Compare(typeof(CanonicalCustomer), Schema, "$", problems, visited);

        Assert.Empty(problems);
        Assert.Equal(
            [typeof(CanonicalCustomer), typeof(ConsentRecord), typeof(Contact), typeof(EmailAddress), typeof(ExternalRef), typeof(PhoneNumber), typeof(PostalAddress), typeof(Provenance), typeof(TaxIdentifier)],
            visited.OrderBy(t => t.Name, StringComparer.Ordinal));
    }

    [Fact]
    public void The_walk_notices_a_property_the_schema_does_not_have()
    {
        var problems = new List<string>();
        var schema = Resolve(Schema["$defs"]!["emailAddress"]!).DeepClone().AsObject();
        schema["properties"]!.AsObject().Remove("use");

        Compare(typeof(EmailAddress), schema, "$.emails[]", problems, []);

        Assert.Contains(problems, p => p.Contains("'use'", StringComparison.Ordinal));
    }

    private static void Compare(Type type, JsonObject schema, string path, List<string> problems, HashSet<Type> visited)
    {
        if (!visited.Add(type))
        {
            return;
        }

        if (schema["additionalProperties"]?.GetValue<bool>() != false)
        {
            problems.Add($"{path}: additionalProperties is not false");
        }

        var properties = schema["properties"]!.AsObject();
        var members = type.GetProperties(BindingFlags.Public | BindingFlags.Instance).ToDictionary(p => JsonNamingPolicy.CamelCase.ConvertName(p.Name));
        foreach (var name in members.Keys.Except(properties.Select(p => p.Key)))
        {
            problems.Add($"{path}: C# property '{name}' is not in the schema");
        }

        foreach (var name in properties.Select(p => p.Key).Except(members.Keys))
        {
            problems.Add($"{path}: schema property '{name}' is not on {type.Name}");
        }

        var required = (schema["required"]?.AsArray().Select(n => n!.GetValue<string>()) ?? []).Order(StringComparer.Ordinal).ToArray();
        var requiredMembers = members.Where(m => IsRequired(type, m.Value)).Select(m => m.Key).Order(StringComparer.Ordinal).ToArray();
        if (!required.SequenceEqual(requiredMembers))
        {
            problems.Add($"{path}: schema requires [{string.Join(", ", required)}], C# requires [{string.Join(", ", requiredMembers)}]");
        }

        foreach (var (name, property) in members)
        {
            if (properties[name] is JsonObject propertySchema)
            {
                CompareValue(property.PropertyType, Resolve(propertySchema), $"{path}.{name}", problems, visited);
            }
        }
    }

    private static void CompareValue(Type type, JsonObject schema, string path, List<string> problems, HashSet<Type> visited)
    {
        type = Nullable.GetUnderlyingType(type) ?? type;
        var schemaType = schema["type"]?.GetValue<string>();
        if (type.IsGenericType && type.GetGenericTypeDefinition() == typeof(ImmutableArray<>))
        {
            Expect("array", schemaType, path, problems);
            if (schema["maxItems"] is null)
            {
                problems.Add($"{path}: array without maxItems");
            }

            CompareValue(type.GetGenericArguments()[0], Resolve(schema["items"]!.AsObject()), path + "[]", problems, visited);
        }
        else if (type == typeof(ImmutableSortedDictionary<string, string>))
        {
            Expect("object", schemaType, path, problems);
            CompareValue(typeof(string), Resolve(schema["additionalProperties"]!.AsObject()), path + ".*", problems, visited);
        }
        else if (type == typeof(string) || type == typeof(DateTimeOffset))
        {
            Expect("string", schemaType, path, problems);
            if (schema["maxLength"] is null && schema["enum"] is null)
            {
                problems.Add($"{path}: string without maxLength");
            }
        }
        else if (type.IsEnum)
        {
            Expect("string", schemaType, path, problems);
            var names = type.GetFields(BindingFlags.Public | BindingFlags.Static).Select(f => f.GetCustomAttribute<JsonStringEnumMemberNameAttribute>()!.Name).ToArray();
            var values = schema["enum"]!.AsArray().Select(n => n!.GetValue<string>()).ToArray();
            if (!names.SequenceEqual(values))
            {
                problems.Add($"{path}: enum [{string.Join(", ", values)}] differs from {type.Name} [{string.Join(", ", names)}]");
            }
        }
        else if (type.Namespace == typeof(CanonicalCustomer).Namespace && type.IsClass)
        {
            Expect("object", schemaType, path, problems);
            Compare(type, schema, path, problems, visited);
        }
        else
        {
            problems.Add($"{path}: C# type {type} has no schema mapping in this test");
        }
    }

    private static void Expect(string expected, string? actual, string path, List<string> problems)
    {
        if (expected != actual)
        {
            problems.Add($"{path}: schema type is '{actual}', C# needs '{expected}'");
        }
    }

    private static bool IsRequired(Type type, PropertyInfo property) =>
        property.GetCustomAttribute<RequiredMemberAttribute>() is not null
        || type.GetConstructors().Any(c => c.GetParameters().Length > 0 && c.GetParameters().Any(p => string.Equals(p.Name, property.Name, StringComparison.Ordinal)) && c.GetParameters().All(p => type.GetProperty(p.Name!) is not null));

    private static JsonObject Resolve(JsonNode node)
    {
        var schema = node.AsObject();
        while (schema["$ref"]?.GetValue<string>() is { } reference)
        {
            Assert.StartsWith("#/$defs/", reference, StringComparison.Ordinal);
            schema = Schema["$defs"]![reference["#/$defs/".Length..]]!.AsObject();
        }

        return schema;
    }
}
