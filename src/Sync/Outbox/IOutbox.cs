namespace Concord.Sync.Outbox;

/// <summary>
/// Events written with the state change that caused them and delivered at least once, in order per partition
/// (customer), by a dispatcher that claims them with a lease. Implementations are safe for concurrent callers.
/// </summary>
public interface IOutbox
{
    /// <summary>Appends messages, in the given order; the store assigns their sequence. A message whose id is already present is ignored.</summary>
    /// <param name="messages">The messages.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>A task.</returns>
    Task EnqueueAsync(IReadOnlyList<OutboxMessage> messages, CancellationToken cancellationToken = default);

    /// <summary>
    /// Claims up to <paramref name="maxMessages"/> undelivered messages for <paramref name="lease"/>, lowest sequence first.
    /// A message is claimable only when every earlier undelivered message of its partition is claimable too (or in the
    /// same claim), so that a partition is never delivered out of order while another lease holds its head.
    /// </summary>
    /// <param name="maxMessages">The most messages to claim.</param>
    /// <param name="lease">How long the claim holds.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The lease, possibly with no messages.</returns>
    Task<OutboxLease> ClaimAsync(int maxMessages, TimeSpan lease, CancellationToken cancellationToken = default);

    /// <summary>Marks messages of a lease delivered; they are never claimed again.</summary>
    /// <param name="leaseToken">The lease token.</param>
    /// <param name="messageIds">The delivered messages.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>A task.</returns>
    Task CompleteAsync(Guid leaseToken, IReadOnlyCollection<string> messageIds, CancellationToken cancellationToken = default);

    /// <summary>Gives messages of a lease back undelivered (their attempt count grows), so that the next claim takes them again.</summary>
    /// <param name="leaseToken">The lease token.</param>
    /// <param name="messageIds">The messages not delivered.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>A task.</returns>
    Task ReleaseAsync(Guid leaseToken, IReadOnlyCollection<string> messageIds, CancellationToken cancellationToken = default);

    /// <summary>Counts the messages not yet delivered.</summary>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The count.</returns>
    Task<long> CountPendingAsync(CancellationToken cancellationToken = default);
}
