using System.Collections.Concurrent;
using CloudNative.CloudEvents;
using Concord.Sync.Outbox;

namespace Concord.Samples.CustomerSync.Reporting;

/// <summary>
/// The sample's outbox publisher: counts the CloudEvents it receives by type. A real host publishes to a broker or a
/// webhook here; delivery is at least once, so a real publisher de-duplicates on <see cref="CloudEvent.Id"/>.
/// </summary>
internal sealed class EventTally : IOutboxPublisher
{
    private readonly ConcurrentDictionary<string, int> _byType = new(StringComparer.Ordinal);
    private int _received;

    /// <summary>Every event received since the start (snapshots do not reset it).</summary>
    public int Received => Volatile.Read(ref _received);

    public Task PublishAsync(CloudEvent cloudEvent, CancellationToken cancellationToken = default)
    {
        _byType.AddOrUpdate(cloudEvent.Type ?? "?", 1, (_, count) => count + 1);
        Interlocked.Increment(ref _received);
        return Task.CompletedTask;
    }

    public IReadOnlyDictionary<string, int> TakeSnapshot()
    {
        var snapshot = new SortedDictionary<string, int>(_byType, StringComparer.Ordinal);
        _byType.Clear();
        return snapshot;
    }
}
