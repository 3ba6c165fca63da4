using Concord.Canonical;

namespace Concord.Sync.Reconciliation;

/// <summary>One disagreement between a flow's source and one target.</summary>
/// <param name="Kind">Missing, extra or differing.</param>
/// <param name="Target">The target connector name.</param>
/// <param name="CanonicalId">The canonical id, when known.</param>
/// <param name="SourceExternalId">The record's id in the source, when it has one.</param>
/// <param name="TargetExternalId">The record's id in the target, when it has one.</param>
/// <param name="Field">For <see cref="DriftKind.Differs"/>: the field group (a <see cref="CustomerField"/> name).</param>
public sealed record DriftItem(DriftKind Kind, string Target, string? CanonicalId, string? SourceExternalId, string? TargetExternalId, string? Field = null);
