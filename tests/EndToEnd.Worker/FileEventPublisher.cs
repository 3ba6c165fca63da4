using System.Diagnostics;
using System.Globalization;
using CloudNative.CloudEvents;
using Concord.Sync.Outbox;

namespace Concord.EndToEnd.Worker;

/// <summary>
/// Appends every event it is given to a file of this process's own in <paramref name="folder"/>, one line each (<c>timestamp id type subject</c>, the timestamp from <see cref="Stopwatch.GetTimestamp"/>, which every process on the machine shares),
/// written before it returns: what a process killed at any moment has published. One file per process, because .NET appends by
/// seeking to the end rather than with O_APPEND, so processes appending to one file at once overwrite each other's lines.
/// </summary>
public sealed class FileEventPublisher(string folder) : IOutboxPublisher
{
    private readonly string _path = Path.Combine(Directory.CreateDirectory(folder).FullName, $"{Environment.ProcessId}.txt");

    private readonly SemaphoreSlim _gate = new(1, 1);

    /// <inheritdoc />
    public async Task PublishAsync(CloudEvent cloudEvent, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(cloudEvent);
        await _gate.WaitAsync(cancellationToken);
        try
        {
            await File.AppendAllTextAsync(_path, string.Create(CultureInfo.InvariantCulture, $"{Stopwatch.GetTimestamp()} {cloudEvent.Id} {cloudEvent.Type} {cloudEvent.Subject}\n"), cancellationToken);
        }
        finally
        {
            _gate.Release();
        }
    }
}
