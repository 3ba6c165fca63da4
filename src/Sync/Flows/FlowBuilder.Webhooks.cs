namespace Concord.Sync.Flows;

/// <summary>Flows that react to webhooks.</summary>
public sealed partial class FlowBuilder
{
    /// <summary>The poll interval a flow that reacts to webhooks keeps as its safety net unless told otherwise.</summary>
    private static readonly TimeSpan DefaultSafetyNetPollInterval = TimeSpan.FromMinutes(15);

    /// <summary>
    /// Reacts to webhooks: the pending inbox entries of <paramref name="sender"/> (Concord.AspNetCore's endpoint of that
    /// name stores them) are hints; the flow re-reads the records they name in a batch through its source connector and
    /// handles them like any change (identity, ownership, idempotent writes, audit, outbox), then marks the entries
    /// completed. Polling the change feed continues every <paramref name="safetyNetPollInterval"/> (15 minutes unless
    /// given) and catches whatever a lost delivery missed. Declare it after <see cref="From"/>; a flow whose sender has
    /// no registered endpoint fails at start.
    /// </summary>
    /// <param name="sender">The webhook sender's name; null: the same name as the source connector.</param>
    /// <param name="safetyNetPollInterval">How often the change feed is still polled; null: 15 minutes.</param>
    /// <returns>This builder.</returns>
    public FlowBuilder OnWebhooks(string? sender = null, TimeSpan? safetyNetPollInterval = null)
    {
        if (sender is not null)
        {
            ArgumentException.ThrowIfNullOrWhiteSpace(sender);
        }

        return Add(o =>
        {
            o.ReactsToWebhooks = true;
            o.WebhookSender = sender;
            o.PollInterval = safetyNetPollInterval ?? DefaultSafetyNetPollInterval;
        });
    }
}
