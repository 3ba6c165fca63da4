using System.Collections.Immutable;

namespace Concord.Sync.Reconciliation;

/// <summary>The drift a reconciliation found between a flow's source and its targets.</summary>
public sealed record ReconciliationReport
{
    /// <summary>The flow name.</summary>
    public required string Flow { get; init; }

    /// <summary>The correlation id of the reconciliation (and of its repairs).</summary>
    public required string CorrelationId { get; init; }

    /// <summary>Source records compared.</summary>
    public int Compared { get; init; }

    /// <summary>Every disagreement found, in source order.</summary>
    public ImmutableArray<DriftItem> Drift { get; init; } = [];

    /// <summary>Records rewritten to repair drift (when <see cref="ReconciliationOptions.Repair"/> was set).</summary>
    public int Repaired { get; init; }

    /// <summary>How many differing field groups there are per group name.</summary>
    public ImmutableSortedDictionary<string, int> DifferencesByField =>
        Drift.Where(d => d.Kind == DriftKind.Differs && d.Field is not null)
            .GroupBy(d => d.Field!, StringComparer.Ordinal)
            .ToImmutableSortedDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);

    /// <inheritdoc />
    public bool Equals(ReconciliationReport? other) =>
        other is not null && Flow == other.Flow && CorrelationId == other.CorrelationId && Compared == other.Compared
        && Repaired == other.Repaired && Drift.SequenceEqual(other.Drift);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(Flow, CorrelationId, Compared, Drift.Length);
}
