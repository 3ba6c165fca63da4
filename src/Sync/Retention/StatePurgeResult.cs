namespace Concord.Sync.Retention;

/// <summary>How many rows of each kind a purge deleted.</summary>
/// <param name="DeliveredEvents">Delivered outbox events.</param>
/// <param name="FinishedIdempotencyKeys">Completed or failed idempotency keys.</param>
/// <param name="ResolvedDeadLetters">Resolved or discarded dead letters.</param>
/// <param name="AuditEntries">Audit entries.</param>
public sealed record StatePurgeResult(long DeliveredEvents, long FinishedIdempotencyKeys, long ResolvedDeadLetters, long AuditEntries)
{
    /// <summary>Nothing deleted.</summary>
    public static StatePurgeResult None { get; } = new(0, 0, 0, 0);

    /// <summary>Events dropped undelivered after <see cref="StateRetentionOptions.UndeliveredEvents"/>.</summary>
    public long UndeliveredEvents { get; init; }

    /// <summary>Completed webhook inbox entries (with their deduplication keys).</summary>
    public long CompletedWebhookEvents { get; init; }

    /// <summary>The rows deleted in all.</summary>
    public long Total => DeliveredEvents + FinishedIdempotencyKeys + ResolvedDeadLetters + AuditEntries + UndeliveredEvents + CompletedWebhookEvents;
}
