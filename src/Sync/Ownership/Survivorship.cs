namespace Concord.Sync.Ownership;

/// <summary>How an unowned field group is decided when the incoming value and the target's value differ.</summary>
public enum Survivorship
{
    /// <summary>The value from the record modified most recently wins (by <see cref="Canonical.Provenance.SourceModifiedAt"/>); the incoming value wins a tie or when a time is unknown.</summary>
    MostRecent,

    /// <summary>The incoming value wins unless it is empty; an empty value never erases one the target holds.</summary>
    NonEmpty,

    /// <summary>The value from the system listed first in <see cref="OwnershipPolicy.SourcePriority"/> wins; an empty value yields to the other.</summary>
    SourcePriority,
}
