using Concord.Canonical.Connectors;

namespace Concord.Sync.Cursors;

/// <summary>How far a flow has durably handled a source's change feed.</summary>
public sealed record CursorCheckpoint
{
    /// <summary>The flow name.</summary>
    public required string Flow { get; init; }

    /// <summary>The source connector name.</summary>
    public required string Source { get; init; }

    /// <summary>The cursor to resume from.</summary>
    public required ChangeCursor Cursor { get; init; }

    /// <summary>When the checkpoint was written.</summary>
    public required DateTimeOffset CheckpointedAt { get; init; }

    /// <summary>The source modification time of the last change handled, when known (cursor lag is measured from it).</summary>
    public DateTimeOffset? LastChangeAt { get; init; }
}
