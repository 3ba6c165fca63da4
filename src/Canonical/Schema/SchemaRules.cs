namespace Concord.Canonical.Schema;

/// <summary>The rule names a <see cref="SchemaValidationError"/> carries besides the JSON Schema keywords.</summary>
public static class SchemaRules
{
    /// <summary>The document is larger than <see cref="CustomerSchemaValidatorOptions.MaxDocumentBytes"/>.</summary>
    public const string MaxDocumentSize = "maxDocumentSize";

    /// <summary>The document nests deeper than <see cref="CustomerSchemaValidatorOptions.MaxDepth"/>.</summary>
    public const string MaxDepth = "maxDepth";

    /// <summary>The document is not well-formed JSON.</summary>
    public const string Json = "json";

    /// <summary>The document conforms to the schema but cannot be read as a canonical customer.</summary>
    public const string Deserialization = "deserialization";

    /// <summary>A JSON Schema keyword: the value has the wrong JSON type.</summary>
    public const string Type = "type";

    /// <summary>A JSON Schema keyword: a required property is missing.</summary>
    public const string Required = "required";

    /// <summary>A JSON Schema keyword: the property is not part of the contract.</summary>
    public const string AdditionalProperties = "additionalProperties";

    /// <summary>A JSON Schema keyword: the value is not one of the allowed values.</summary>
    public const string Enum = "enum";

    /// <summary>A JSON Schema keyword: the text does not match the pattern.</summary>
    public const string Pattern = "pattern";

    /// <summary>A JSON Schema keyword: the text is too long.</summary>
    public const string MaxLength = "maxLength";

    /// <summary>A JSON Schema keyword: the text is too short (empty).</summary>
    public const string MinLength = "minLength";

    /// <summary>A JSON Schema keyword: the array has too many items.</summary>
    public const string MaxItems = "maxItems";

    /// <summary>A JSON Schema keyword: the object has too many properties.</summary>
    public const string MaxProperties = "maxProperties";
}
