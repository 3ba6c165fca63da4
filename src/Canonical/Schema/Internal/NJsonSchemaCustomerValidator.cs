using System.Buffers;
using System.Globalization;
using System.Text;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;
using NJsonSchema;

namespace Concord.Canonical.Schema.Internal;

/// <summary>
/// <see cref="ICustomerSchemaValidator"/> over NJsonSchema. Every document first passes a size check and a
/// <see cref="JsonPreflight"/> (syntax, depth), so NJsonSchema only ever sees bounded, well-formed JSON; whatever
/// it still throws is turned into an error, never let out.
/// </summary>
internal sealed class NJsonSchemaCustomerValidator : ICustomerSchemaValidator
{
    private static readonly Lazy<JsonSchema> Schema = new(LoadSchema, LazyThreadSafetyMode.ExecutionAndPublication);

    private readonly int _maxDocumentBytes;
    private readonly int _maxDepth;

    public NJsonSchemaCustomerValidator(CustomerSchemaValidatorOptions options)
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
            if (JsonPreflight.Check(buffer.AsSpan(0, length), _maxDepth) is { } syntaxError)
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

        if (JsonPreflight.Check(utf8Json, _maxDepth) is { } syntaxError)
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
            return errors.Count == 0 ? SchemaValidationResult.Valid : SchemaValidationResult.FromErrors(ValidationErrorTranslator.Translate(errors));
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
