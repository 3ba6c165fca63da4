namespace Concord.Canonical.Schema;

/// <summary>
/// Validates JSON documents against <c>customer.v1.schema.json</c>. Input from outside Concord (webhooks, host
/// payloads, replayed dead letters) goes through it before it is deserialized.
/// </summary>
/// <remarks>
/// Implementations never throw for bad input: oversized, too deeply nested and malformed documents come back as
/// errors like any other. Implementations are thread-safe.
/// </remarks>
public interface ICustomerSchemaValidator
{
    /// <summary>Validates a JSON document.</summary>
    /// <param name="json">The JSON text.</param>
    /// <returns>The result; <see cref="SchemaValidationResult.IsValid"/> is true when there is no error.</returns>
    SchemaValidationResult Validate(string json);

    /// <summary>Validates a UTF-8 JSON document.</summary>
    /// <param name="utf8Json">The UTF-8 bytes.</param>
    /// <returns>The result; <see cref="SchemaValidationResult.IsValid"/> is true when there is no error.</returns>
    SchemaValidationResult Validate(ReadOnlySpan<byte> utf8Json);
}
