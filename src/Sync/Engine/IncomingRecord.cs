using Concord.Canonical;
using Concord.Canonical.Connectors;
using Concord.Sync.DeadLetters;

namespace Concord.Sync.Engine;

/// <summary>One record entering the engine: a change from the feed, a submitted record, or a dead letter fed back.</summary>
/// <param name="Kind">Upserted or deleted.</param>
/// <param name="SourceExternalId">The record's id in the source.</param>
/// <param name="Customer">The record, or null.</param>
/// <param name="ModifiedAt">When the source changed it; null when unknown (a dead letter stored without it).</param>
/// <param name="Cursor">The cursor after it (feed records only).</param>
internal sealed record IncomingRecord(ChangeKind Kind, string SourceExternalId, CanonicalCustomer? Customer, DateTimeOffset? ModifiedAt, ChangeCursor? Cursor)
{
    /// <summary>Set when the record comes from the dead-letter store (a retry or a replay).</summary>
    public DeadLetter? FromDeadLetter { get; init; }

    /// <summary>For <see cref="ChangeKind.Merged"/>: the survivor's id in the source system.</summary>
    public string? MergedIntoExternalId { get; init; }

    /// <summary>A payload that could not be read (a dead letter whose JSON is not a customer): the reason.</summary>
    public string? UnreadableReason { get; init; }
}
