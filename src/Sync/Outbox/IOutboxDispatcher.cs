namespace Concord.Sync.Outbox;

/// <summary>Delivers pending outbox events to the <see cref="IOutboxPublisher"/>, in order per customer, at least once.</summary>
public interface IOutboxDispatcher
{
    /// <summary>
    /// Claims and publishes pending events until none is left or the publisher fails. An event that fails stays in the
    /// outbox, and so do the later events of its customer, for the next call.
    /// </summary>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>How many events were published.</returns>
    Task<int> DispatchAsync(CancellationToken cancellationToken = default);
}
