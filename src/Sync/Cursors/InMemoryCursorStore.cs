using System.Collections.Concurrent;

namespace Concord.Sync.Cursors;

/// <summary>Cursor checkpoints in process memory, for tests and single-run tools.</summary>
internal sealed class InMemoryCursorStore : ICursorStore
{
    private readonly ConcurrentDictionary<(string Flow, string Source), CursorCheckpoint> _checkpoints = new();

    public Task<CursorCheckpoint?> GetAsync(string flow, string source, CancellationToken cancellationToken = default) =>
        Task.FromResult(_checkpoints.TryGetValue((flow, source), out var checkpoint) ? checkpoint : null);

    public Task SaveAsync(CursorCheckpoint checkpoint, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(checkpoint);
        _checkpoints[(checkpoint.Flow, checkpoint.Source)] = checkpoint;
        return Task.CompletedTask;
    }
}
