using System.Collections.Immutable;

namespace Concord.Testing.HubSpot.Internal;

/// <summary>One record in the simulated portal.</summary>
internal sealed class SimObject(string type, long id, DateTimeOffset createdAt)
{
    public string Type { get; } = type;

    public long Id { get; } = id;

    public Dictionary<string, string> Properties { get; } = new(StringComparer.Ordinal);

    public DateTimeOffset CreatedAt { get; } = createdAt;

    public DateTimeOffset UpdatedAt { get; set; } = createdAt;

    public bool Archived { get; set; }

    public DateTimeOffset? ArchivedAt { get; set; }

    public long? MergedInto { get; set; }

    public bool IsLive => !Archived && MergedInto is null;

    public string? Get(string property) => Properties.TryGetValue(property, out var value) ? value : null;

    public HubSpotSimObject Snapshot() => new(
        Type,
        Id.ToString(System.Globalization.CultureInfo.InvariantCulture),
        Properties.ToImmutableDictionary(StringComparer.Ordinal),
        Archived,
        CreatedAt,
        UpdatedAt,
        MergedInto?.ToString(System.Globalization.CultureInfo.InvariantCulture));
}
