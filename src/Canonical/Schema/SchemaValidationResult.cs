using System.Collections.Immutable;
using Concord.Canonical.Errors;

namespace Concord.Canonical.Schema;

/// <summary>The outcome of validating one document against the canonical schema.</summary>
public sealed class SchemaValidationResult
{
    private SchemaValidationResult(ImmutableArray<SchemaValidationError> errors) => Errors = errors;

    /// <summary>The result of a valid document.</summary>
    public static SchemaValidationResult Valid { get; } = new([]);

    /// <summary>Whether the document conforms to the schema.</summary>
    public bool IsValid => Errors.IsEmpty;

    /// <summary>Every problem found, in document order as far as the validator reports it; empty when valid.</summary>
    public ImmutableArray<SchemaValidationError> Errors { get; }

    /// <summary>Creates a result from <paramref name="errors"/> (valid when there is none).</summary>
    /// <param name="errors">The errors.</param>
    /// <returns>The result.</returns>
    public static SchemaValidationResult FromErrors(IEnumerable<SchemaValidationError> errors)
    {
        var array = errors.ToImmutableArray();
        return array.IsEmpty ? Valid : new SchemaValidationResult(array);
    }

    /// <summary>The errors as field errors of a <see cref="ConcordException"/> (path, message, rule).</summary>
    /// <returns>The field errors.</returns>
    public ImmutableArray<FieldError> ToFieldErrors() => Errors.Select(static e => new FieldError(e.Path, e.Message, e.Rule)).ToImmutableArray();

    /// <inheritdoc />
    public override string ToString() => IsValid ? "valid" : string.Join("; ", Errors);
}
