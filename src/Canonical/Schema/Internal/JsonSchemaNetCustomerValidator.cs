using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Json.Schema;

namespace Concord.Canonical.Schema.Internal;

/// <summary>
/// <see cref="ICustomerSchemaValidator"/> over JsonSchema.Net 8. A document goes through three steps, each only when the
/// one before could not settle it:
/// <list type="number">
/// <item>limits: size in UTF-8 bytes, valid UTF-8;</item>
/// <item>the fast path, <see cref="CompiledSchema.IsValid"/>: one allocation-free pass that accepts a well-formed,
/// schema-valid document (nearly every record the engine sees);</item>
/// <item>the full path: <see cref="JsonPreflight"/> (syntax, depth, duplicate names, with line and position), then
/// JsonSchema.Net evaluates the parsed document and <see cref="ValidationErrorTranslator"/> turns its results into
/// path-level errors. JsonSchema.Net's verdict is final.</item>
/// </list>
/// Whatever JsonSchema.Net still throws becomes an error, never an exception.
/// </summary>
/// <remarks>Both schemas are built once per process; the validator holds no mutable state and is thread-safe.</remarks>
internal sealed class JsonSchemaNetCustomerValidator : ICustomerSchemaValidator
{
    private static readonly Lazy<Schemas> Shared = new(Schemas.Load, LazyThreadSafetyMode.ExecutionAndPublication);

    private readonly int _maxDocumentBytes;
    private readonly int _maxDepth;

    public JsonSchemaNetCustomerValidator(CustomerSchemaValidatorOptions options)
    {
        _maxDocumentBytes = options.MaxDocumentBytes;
        _maxDepth = options.MaxDepth;
    }

    /// <summary>Whether documents get the fast path (false only if the schema left the compiled subset).</summary>
    internal static bool HasFastPath => Shared.Value.Compiled is not null;

    /// <summary>Why the schema has no fast path; null when it has one.</summary>
    internal static string? WhyNoFastPath => Shared.Value.Unsupported;

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
            return ValidateUtf8(buffer.AsSpan(0, length));
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    public SchemaValidationResult Validate(ReadOnlySpan<byte> utf8Json)
    {
        utf8Json = Utf8Bom.Strip(utf8Json);
        if (utf8Json.Length > _maxDocumentBytes)
        {
            return TooLarge(utf8Json.Length, exact: true);
        }

        if (!System.Text.Unicode.Utf8.IsValid(utf8Json))
        {
            // Malformed JSON is the better report when there is one.
            return SchemaValidationResult.FromErrors([JsonPreflight.Check(utf8Json, _maxDepth) ?? new SchemaValidationError("$", SchemaRules.Json, "The document is not valid UTF-8.")]);
        }

        return ValidateUtf8(utf8Json);
    }

    // Valid UTF-8, within the size limit.
    private SchemaValidationResult ValidateUtf8(ReadOnlySpan<byte> utf8Json)
    {
        var schemas = Shared.Value;
        if (schemas.Compiled?.IsValid(utf8Json, _maxDepth) == true)
        {
            return SchemaValidationResult.Valid;
        }

        if (JsonPreflight.Check(utf8Json, _maxDepth) is { } syntaxError)
        {
            return SchemaValidationResult.FromErrors([syntaxError]);
        }

        // JsonDocument keeps the memory it parses: give it a copy that lives as long as it does.
        var buffer = ArrayPool<byte>.Shared.Rent(utf8Json.Length);
        try
        {
            utf8Json.CopyTo(buffer);
            using var document = JsonDocument.Parse(buffer.AsMemory(0, utf8Json.Length), new JsonDocumentOptions { MaxDepth = _maxDepth + 1 });
            var results = schemas.JsonSchema.Evaluate(document.RootElement, new EvaluationOptions { OutputFormat = OutputFormat.Hierarchical });
            return results.IsValid
                ? SchemaValidationResult.Valid
                : SchemaValidationResult.FromErrors(ValidationErrorTranslator.Translate(results, document.RootElement, schemas.Compiled, utf8Json, _maxDepth));
        }
        catch (Exception exception) when (exception is not OutOfMemoryException)
        {
            // For example a string with an escaped lone surrogate, which JsonSchema.Net cannot read as text.
            return SchemaValidationResult.FromErrors(
            [
                new SchemaValidationError("$", SchemaRules.Json, $"The document could not be validated ({exception.GetType().Name})."),
            ]);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
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

    /// <summary>The schema as JsonSchema.Net built it, and compiled for the fast path.</summary>
    private sealed record Schemas(JsonSchema JsonSchema, CompiledSchema? Compiled, string? Unsupported)
    {
        public static Schemas Load()
        {
            // A registry of our own: the schema's $id is not registered process-wide, where a host's copy may live.
            var jsonSchema = JsonSchema.FromText(CanonicalSchema.SchemaJson, new BuildOptions { SchemaRegistry = new SchemaRegistry() });
            using var document = JsonDocument.Parse(CanonicalSchema.SchemaJson);
            return CompiledSchema.TryCompile(document.RootElement, out var compiled, out var unsupported)
                ? new Schemas(jsonSchema, compiled, null)
                : new Schemas(jsonSchema, null, unsupported);
        }
    }
}
