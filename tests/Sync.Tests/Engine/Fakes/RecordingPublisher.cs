using CloudNative.CloudEvents;
using Concord.Sync.Outbox;

namespace Concord.Sync.Tests.Engine.Fakes;

/// <summary>An outbox publisher that keeps what it receives and can be told to fail.</summary>
internal sealed class RecordingPublisher : IOutboxPublisher
{
    private readonly Lock _gate = new();
    private readonly List<CloudEvent> _events = [];

    public Func<CloudEvent, bool>? FailWhen { get; set; }

    /// <summary>Released once per published event.</summary>
    public SemaphoreSlim Published { get; } = new(0);

    public IReadOnlyList<CloudEvent> Events
    {
        get
        {
            lock (_gate)
            {
                return [.. _events];
            }
        }
    }

    public Task PublishAsync(CloudEvent cloudEvent, CancellationToken cancellationToken = default)
    {
        if (FailWhen?.Invoke(cloudEvent) == true)
        {
            throw new InvalidOperationException("broker down");
        }

        lock (_gate)
        {
            _events.Add(cloudEvent);
        }

        Published.Release();
        return Task.CompletedTask;
    }
}
