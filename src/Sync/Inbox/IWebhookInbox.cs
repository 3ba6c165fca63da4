namespace Concord.Sync.Inbox;

/// <summary>
/// The durable inbox of verified webhook events, unique on (<see cref="WebhookInboxEntry.Sender"/>,
/// <see cref="WebhookInboxEntry.Key"/>): a sender's retry of an event already stored adds nothing. The endpoint answers
/// 2xx only after <see cref="AddAsync"/> returned, so a store must have made the entries durable by then. A durable store
/// keeps the keys of completed entries at least as long as senders retry (HubSpot: 24 hours).
/// </summary>
public interface IWebhookInbox
{
    /// <summary>Stores the entries not stored yet; returns how many were new. Durable when it returns.</summary>
    /// <param name="entries">The events of one delivery.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The number of entries that were not in the inbox yet.</returns>
    ValueTask<int> AddAsync(IReadOnlyList<WebhookInboxEntry> entries, CancellationToken cancellationToken = default);

    /// <summary>The oldest entries of <paramref name="sender"/> not completed yet, in the order they were received.</summary>
    /// <param name="sender">The sender's name.</param>
    /// <param name="max">The most entries to return.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>Up to <paramref name="max"/> pending entries.</returns>
    ValueTask<IReadOnlyList<WebhookInboxEntry>> ReadPendingAsync(string sender, int max, CancellationToken cancellationToken = default);

    /// <summary>Marks entries handled; their keys stay, so later retries of the same events are still recognised.</summary>
    /// <param name="sender">The sender's name.</param>
    /// <param name="keys">The keys of the handled entries.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>A task that completes when the entries are marked.</returns>
    ValueTask CompleteAsync(string sender, IEnumerable<string> keys, CancellationToken cancellationToken = default);
}
