using System.Collections.Immutable;

namespace Concord.Canonical;

/// <summary>
/// Where a canonical record comes from: its canonical id, its id in every system, the system it was
/// read from, that system's modification time and version, and who changed it. Provenance is excluded
/// from the content fingerprint.
/// </summary>
public sealed record Provenance
{
    /// <summary>The canonical id Concord assigned (null until identity resolution assigns one).</summary>
    public string? CanonicalId { get; init; }

    /// <summary>The record's id in each system that holds it.</summary>
    public ImmutableArray<ExternalRef> ExternalRefs
    {
        get => _externalRefs;
        init => _externalRefs = value.IsDefault ? [] : value;
    }

    private readonly ImmutableArray<ExternalRef> _externalRefs = [];

    /// <summary>The connector name of the system this version was read from.</summary>
    public string? SourceSystem { get; init; }

    /// <summary>When the source system last modified the record (its own clock, UTC).</summary>
    public DateTimeOffset? SourceModifiedAt { get; init; }

    /// <summary>The source system's version or change stamp, when it has one.</summary>
    public string? SourceVersion { get; init; }

    /// <summary>Who made the change in the source system (user id or integration name).</summary>
    public string? Actor { get; init; }

    /// <summary>Returns the id of this record in <paramref name="system"/>, or null.</summary>
    /// <param name="system">The connector name.</param>
    /// <returns>The external id, or null when the record is not known there.</returns>
    public string? ExternalIdIn(string system)
    {
        foreach (var reference in ExternalRefs)
        {
            // A null entry (a malformed record) is skipped here; normalisation refuses the record with its path.
            if (reference is not null && string.Equals(reference.System, system, StringComparison.Ordinal))
            {
                return reference.Id;
            }
        }

        return null;
    }

    /// <summary>Returns a copy with <paramref name="reference"/> added or replacing the one of the same system.</summary>
    /// <param name="reference">The reference to set.</param>
    /// <returns>The new provenance.</returns>
    public Provenance WithExternalRef(ExternalRef reference)
    {
        ArgumentNullException.ThrowIfNull(reference);
        var builder = ImmutableArray.CreateBuilder<ExternalRef>(ExternalRefs.Length + 1);
        foreach (var existing in ExternalRefs)
        {
            // A null entry (a malformed record) is kept as it is, so that normalisation refuses the record with its path.
            if (existing is null || !string.Equals(existing.System, reference.System, StringComparison.Ordinal))
            {
                builder.Add(existing!);
            }
        }

        builder.Add(reference);
        return this with { ExternalRefs = builder.ToImmutable() };
    }

    /// <inheritdoc />
    public bool Equals(Provenance? other) =>
        other is not null
        && CanonicalId == other.CanonicalId
        && ExternalRefs.SequenceEqual(other.ExternalRefs)
        && SourceSystem == other.SourceSystem
        && SourceModifiedAt == other.SourceModifiedAt
        && SourceVersion == other.SourceVersion
        && Actor == other.Actor;

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(CanonicalId, SourceSystem, SourceModifiedAt, ExternalRefs.Length);
}
