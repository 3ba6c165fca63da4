using System.Collections.Immutable;
using Concord.Canonical;
using Concord.Sync.Ownership;

namespace Concord.Sync.Audit;

/// <summary>
/// The record of what a flow did with one change for one target: source, target, time, actor, correlation id,
/// fields changed and fields refused with the reason.
/// </summary>
public sealed record AuditEntry
{
    /// <summary>The entry id (unique).</summary>
    public required string Id { get; init; }

    /// <summary>When it happened.</summary>
    public required DateTimeOffset At { get; init; }

    /// <summary>The flow name.</summary>
    public required string Flow { get; init; }

    /// <summary>The source system.</summary>
    public required string SourceSystem { get; init; }

    /// <summary>The record's id in the source.</summary>
    public string? SourceExternalId { get; init; }

    /// <summary>The target system, or null when the record failed before any target.</summary>
    public string? TargetSystem { get; init; }

    /// <summary>The record's id in the target, when it has one.</summary>
    public string? TargetExternalId { get; init; }

    /// <summary>The canonical id, when resolved.</summary>
    public string? CanonicalId { get; init; }

    /// <summary>Who made the change (the source's actor, or the flow's configured actor).</summary>
    public required string Actor { get; init; }

    /// <summary>The correlation id of the run.</summary>
    public required string CorrelationId { get; init; }

    /// <summary>What was done.</summary>
    public required AuditOutcome Outcome { get; init; }

    /// <summary>The field groups whose value the write changed in the target (<see cref="CustomerField"/> names).</summary>
    public ImmutableArray<string> FieldsChanged { get; init; } = [];

    /// <summary>The changes the ownership policy or survivorship rule refused, with the reason.</summary>
    public ImmutableArray<RefusedChange> FieldsRefused { get; init; } = [];

    /// <summary>A short detail (the failure reason for deferred and dead-lettered records), personal data masked.</summary>
    public string? Detail { get; init; }

    /// <inheritdoc />
    public bool Equals(AuditEntry? other) =>
        other is not null && Id == other.Id && At == other.At && Flow == other.Flow && SourceSystem == other.SourceSystem
        && SourceExternalId == other.SourceExternalId && TargetSystem == other.TargetSystem && TargetExternalId == other.TargetExternalId
        && CanonicalId == other.CanonicalId && Actor == other.Actor && CorrelationId == other.CorrelationId && Outcome == other.Outcome
        && FieldsChanged.SequenceEqual(other.FieldsChanged) && FieldsRefused.SequenceEqual(other.FieldsRefused) && Detail == other.Detail;

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(Id, At, Flow, Outcome);
}
