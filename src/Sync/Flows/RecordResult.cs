using System.Collections.Immutable;
using Concord.Canonical.Errors;
using Concord.Sync.Audit;
using Concord.Sync.Ownership;

namespace Concord.Sync.Flows;

/// <summary>What a flow did with one submitted or replayed record.</summary>
public sealed record RecordResult
{
    /// <summary>The record's id in the source.</summary>
    public required string SourceExternalId { get; init; }

    /// <summary>The canonical id, when identity resolution got that far.</summary>
    public string? CanonicalId { get; init; }

    /// <summary>The overall outcome: dead-lettered or deferred when any target failed; otherwise created, updated or unchanged (the strongest across targets).</summary>
    public required AuditOutcome Outcome { get; init; }

    /// <summary>One result per target reached, in target order.</summary>
    public ImmutableArray<TargetResult> Targets { get; init; } = [];

    /// <summary>The changes the ownership policy refused.</summary>
    public ImmutableArray<RefusedChange> Refused { get; init; } = [];

    /// <summary>The dead-letter entry id, for deferred and dead-lettered records.</summary>
    public string? DeadLetterId { get; init; }

    /// <summary>The failure category, for deferred and dead-lettered records.</summary>
    public ErrorCategory? ErrorCategory { get; init; }

    /// <summary>The failure reason, personal data masked.</summary>
    public string? Reason { get; init; }

    /// <inheritdoc />
    public bool Equals(RecordResult? other) =>
        other is not null && SourceExternalId == other.SourceExternalId && CanonicalId == other.CanonicalId && Outcome == other.Outcome
        && Targets.SequenceEqual(other.Targets) && Refused.SequenceEqual(other.Refused) && DeadLetterId == other.DeadLetterId
        && ErrorCategory == other.ErrorCategory && Reason == other.Reason;

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(SourceExternalId, CanonicalId, Outcome, Targets.Length);
}
