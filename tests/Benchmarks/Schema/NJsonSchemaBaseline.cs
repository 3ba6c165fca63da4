// The "before" of SchemaValidationBenchmarks: Concord.Canonical's customer.v1 validator as it was on NJsonSchema 11.6.2
// (commit d309e79), moved here unchanged but for the type names. Only the benchmarks reference NJsonSchema (and with
// it Newtonsoft.Json); no Concord package does.
#pragma warning disable CA1305, CA1307, CA1310, CA1309, CA1311
using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Concord.Canonical.Schema;
using Concord.Canonical.Schema.Internal;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;
using NJsonSchema;
using NJsonSchema.Validation;

namespace Concord.Benchmarks.Schema;

/// <summary>
/// <see cref="ICustomerSchemaValidator"/> over NJsonSchema. Every document first passes a size check and a
/// <see cref="BaselineJsonPreflight"/> (syntax, depth), so NJsonSchema only ever sees bounded, well-formed JSON; whatever
/// it still throws is turned into an error, never let out.
/// </summary>
internal sealed class NJsonSchemaBaselineValidator : ICustomerSchemaValidator
{
    private static readonly Lazy<JsonSchema> Schema = new(LoadSchema, LazyThreadSafetyMode.ExecutionAndPublication);

    private readonly int _maxDocumentBytes;
    private readonly int _maxDepth;

    public NJsonSchemaBaselineValidator(CustomerSchemaValidatorOptions options)
    {
        _maxDocumentBytes = options.MaxDocumentBytes;
        _maxDepth = options.MaxDepth;
    }

    public SchemaValidationResult Validate(string json)
    {
        ArgumentNullException.ThrowIfNull(json);

        // Every char is at least one UTF-8 byte: a longer string is too large without counting.
        var byteCount = json.Length > _maxDocumentBytes ? (long)json.Length : Encoding.UTF8.GetByteCount(json);
        if (byteCount > _maxDocumentBytes)
        {
            return TooLarge(byteCount, exact: json.Length <= _maxDocumentBytes);
        }

        var buffer = ArrayPool<byte>.Shared.Rent((int)byteCount);
        try
        {
            var length = Encoding.UTF8.GetBytes(json, buffer);
            if (BaselineJsonPreflight.Check(buffer.AsSpan(0, length), _maxDepth) is { } syntaxError)
            {
                return SchemaValidationResult.FromErrors([syntaxError]);
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }

        return ValidateWellFormed(json);
    }

    public SchemaValidationResult Validate(ReadOnlySpan<byte> utf8Json)
    {
        utf8Json = Utf8Bom.Strip(utf8Json);
        if (utf8Json.Length > _maxDocumentBytes)
        {
            return TooLarge(utf8Json.Length, exact: true);
        }

        if (BaselineJsonPreflight.Check(utf8Json, _maxDepth) is { } syntaxError)
        {
            return SchemaValidationResult.FromErrors([syntaxError]);
        }

        if (!System.Text.Unicode.Utf8.IsValid(utf8Json))
        {
            return SchemaValidationResult.FromErrors([new SchemaValidationError("$", SchemaRules.Json, "The document is not valid UTF-8.")]);
        }

        return ValidateWellFormed(Encoding.UTF8.GetString(utf8Json));
    }

    private SchemaValidationResult ValidateWellFormed(string json)
    {
        try
        {
            JToken token;
            using (var reader = new JsonTextReader(new StringReader(json)) { DateParseHandling = DateParseHandling.None, MaxDepth = _maxDepth + 1 })
            {
                token = JToken.ReadFrom(reader, new JsonLoadSettings
                {
                    LineInfoHandling = LineInfoHandling.Load,
                    DuplicatePropertyNameHandling = DuplicatePropertyNameHandling.Error,
                });
            }

            var errors = Schema.Value.Validate(token);
            return errors.Count == 0 ? SchemaValidationResult.Valid : SchemaValidationResult.FromErrors(NJsonSchemaErrorTranslator.Translate(errors));
        }
        catch (JsonReaderException exception)
        {
            // What the System.Text.Json preflight lets through but Json.NET refuses: duplicate property names.
            return SchemaValidationResult.FromErrors(
            [
                new SchemaValidationError(
                    "$",
                    SchemaRules.Json,
                    string.Create(CultureInfo.InvariantCulture, $"The document cannot be read: a property name appears twice in one object, or a value is out of range (line {exception.LineNumber}, position {exception.LinePosition})."),
                    exception.LineNumber,
                    exception.LinePosition),
            ]);
        }
        catch (Exception exception) when (exception is not OutOfMemoryException)
        {
            return SchemaValidationResult.FromErrors(
            [
                new SchemaValidationError("$", SchemaRules.Json, $"The document could not be validated ({exception.GetType().Name})."),
            ]);
        }
    }

    private SchemaValidationResult TooLarge(long bytes, bool exact) =>
        SchemaValidationResult.FromErrors(
        [
            new SchemaValidationError(
                "$",
                SchemaRules.MaxDocumentSize,
                string.Create(CultureInfo.InvariantCulture, $"The document is {(exact ? string.Empty : "at least ")}{bytes} bytes, above the limit of {_maxDocumentBytes} bytes.")),
        ]);

    // NJsonSchema 11 does not resolve a $ref from one "$defs" entry to another ("has not been resolved"), but does
    // resolve the draft-07 "definitions" location: the shipped 2020-12 document keeps "$defs", NJsonSchema gets
    // the same document with the location renamed. The rewrite only touches the keyword and the pointers to it.
    internal static string ToNJsonSchemaDialect(string schemaJson) =>
        schemaJson.Replace("\"$defs\":", "\"definitions\":", StringComparison.Ordinal)
            .Replace("\"#/$defs/", "\"#/definitions/", StringComparison.Ordinal);

    private static JsonSchema LoadSchema() =>
        JsonSchema.FromJsonAsync(ToNJsonSchemaDialect(CanonicalSchema.SchemaJson)).GetAwaiter().GetResult();
}

/// <summary>
/// Reads a document once with <see cref="Utf8JsonReader"/> before the schema validator sees it: refuses
/// malformed JSON (with line and position), comments, trailing commas and nesting deeper than the limit.
/// Cheap: no allocation besides the error.
/// </summary>
internal static class BaselineJsonPreflight
{
    public static SchemaValidationError? Check(ReadOnlySpan<byte> utf8Json, int maxDepth)
    {
        // The reader's own limit is one above ours so that we report the depth, not the reader.
        var reader = new Utf8JsonReader(utf8Json, new JsonReaderOptions { MaxDepth = maxDepth + 1 });
        try
        {
            while (reader.Read())
            {
                if (reader.TokenType is JsonTokenType.StartObject or JsonTokenType.StartArray && reader.CurrentDepth + 1 > maxDepth)
                {
                    return new SchemaValidationError(
                        "$",
                        SchemaRules.MaxDepth,
                        string.Create(CultureInfo.InvariantCulture, $"The document nests deeper than {maxDepth} levels."));
                }
            }

            return null;
        }
        catch (System.Text.Json.JsonException exception)
        {
            var line = (int)Math.Min(int.MaxValue, (exception.LineNumber ?? 0) + 1);
            var position = (int)Math.Min(int.MaxValue, (exception.BytePositionInLine ?? 0) + 1);
            return new SchemaValidationError(
                "$",
                SchemaRules.Json,
                string.Create(CultureInfo.InvariantCulture, $"The document is not well-formed JSON (line {line}, byte {position})."),
                line,
                position);
        }
    }
}

/// <summary>
/// Turns NJsonSchema errors into <see cref="SchemaValidationError"/>s: nested errors flattened to their leaves,
/// <c>#/a[0].b</c> paths rewritten as <c>$.a[0].b</c>, the failed keyword named, and a message that never
/// repeats the offending value (it may be personal data).
/// </summary>
internal static class NJsonSchemaErrorTranslator
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
