namespace Concord.Sync.Retention;

/// <summary>
/// How long Concord keeps state that has done its job, so that a long-running host's state does not grow without end.
/// A null period keeps that kind of state forever. Open work is never purged: claims still in progress and dead letters
/// waiting for a retry or a replay stay whatever their age; events no publisher has taken stay for
/// <see cref="UndeliveredEvents"/>.
/// </summary>
public sealed class StateRetentionOptions
{
    /// <summary>How long an event is kept after it was delivered; null keeps delivered events.</summary>
    /// <value>The default value is seven days.</value>
    public TimeSpan? DeliveredEvents { get; set; } = TimeSpan.FromDays(7);

    /// <summary>
    /// How long an event that no <see cref="Outbox.IOutboxPublisher"/> has taken (none registered, or one failing all
    /// along) is kept before it is dropped, with a warning naming the count; null keeps undelivered events until they are
    /// delivered, however many accumulate. Events are never marked delivered by anything that did not deliver them.
    /// </summary>
    /// <value>The default value is 30 days.</value>
    public TimeSpan? UndeliveredEvents { get; set; } = TimeSpan.FromDays(30);

    /// <summary>
    /// How long a completed or failed idempotency key is kept after its last change; null keeps them. A change replayed
    /// after its key was purged is written again, which the connectors' natural upserts turn into an update of the same
    /// record, not a duplicate; keep keys at least as long as a change may be replayed.
    /// </summary>
    /// <value>The default value is 90 days.</value>
    public TimeSpan? FinishedIdempotencyKeys { get; set; } = TimeSpan.FromDays(90);

    /// <summary>How long a resolved or discarded dead letter is kept after it was resolved; null keeps them.</summary>
    /// <value>The default value is 30 days.</value>
    public TimeSpan? ResolvedDeadLetters { get; set; } = TimeSpan.FromDays(30);

    /// <summary>How long an audit entry is kept; null (the default) keeps the audit log, which is the record of every change.</summary>
    /// <value>The default value is null.</value>
    public TimeSpan? AuditEntries { get; set; }

    /// <summary>
    /// How long a webhook inbox entry is kept after a flow completed it; null keeps them. The entry's key is what
    /// recognises a sender's retry of the same event, so keep it longer than any sender retries: HubSpot retries for up to
    /// 24 hours, which is also the least this may be. Pending entries are never purged.
    /// </summary>
    /// <value>The default value is seven days.</value>
    public TimeSpan? CompletedWebhookEvents { get; set; } = TimeSpan.FromDays(7);

    /// <summary>How often the hosted service purges; null turns the background purge off (a host can still call <see cref="IStatePurger"/>).</summary>
    /// <value>The default value is six hours.</value>
    public TimeSpan? PurgeInterval { get; set; } = TimeSpan.FromHours(6);

    /// <summary>The cut-offs these periods give at <paramref name="now"/>.</summary>
    /// <param name="now">The current time.</param>
    /// <returns>What is older than each cut-off may go.</returns>
    public StatePurgeCutoffs CutoffsAt(DateTimeOffset now) => new(now - DeliveredEvents, now - FinishedIdempotencyKeys, now - ResolvedDeadLetters, now - AuditEntries)
    {
        UndeliveredEvents = now - UndeliveredEvents,
        CompletedWebhookEvents = now - CompletedWebhookEvents,
    };
}
