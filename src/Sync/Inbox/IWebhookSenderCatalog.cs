namespace Concord.Sync.Inbox;

/// <summary>
/// The webhook senders a host receives deliveries from (Concord.AspNetCore registers it from its configured senders), so
/// that a flow declared with <c>OnWebhooks()</c> fails at start when no endpoint fills its inbox.
/// </summary>
public interface IWebhookSenderCatalog
{
    /// <summary>The names of the senders with an endpoint (their inbox entries' <see cref="WebhookInboxEntry.Sender"/>).</summary>
    IReadOnlyCollection<string> Senders { get; }
}
