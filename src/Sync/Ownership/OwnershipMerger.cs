using System.Collections.Immutable;
using Concord.Canonical;

namespace Concord.Sync.Ownership;

/// <summary>
/// Merges an incoming change into what a target holds, by an <see cref="OwnershipPolicy"/>: the owner's value wins for
/// owned field groups, unowned groups follow the survivorship rule, and every change not applied is returned with its reason.
/// Field groups the source does not carry (<see cref="Concord.Canonical.Connectors.ConnectorCapabilities.CarriedFields"/>) keep the target's
/// value: a source that has no tags has no opinion on them, and its empty value must not erase the target's. Field groups
/// the target does not carry are left out of the merge: the target cannot hold them, so they are neither changes nor refusals.
/// </summary>
internal static class OwnershipMerger
{
    /// <summary>Merges <paramref name="incoming"/> from <paramref name="sourceSystem"/> into <paramref name="current"/> (null: the target has no record yet).</summary>
    /// <param name="policy">The flow's ownership policy.</param>
    /// <param name="incoming">The source's record, normalised.</param>
    /// <param name="sourceSystem">The source connector's name.</param>
    /// <param name="current">What the target holds, or null.</param>
    /// <param name="targetSystem">The target connector's name.</param>
    /// <param name="sourceFields">The field groups the source carries; null: all of them.</param>
    /// <param name="targetFields">The field groups the target carries; null: all of them.</param>
    /// <param name="own">What Concord itself wrote to the target record, so that its own writes never count as a newer edit; null: nothing known.</param>
    public static MergeResult Merge(
        OwnershipPolicy policy,
        CanonicalCustomer incoming,
        string sourceSystem,
        CanonicalCustomer? current,
        string targetSystem,
        IReadOnlySet<CustomerField>? sourceFields = null,
        IReadOnlySet<CustomerField>? targetFields = null,
        OwnWrites? own = null)
    {
        ArgumentNullException.ThrowIfNull(policy);
        ArgumentNullException.ThrowIfNull(incoming);
        var merged = incoming;
        var changed = ImmutableArray.CreateBuilder<string>();
        var refused = ImmutableArray.CreateBuilder<RefusedChange>();

        foreach (var field in CustomerFields.All)
        {
            if (targetFields is not null && !targetFields.Contains(field))
            {
                continue;
            }

            if (current is not null && sourceFields is not null && !sourceFields.Contains(field))
            {
                merged = CustomerFields.Copy(field, merged, current);
                continue;
            }

            var owner = policy.OwnerOf(field);
            if (current is null)
            {
                if (owner is not null && !IsSame(owner, sourceSystem) && !policy.SeedOwnedFieldsOnCreate && !CustomerFields.IsEmpty(field, incoming))
                {
                    merged = CustomerFields.Clear(field, merged);
                    refused.Add(new RefusedChange(field.ToString(), owner, $"owned by {owner}; not seeded when the record is created in {targetSystem}"));
                }

                if (!CustomerFields.IsEmpty(field, merged))
                {
                    changed.Add(field.ToString());
                }

                continue;
            }

            if (CustomerFields.Same(field, incoming, current))
            {
                continue;
            }

            var (keepCurrent, reason) = Decide(policy, field, owner, incoming, sourceSystem, current, targetSystem, own);
            if (keepCurrent)
            {
                merged = CustomerFields.Copy(field, merged, current);
                refused.Add(new RefusedChange(field.ToString(), owner, reason!));
            }
            else
            {
                changed.Add(field.ToString());
            }
        }

        return new MergeResult(merged, changed.ToImmutable(), refused.ToImmutable());
    }

    private static (bool KeepCurrent, string? Reason) Decide(
        OwnershipPolicy policy, CustomerField field, string? owner, CanonicalCustomer incoming, string sourceSystem, CanonicalCustomer current, string targetSystem, OwnWrites? own)
    {
        if (owner is not null)
        {
            return IsSame(owner, sourceSystem) ? (false, null) : (true, $"owned by {owner}");
        }

        var incomingEmpty = CustomerFields.IsEmpty(field, incoming);
        var currentEmpty = CustomerFields.IsEmpty(field, current);
        switch (policy.Unowned)
        {
            case Survivorship.NonEmpty:
                return incomingEmpty && !currentEmpty ? (true, "an empty value does not overwrite one") : (false, null);

            case Survivorship.SourcePriority:
                if (incomingEmpty != currentEmpty)
                {
                    return incomingEmpty ? (true, "an empty value does not overwrite one") : (false, null);
                }

                var sourceRank = Rank(policy, sourceSystem);
                var targetRank = Rank(policy, current.Provenance.SourceSystem ?? targetSystem);
                return targetRank < sourceRank ? (true, $"{current.Provenance.SourceSystem ?? targetSystem} has priority over {sourceSystem}") : (false, null);

            default:
                var incomingAt = incoming.Provenance.SourceModifiedAt;
                var currentAt = current.Provenance.SourceModifiedAt;
                if (own is not null && own.TryGetEditTime(field, current, out var editedAt))
                {
                    currentAt = editedAt;
                }

                return incomingAt is not null && currentAt is not null && currentAt > incomingAt
                    ? (true, $"the value in {targetSystem} is more recent")
                    : (false, null);
        }
    }

    private static int Rank(OwnershipPolicy policy, string system)
    {
        for (var i = 0; i < policy.SourcePriority.Length; i++)
        {
            if (IsSame(policy.SourcePriority[i], system))
            {
                return i;
            }
        }

        return int.MaxValue;
    }

    private static bool IsSame(string left, string right) => string.Equals(left, right, StringComparison.OrdinalIgnoreCase);
}
