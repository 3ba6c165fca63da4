using Concord.Canonical.Errors;
using Concord.Canonical.Schema.Internal;

namespace Concord.Canonical.Schema;

/// <summary>
/// The JSON Schema of the canonical customer (<c>customer.v1.schema.json</c>, JSON Schema 2020-12), embedded in
/// this assembly and shipped in the package as a content file (<c>schemas/customer.v1.schema.json</c>).
/// </summary>
public static class CanonicalSchema
{
    /// <summary>The schema's <c>$id</c>.</summary>
    public const string Id = "https://concord.dev/schemas/customer.v1.schema.json";

    /// <summary>The contract version the schema describes (equal to <see cref="CanonicalCustomer.CurrentSchemaVersion"/>).</summary>
    public const string Version = CanonicalCustomer.CurrentSchemaVersion;

    /// <summary>The file name of the schema, as shipped in the package.</summary>
    public const string FileName = "customer.v1.schema.json";

    /// <summary>The manifest resource name of the embedded schema.</summary>
    public const string ResourceName = "Concord.Canonical.Schema.customer.v1.schema.json";

    private static readonly Lazy<string> Json = new(ReadSchemaJson, LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>The schema document as JSON text.</summary>
    public static string SchemaJson => Json.Value;

    /// <summary>Opens a read-only stream over the embedded schema document (UTF-8). The caller disposes it.</summary>
    /// <returns>The stream.</returns>
    public static Stream OpenSchemaStream() =>
        typeof(CanonicalSchema).Assembly.GetManifestResourceStream(ResourceName)
        ?? throw new ConcordException(ErrorCategory.Configuration, $"The embedded resource '{ResourceName}' is missing from {typeof(CanonicalSchema).Assembly.GetName().Name}.");

    /// <summary>
    /// Creates a validator for <c>customer.v1</c> documents, for use without dependency injection
    /// (<c>AddConcord()</c> registers <see cref="ICustomerSchemaValidator"/> as a singleton).
    /// </summary>
    /// <param name="options">The limits; null for the defaults.</param>
    /// <returns>The validator; thread-safe, create it once.</returns>
    public static ICustomerSchemaValidator CreateValidator(CustomerSchemaValidatorOptions? options = null)
    {
        options ??= new CustomerSchemaValidatorOptions();
        CustomerSchemaValidatorOptionsValidator.ThrowIfInvalid(options);
        return new JsonSchemaNetCustomerValidator(options);
    }

    private static string ReadSchemaJson()
    {
        using var stream = OpenSchemaStream();
        using var reader = new StreamReader(stream, System.Text.Encoding.UTF8);
        return reader.ReadToEnd();
    }
}
