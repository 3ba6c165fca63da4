using System.Globalization;
using Newtonsoft.Json.Linq;
using NJsonSchema;
using NJsonSchema.Validation;

namespace Concord.Canonical.Schema.Internal;

/// <summary>
/// Turns NJsonSchema errors into <see cref="SchemaValidationError"/>s: nested errors flattened to their leaves,
/// <c>#/a[0].b</c> paths rewritten as <c>$.a[0].b</c>, the failed keyword named, and a message that never
/// repeats the offending value (it may be personal data).
/// </summary>
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
        [@"^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(\.[0-9]{1,7})?(Z|[+-][0-9]{2}:[0-9]{2})$"] = "an RFC 3339 date and time with an offset (2025-01-31T09:30:00Z)",
        [@"\S"] = "text with at least one non-blank character",
        [@"^[^\s/:@]+$"] = "a bare domain name (example.com)",
    };

    public static List<SchemaValidationError> Translate(IEnumerable<ValidationError> errors)
    {
        var output = new List<SchemaValidationError>();
        var seen = new HashSet<(string, string)>();
        foreach (var error in errors)
        {
            Flatten(error, output, seen);
        }

        // A value of the wrong type (a string where an address belongs) also "misses" every required property:
        // the type error says it all.
        var wrongType = output.Where(static e => e.Rule == SchemaRules.Type).Select(static e => e.Path).ToHashSet(StringComparer.Ordinal);
        if (wrongType.Count > 0)
        {
            output.RemoveAll(e => e.Rule == SchemaRules.Required && wrongType.Contains(ParentOf(e.Path)));
        }

        return output;
    }

    private static string ParentOf(string path)
    {
        var dot = path.LastIndexOf('.');
        return dot <= 0 ? "$" : path[..dot];
    }

    private static void Flatten(ValidationError error, List<SchemaValidationError> output, HashSet<(string, string)> seen)
    {
        IEnumerable<ICollection<ValidationError>>? children = error switch
        {
            ChildSchemaValidationError child when child.Errors.Count > 0 => child.Errors.Values,
            MultiTypeValidationError multi when multi.Errors.Count > 0 => multi.Errors.Values,
            _ => null,
        };

        if (children is not null)
        {
            foreach (var list in children)
            {
                foreach (var inner in list)
                {
                    Flatten(inner, output, seen);
                }
            }

            return;
        }

        var translated = Translate(error);
        if (seen.Add((translated.Path, translated.Rule)))
        {
            output.Add(translated);
        }
    }

    private static SchemaValidationError Translate(ValidationError error)
    {
        var schema = error.Schema?.ActualSchema;
        var (rule, message) = error.Kind switch
        {
            ValidationErrorKind.PropertyRequired => (SchemaRules.Required, $"The required property '{Shorten(error.Property)}' is missing."),
            ValidationErrorKind.NoAdditionalPropertiesAllowed => (SchemaRules.AdditionalProperties, $"The property '{Shorten(error.Property)}' is not part of {CanonicalSchema.Version}."),
            ValidationErrorKind.NotInEnumeration => (SchemaRules.Enum, EnumMessage(schema)),
            ValidationErrorKind.PatternMismatch => (SchemaRules.Pattern, PatternMessage(schema)),
            ValidationErrorKind.StringTooLong => (SchemaRules.MaxLength, Invariant($"The text is longer than {schema?.MaxLength} characters.")),
            ValidationErrorKind.StringTooShort => (SchemaRules.MinLength, schema?.MinLength is 1 ? "The text is empty." : Invariant($"The text is shorter than {schema?.MinLength} characters.")),
            ValidationErrorKind.TooManyItems => (SchemaRules.MaxItems, Invariant($"The list has more than {schema?.MaxItems} items.")),
            ValidationErrorKind.TooManyProperties => (SchemaRules.MaxProperties, Invariant($"The object has more than {schema?.MaxProperties} properties.")),
            ValidationErrorKind.StringExpected => (SchemaRules.Type, TypeMessage("a string", error)),
            ValidationErrorKind.ObjectExpected => (SchemaRules.Type, TypeMessage("an object", error)),
            ValidationErrorKind.ArrayExpected => (SchemaRules.Type, TypeMessage("an array", error)),
            ValidationErrorKind.NumberExpected or ValidationErrorKind.IntegerExpected => (SchemaRules.Type, TypeMessage("a number", error)),
            ValidationErrorKind.BooleanExpected => (SchemaRules.Type, TypeMessage("true or false", error)),
            ValidationErrorKind.NullExpected => (SchemaRules.Type, TypeMessage("null", error)),
            _ => (CamelCase(error.Kind.ToString()), $"The value violates the schema ({error.Kind})."),
        };

        return new SchemaValidationError(
            ToCanonicalPath(error.Path),
            rule,
            message,
            error.HasLineInfo ? error.LineNumber : null,
            error.HasLineInfo ? error.LinePosition : null);
    }

    internal static string ToCanonicalPath(string? path)
    {
        if (string.IsNullOrEmpty(path) || path == "#" || path == "#/")
        {
            return "$";
        }

        if (path.StartsWith("#/", StringComparison.Ordinal))
        {
            var rest = path[2..];
            return rest.StartsWith('[') ? "$" + rest : "$." + rest;
        }

        return path;
    }

    private static string TypeMessage(string expected, ValidationError error) =>
        error.Token?.Type == JTokenType.Null
            ? $"The value is null; {expected} is expected (omit an absent value: null is never valid)."
            : $"The value has the wrong type; {expected} is expected.";

    private static string EnumMessage(JsonSchema? schema)
    {
        if (schema is null || schema.Enumeration.Count == 0)
        {
            return "The value is not one of the allowed values.";
        }

        if (schema.Enumeration.Count <= MaxEnumValuesInMessage)
        {
            return $"The value is not one of: {string.Join(", ", schema.Enumeration)}.";
        }

        return $"The value is not an allowed value: {schema.Description ?? "see the schema"}";
    }

    private static string PatternMessage(JsonSchema? schema)
    {
        var pattern = schema?.Pattern ?? string.Empty;
        return KnownPatterns.TryGetValue(pattern, out var form)
            ? $"The value is not {form}."
            : $"The value does not match the pattern {pattern}.";
    }

    private static string Shorten(string? name) =>
        name is null ? string.Empty : name.Length <= MaxNameInMessage ? name : string.Concat(name.AsSpan(0, MaxNameInMessage), "...");

    private static string CamelCase(string name) => string.Concat(char.ToLowerInvariant(name[0]).ToString(), name.AsSpan(1));

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
