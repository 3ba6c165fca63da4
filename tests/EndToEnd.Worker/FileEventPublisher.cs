using CloudNative.CloudEvents;
using Concord.Sync.Outbox;

namespace Concord.EndToEnd.Worker;

/// <summary>Appends every event it is given to a file, one line each (<c>id type subject</c>), flushed before it returns: what a process killed at any moment has published.</summary>
public sealed class FileEventPublisher(string path) : IOutboxPublisher
{
    private readonly SemaphoreSlim _gate = new(1, 1);

    /// <inheritdoc />
    public async Task PublishAsync(CloudEvent cloudEvent, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(cloudEvent);
        await _gate.WaitAsync(cancellationToken);
        try
        {
            await File.AppendAllTextAsync(path, $"{cloudEvent.Id} {cloudEvent.Type} {cloudEvent.Subject}\n", cancellationToken);
        }
        finally
        {
            _gate.Release();
        }
    }
}
