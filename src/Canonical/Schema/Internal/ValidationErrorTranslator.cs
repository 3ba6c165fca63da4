using System.Globalization;
using System.Text.Json;
using Json.Pointer;
using Json.Schema;

namespace Concord.Canonical.Schema.Internal;

/// <summary>
/// Turns JsonSchema.Net results into <see cref="SchemaValidationError"/>s: one per failed keyword and instance location
/// (one per missing property for <c>required</c>), JSON Pointers (<c>/a/0/b</c>) rewritten as <c>$.a[0].b</c>, the
/// failed keyword named, a message that never repeats the offending value (it may be personal data), the line and
/// position of the value, in document order.
/// </summary>
/// <remarks>
/// JsonSchema.Net's own messages are not used (they are English text that may quote the value); the keyword values a
/// message needs (the limit, the enumeration, the pattern, the required names) come from <see cref="CompiledSchema"/>,
/// which maps each instance location to its schema object.
/// </remarks>
internal static class ValidationErrorTranslator
{
    private const int MaxEnumValuesInMessage = 12;
    private const int MaxNameInMessage = 64;

    // What each pattern of customer.v1.schema.json means, in words (a schema test checks every pattern is listed).
    internal static readonly IReadOnlyDictionary<string, string> KnownPatterns = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        [@"^[^@\s]+@[^@\s]+\.[^@\s]+$"] = "an email address (name@example.com)",
        [@"^\+[1-9][0-9]{1,14}$"] = "an E.164 phone number (+4930123456)",
        [@"^[A-Z]{2}-[A-Z0-9]{1,3}$"] = "an ISO 3166-2 subdivision code in upper case (DE-BE, US-CA)",
        [@"^(x|[A-Za-z]{2,8})(-[A-Za-z0-9]{1,8})*$"] = "a BCP 47 language tag (en-US)",
        [@"^[0-9]{4}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])T([01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9](\.[0-9]{1,7})?(Z|[+-]((0[0-9]|1[0-3]):[0-5][0-9]|14:00))$"] = "an RFC 3339 date and time with an offset (2025-01-31T09:30:00Z)",
        [@"\S"] = "text with at least one non-blank character",
        [@"^[^\s/:@]+$"] = "a bare domain name (example.com)",
    };

    /// <summary>Translates the results of an evaluation in the hierarchical (or list) output format.</summary>
    /// <param name="results">The results.</param>
    /// <param name="instance">The evaluated document.</param>
    /// <param name="schema">The compiled schema, for keyword values; null for generic messages.</param>
    /// <param name="utf8Json">The document's text, for lines and positions.</param>
    /// <param name="maxDepth">The nesting the document is known to stay within.</param>
    /// <returns>The errors, in document order.</returns>
    public static List<SchemaValidationError> Translate(EvaluationResults results, JsonElement instance, CompiledSchema? schema, ReadOnlySpan<byte> utf8Json, int maxDepth)
    {
        var errors = new List<(SchemaValidationError Error, string Location)>();
        var seen = new HashSet<(string Path, string Rule)>();
        Collect(results, instance, schema, errors, seen);

        var offsets = JsonLocations.FindValues(utf8Json, errors.Select(static e => e.Location).ToHashSet(StringComparer.Ordinal), maxDepth);
        var output = new List<(SchemaValidationError Error, long Offset)>(errors.Count);
        foreach (var (error, location) in errors)
        {
            if (offsets.TryGetValue(location, out var offset))
            {
                var (line, position) = JsonLocations.LineAndPosition(utf8Json, offset);
                output.Add((error with { Line = line, Position = position }, offset));
            }
            else
            {
                output.Add((error, long.MaxValue));
            }
        }

        // Document order; at one value, the order in which the keywords were evaluated (a stable sort).
        return [.. output.OrderBy(static e => e.Offset).Select(static e => e.Error)];
    }

    private static void Collect(EvaluationResults node, JsonElement instance, CompiledSchema? schema, List<(SchemaValidationError, string)> output, HashSet<(string, string)> seen)
    {
        if (node.Errors is { Count: > 0 } failures)
        {
            var segments = Segments(node.InstanceLocation);
            var location = JsonLocations.Key(segments);
            var path = CanonicalPath(instance, segments);
            var located = schema?.Locate(instance, segments);
            var value = located?.Value ?? ValueAt(instance, segments);
            foreach (var keyword in failures.Keys)
            {
                foreach (var error in Translate(keyword, node.EvaluationPath, path, segments, located?.Node, value))
                {
                    if (seen.Add((error.Path, error.Rule)))
                    {
                        output.Add((error, location));
                    }
                }
            }
        }

        if (node.Details is { } details)
        {
            foreach (var child in details)
            {
                Collect(child, instance, schema, output, seen);
            }
        }
    }

    private static IEnumerable<SchemaValidationError> Translate(string keyword, JsonPointer evaluationPath, string path, List<string> segments, CompiledSchema.Node? node, JsonElement? value)
    {
        switch (keyword)
        {
            case "required":
                var missing = node?.Required.Where(name => value is { ValueKind: JsonValueKind.Object } o && !o.TryGetProperty(name, out _)).ToList();
                if (missing is null or { Count: 0 })
                {
                    yield return new SchemaValidationError(path, SchemaRules.Required, "A required property is missing.");
                    yield break;
                }

                foreach (var name in missing)
                {
                    yield return new SchemaValidationError(path + "." + name, SchemaRules.Required, $"The required property '{Shorten(name)}' is missing.");
                }

                yield break;

            // The schema "false": under additionalProperties, a property the contract does not have.
            case "" when LastSegment(evaluationPath) == "additionalProperties" && segments.Count > 0:
                yield return new SchemaValidationError(path, SchemaRules.AdditionalProperties, $"The property '{Shorten(segments[^1])}' is not part of {CanonicalSchema.Version}.");
                yield break;
            case "":
                yield return new SchemaValidationError(path, "false", "No value is allowed here.");
                yield break;
            case "type":
                yield return new SchemaValidationError(path, SchemaRules.Type, TypeMessage(node, value));
                yield break;
            case "enum":
                yield return new SchemaValidationError(path, SchemaRules.Enum, EnumMessage(node));
                yield break;
            case "pattern":
                yield return new SchemaValidationError(path, SchemaRules.Pattern, PatternMessage(node));
                yield break;
            case "maxLength":
                yield return new SchemaValidationError(path, SchemaRules.MaxLength, node is null ? "The text is too long." : Invariant($"The text is longer than {node.MaxLength} characters."));
                yield break;
            case "minLength":
                yield return new SchemaValidationError(path, SchemaRules.MinLength, node is null or { MinLength: 1 } ? "The text is empty." : Invariant($"The text is shorter than {node.MinLength} characters."));
                yield break;
            case "maxItems":
                yield return new SchemaValidationError(path, SchemaRules.MaxItems, node is null ? "The list has too many items." : Invariant($"The list has more than {node.MaxItems} items."));
                yield break;
            case "maxProperties":
                yield return new SchemaValidationError(path, SchemaRules.MaxProperties, node is null ? "The object has too many properties." : Invariant($"The object has more than {node.MaxProperties} properties."));
                yield break;
            default:
                yield return new SchemaValidationError(path, keyword, $"The value violates the schema ({keyword}).");
                yield break;
        }
    }

    /// <summary>The decoded segments of a JSON Pointer (<c>~1</c> is <c>/</c>, <c>~0</c> is <c>~</c>).</summary>
    /// <param name="pointer">The pointer.</param>
    /// <returns>The segments.</returns>
    internal static List<string> Segments(JsonPointer pointer)
    {
        var segments = new List<string>(pointer.SegmentCount);
        for (var i = 0; i < pointer.SegmentCount; i++)
        {
            segments.Add(JsonLocations.Decode(pointer[i].ToString()));
        }

        return segments;
    }

    /// <summary>The canonical path of a location: <c>$</c>, then <c>.name</c> in an object and <c>[i]</c> in an array.</summary>
    /// <param name="instance">The document.</param>
    /// <param name="segments">The decoded segments.</param>
    /// <returns>The path.</returns>
    internal static string CanonicalPath(JsonElement instance, List<string> segments)
    {
        var path = new System.Text.StringBuilder("$");
        JsonElement? current = instance;
        foreach (var segment in segments)
        {
            if (current is { ValueKind: JsonValueKind.Array } array)
            {
                path.Append('[').Append(segment).Append(']');
                current = int.TryParse(segment, NumberStyles.None, CultureInfo.InvariantCulture, out var index) && index < array.GetArrayLength() ? array[index] : null;
            }
            else
            {
                path.Append('.').Append(segment);
                current = current is { ValueKind: JsonValueKind.Object } o && o.TryGetProperty(segment, out var property) ? property : null;
            }
        }

        return path.ToString();
    }

    private static JsonElement? ValueAt(JsonElement instance, List<string> segments)
    {
        var current = instance;
        foreach (var segment in segments)
        {
            if (current.ValueKind == JsonValueKind.Object && current.TryGetProperty(segment, out var property))
            {
                current = property;
            }
            else if (current.ValueKind == JsonValueKind.Array && int.TryParse(segment, NumberStyles.None, CultureInfo.InvariantCulture, out var index) && index < current.GetArrayLength())
            {
                current = current[index];
            }
            else
            {
                return null;
            }
        }

        return current;
    }

    private static string? LastSegment(JsonPointer pointer) => pointer.SegmentCount == 0 ? null : pointer[pointer.SegmentCount - 1].ToString();

    private static string TypeMessage(CompiledSchema.Node? node, JsonElement? value)
    {
        var expected = node is null || node.Types == CompiledSchema.JsonTypes.None
            ? "another type"
            : string.Join(" or ", Enum.GetValues<CompiledSchema.JsonTypes>().Where(t => t != CompiledSchema.JsonTypes.None && node.Types.HasFlag(t)).Select(static t => t switch
            {
                CompiledSchema.JsonTypes.String => "a string",
                CompiledSchema.JsonTypes.Object => "an object",
                CompiledSchema.JsonTypes.Array => "an array",
                CompiledSchema.JsonTypes.Number => "a number",
                CompiledSchema.JsonTypes.Boolean => "true or false",
                _ => "null",
            }));

        return value is { ValueKind: JsonValueKind.Null }
            ? $"The value is null; {expected} is expected (omit an absent value: null is never valid)."
            : $"The value has the wrong type; {expected} is expected.";
    }

    private static string EnumMessage(CompiledSchema.Node? node)
    {
        if (node?.Enum is not { Length: > 0 } values)
        {
            return "The value is not one of the allowed values.";
        }

        return values.Length <= MaxEnumValuesInMessage
            ? $"The value is not one of: {string.Join(", ", values)}."
            : $"The value is not an allowed value: {node.Description ?? "see the schema"}";
    }

    private static string PatternMessage(CompiledSchema.Node? node)
    {
        var pattern = node?.Pattern?.ToString();
        if (pattern is null)
        {
            return "The value does not have the expected form.";
        }

        return KnownPatterns.TryGetValue(pattern, out var form)
            ? $"The value is not {form}."
            : $"The value does not match the pattern {pattern}.";
    }

    private static string Shorten(string name) =>
        name.Length <= MaxNameInMessage ? name : string.Concat(name.AsSpan(0, MaxNameInMessage), "...");

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
