namespace Concord.Sync.Retention;

/// <summary>What a purge may delete: state that finished before each cut-off (null: none of that kind).</summary>
/// <param name="DeliveredEvents">Events delivered before this time.</param>
/// <param name="FinishedIdempotencyKeys">Completed or failed idempotency keys last changed before this time.</param>
/// <param name="ResolvedDeadLetters">Dead letters resolved or discarded before this time.</param>
/// <param name="AuditEntries">Audit entries written before this time.</param>
public sealed record StatePurgeCutoffs(DateTimeOffset? DeliveredEvents, DateTimeOffset? FinishedIdempotencyKeys, DateTimeOffset? ResolvedDeadLetters, DateTimeOffset? AuditEntries)
{
    /// <summary>
    /// Events enqueued before this time and still not delivered (no publisher took them); null keeps them. A store
    /// leaves events under a live claim alone.
    /// </summary>
    public DateTimeOffset? UndeliveredEvents { get; init; }

    /// <summary>
    /// Webhook inbox entries a flow completed before this time; null keeps them. Their keys went with them, so a sender's
    /// retry of such an event after the purge is taken as new (a hint read again, written only if it changes something).
    /// Entries still pending stay whatever their age.
    /// </summary>
    public DateTimeOffset? CompletedWebhookEvents { get; init; }
}
