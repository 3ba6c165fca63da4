
namespace Concord.Canonical.Connectors;

/// <summary>One change read from a connector's change feed.</summary>
public sealed record CustomerChange
{
    /// <summary>Upserted, deleted, or merged into another record.</summary>
    public required ChangeKind Kind { get; init; }

    /// <summary>The record's id in the source system.</summary>
    public required string ExternalId { get; init; }

    /// <summary>
    /// For <see cref="ChangeKind.Merged"/>, the id in the source system of the record this one was merged into (the
    /// survivor); null for the other kinds.
    /// </summary>
    public string? MergedIntoExternalId { get; init; }

    /// <summary>The record as it is now; for a deletion or a merge, what the source still returned about it (may be null).</summary>
    public CanonicalCustomer? Customer { get; init; }

    /// <summary>When the source changed it (source clock, UTC).</summary>
    public required DateTimeOffset ModifiedAt { get; init; }

    /// <summary>The cursor to resume from after this change has been handled.</summary>
    public required ChangeCursor Cursor { get; init; }
}
