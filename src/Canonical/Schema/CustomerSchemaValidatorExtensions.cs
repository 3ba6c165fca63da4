using System.Globalization;
using System.Text.Json;
using Concord.Canonical.Errors;
using Concord.Canonical.Serialization;

namespace Concord.Canonical.Schema;

/// <summary>Validate-then-deserialize helpers over <see cref="ICustomerSchemaValidator"/>.</summary>
public static class CustomerSchemaValidatorExtensions
{
    /// <summary>Validates <paramref name="json"/> against the schema, then deserializes it.</summary>
    /// <param name="validator">The validator.</param>
    /// <param name="json">The JSON text of one customer.</param>
    /// <returns>The customer.</returns>
    /// <exception cref="ConcordException">
    /// <see cref="ErrorCategory.Validation"/>, with one <see cref="FieldError"/> per schema violation.
    /// </exception>
    public static CanonicalCustomer DeserializeValid(this ICustomerSchemaValidator validator, string json)
    {
        ArgumentNullException.ThrowIfNull(validator);
        ArgumentNullException.ThrowIfNull(json);
        ThrowIfInvalid(validator.Validate(json));
        return Read(() => CanonicalJson.Deserialize(json));
    }

    /// <summary>Validates UTF-8 <paramref name="utf8Json"/> against the schema, then deserializes it.</summary>
    /// <param name="validator">The validator.</param>
    /// <param name="utf8Json">The UTF-8 JSON of one customer.</param>
    /// <returns>The customer.</returns>
    /// <exception cref="ConcordException">
    /// <see cref="ErrorCategory.Validation"/>, with one <see cref="FieldError"/> per schema violation.
    /// </exception>
    public static CanonicalCustomer DeserializeValid(this ICustomerSchemaValidator validator, ReadOnlyMemory<byte> utf8Json)
    {
        ArgumentNullException.ThrowIfNull(validator);
        ThrowIfInvalid(validator.Validate(utf8Json.Span));
        return Read(() => JsonSerializer.Deserialize(Schema.Internal.Utf8Bom.Strip(utf8Json.Span), CanonicalJson.CustomerTypeInfo)
            ?? throw new JsonException("The JSON document is null, not a canonical customer."));
    }

    private static void ThrowIfInvalid(SchemaValidationResult result)
    {
        if (result.IsValid)
        {
            return;
        }

        throw new ConcordException(
            ErrorCategory.Validation,
            string.Create(CultureInfo.InvariantCulture, $"The document is not a valid {CanonicalSchema.Version} customer: {result.Errors.Length} error(s), first at {result.Errors[0].Path}: {result.Errors[0].Message}"))
        {
            Operation = "validate",
            FieldErrors = result.ToFieldErrors(),
        };
    }

    // The schema is checked first, so this only catches what the schema cannot say (a date System.Text.Json cannot read).
    private static CanonicalCustomer Read(Func<CanonicalCustomer> read)
    {
        try
        {
            return read();
        }
        catch (JsonException exception)
        {
            var path = exception.Path ?? "$";
            throw new ConcordException(ErrorCategory.Validation, $"The document passed the schema but cannot be read as a customer at {path}.", exception)
            {
                Operation = "deserialize",
                FieldErrors = [new FieldError(path, "The value cannot be read as the canonical type.", SchemaRules.Deserialization)],
            };
        }
    }
}
