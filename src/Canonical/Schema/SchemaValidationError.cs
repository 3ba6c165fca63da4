namespace Concord.Canonical.Schema;

/// <summary>One schema violation: where, which rule, and what is wrong. Messages never repeat the offending value.</summary>
/// <param name="Path">The canonical JSON path (<c>$.addresses[1].country</c>; <c>$</c> for the whole document).</param>
/// <param name="Rule">The JSON Schema keyword that failed (<c>required</c>, <c>maxLength</c>, <c>enum</c>, ...) or one of the <see cref="SchemaRules"/> guards.</param>
/// <param name="Message">A readable explanation.</param>
/// <param name="Line">The 1-based line of the offending value (of its object, for a missing property), when known.</param>
/// <param name="Position">The 1-based position in that line, counted in UTF-8 bytes, when known.</param>
public sealed record SchemaValidationError(string Path, string Rule, string Message, int? Line = null, int? Position = null)
{
    /// <inheritdoc />
    public override string ToString() => Line is null ? $"{Path}: {Message} ({Rule})" : $"{Path}: {Message} ({Rule}, line {Line}, position {Position})";
}
