using System.Collections.Immutable;

namespace Concord.Sync.Identity;

/// <summary>Everything the identity map knows about one canonical customer: its id in every system.</summary>
/// <param name="CanonicalId">The canonical id.</param>
/// <param name="Links">One link per system, ordered by system name.</param>
public sealed record IdentityEntry(string CanonicalId, ImmutableArray<IdentityLink> Links)
{
    /// <summary>Returns the link to <paramref name="system"/>, or null.</summary>
    /// <param name="system">The connector name.</param>
    /// <returns>The link, or null when the customer is not known there.</returns>
    public IdentityLink? LinkTo(string system)
    {
        foreach (var link in Links)
        {
            if (string.Equals(link.System, system, StringComparison.Ordinal))
            {
                return link;
            }
        }

        return null;
    }

    /// <inheritdoc />
    public bool Equals(IdentityEntry? other) => other is not null && CanonicalId == other.CanonicalId && Links.SequenceEqual(other.Links);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(CanonicalId, Links.Length);
}
