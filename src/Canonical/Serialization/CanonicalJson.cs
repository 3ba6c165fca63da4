using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Concord.Canonical.Schema;

namespace Concord.Canonical.Serialization;

/// <summary>
/// Reads and writes canonical customers as JSON (camelCase, nulls omitted, unknown members rejected),
/// through source-generated metadata: no reflection.
/// </summary>
public static class CanonicalJson
{
    /// <summary>The type metadata for <see cref="CanonicalCustomer"/>, for use with <see cref="JsonSerializer"/>.</summary>
    public static JsonTypeInfo<CanonicalCustomer> CustomerTypeInfo => CanonicalJsonContext.Default.CanonicalCustomer;

    /// <summary>The serializer options the canonical form uses (read-only).</summary>
    public static JsonSerializerOptions Options => CanonicalJsonContext.Default.Options;

    /// <summary>Serializes <paramref name="customer"/> to its JSON form.</summary>
    /// <param name="customer">The customer.</param>
    /// <returns>The JSON text.</returns>
    public static string Serialize(CanonicalCustomer customer) =>
        JsonSerializer.Serialize(customer, CanonicalJsonContext.Default.CanonicalCustomer);

    /// <summary>Serializes <paramref name="customer"/> to UTF-8 JSON.</summary>
    /// <param name="customer">The customer.</param>
    /// <returns>The UTF-8 bytes.</returns>
    public static byte[] SerializeToUtf8Bytes(CanonicalCustomer customer) =>
        JsonSerializer.SerializeToUtf8Bytes(customer, CanonicalJsonContext.Default.CanonicalCustomer);

    /// <summary>
    /// Deserializes a customer from JSON without schema validation. Input from outside (webhooks,
    /// host payloads, replayed dead letters) should go through
    /// <see cref="CustomerSchemaValidatorExtensions.DeserializeValid(ICustomerSchemaValidator, string)"/> instead,
    /// which reports every problem by JSON path rather than throwing at the first.
    /// </summary>
    /// <param name="json">The JSON text.</param>
    /// <returns>The customer.</returns>
    /// <exception cref="JsonException">The text is not a canonical customer.</exception>
    public static CanonicalCustomer Deserialize(string json) =>
        JsonSerializer.Deserialize(json, CanonicalJsonContext.Default.CanonicalCustomer)
        ?? throw new JsonException("The JSON document is null, not a canonical customer.");
}
