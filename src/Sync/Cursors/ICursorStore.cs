namespace Concord.Sync.Cursors;

/// <summary>Keeps one change-feed checkpoint per (flow, source). Implementations are safe for concurrent callers.</summary>
public interface ICursorStore
{
    /// <summary>Reads the checkpoint of <paramref name="flow"/> for <paramref name="source"/>.</summary>
    /// <param name="flow">The flow name.</param>
    /// <param name="source">The source connector name.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The checkpoint, or null when the flow has not read that source yet.</returns>
    Task<CursorCheckpoint?> GetAsync(string flow, string source, CancellationToken cancellationToken = default);

    /// <summary>Writes (replaces) the checkpoint of its flow and source.</summary>
    /// <param name="checkpoint">The checkpoint.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>A task.</returns>
    Task SaveAsync(CursorCheckpoint checkpoint, CancellationToken cancellationToken = default);
}
