using CloudNative.CloudEvents;

namespace Concord.Sync.Outbox;

/// <summary>
/// Delivers outbox events to wherever the host wants them (a broker, a webhook, a log). Delivery is at least once:
/// a publisher may see the same event id again after a crash and should be idempotent on <see cref="CloudEvent.Id"/>.
/// </summary>
public interface IOutboxPublisher
{
    /// <summary>Publishes one event; throwing leaves it (and the later events of its customer) in the outbox for the next attempt.</summary>
    /// <param name="cloudEvent">The event.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>A task that completes once the event is accepted downstream.</returns>
    Task PublishAsync(CloudEvent cloudEvent, CancellationToken cancellationToken = default);
}
