using System.Collections.Immutable;
using Concord.Canonical;

namespace Concord.Sync.Ownership;

/// <summary>
/// Which system is the system of record for each field group, and how unowned groups are decided (survivorship).
/// Immutable; build one with <see cref="OwnershipPolicyBuilder"/>.
/// </summary>
public sealed record OwnershipPolicy
{
    /// <summary>A policy with no owners where the most recent value wins.</summary>
    public static OwnershipPolicy Default { get; } = new();

    /// <summary>The owner (connector name) of each owned field group.</summary>
    public ImmutableDictionary<CustomerField, string> Owners { get; init; } = ImmutableDictionary<CustomerField, string>.Empty;

    /// <summary>The rule for field groups no system owns.</summary>
    /// <value>The default value is <see cref="Survivorship.MostRecent"/>.</value>
    public Survivorship Unowned { get; init; } = Survivorship.MostRecent;

    /// <summary>The systems in priority order, for <see cref="Survivorship.SourcePriority"/>; unlisted systems rank last.</summary>
    public ImmutableArray<string> SourcePriority { get; init; } = [];

    /// <summary>
    /// Whether a record created in a target takes the incoming value of field groups another system owns (the owner has
    /// nothing there yet). When false, those groups are left empty on create and reported as refused.
    /// </summary>
    /// <value>The default value is true.</value>
    public bool SeedOwnedFieldsOnCreate { get; init; } = true;

    /// <summary>Returns the owner of <paramref name="field"/>, or null when no system owns it.</summary>
    /// <param name="field">The field group.</param>
    /// <returns>The owner's connector name, or null.</returns>
    public string? OwnerOf(CustomerField field) => Owners.GetValueOrDefault(field);

    /// <inheritdoc />
    public bool Equals(OwnershipPolicy? other) =>
        other is not null && Unowned == other.Unowned && SeedOwnedFieldsOnCreate == other.SeedOwnedFieldsOnCreate
        && SourcePriority.SequenceEqual(other.SourcePriority)
        && Owners.Count == other.Owners.Count && Owners.All(pair => other.Owners.TryGetValue(pair.Key, out var owner) && owner == pair.Value);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(Unowned, SeedOwnedFieldsOnCreate, Owners.Count, SourcePriority.Length);
}
