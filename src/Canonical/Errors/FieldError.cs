namespace Concord.Canonical.Errors;

/// <summary>A field-level detail of a validation failure.</summary>
/// <param name="Field">The field, as a canonical JSON path (<c>$.taxIds[0].value</c>) or the vendor's field name.</param>
/// <param name="Message">What is wrong with it, personal data masked.</param>
/// <param name="Code">The vendor's or validator's code for the rule, when there is one.</param>
public sealed record FieldError(string Field, string Message, string? Code = null);
