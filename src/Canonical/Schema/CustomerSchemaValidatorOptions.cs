namespace Concord.Canonical.Schema;

/// <summary>Limits the schema validator applies before it looks at a document, against hostile or broken input.</summary>
public sealed class CustomerSchemaValidatorOptions
{
    /// <summary>The largest document accepted, in UTF-8 bytes.</summary>
    /// <value>The default value is 1 MiB (1,048,576 bytes); at least 1 KiB, at most 256 MiB.</value>
    public int MaxDocumentBytes { get; set; } = 1024 * 1024;

    /// <summary>The deepest nesting of objects and arrays accepted.</summary>
    /// <value>The default value is 16 (a customer document nests 5 levels); between 8 and 64.</value>
    public int MaxDepth { get; set; } = 16;
}
