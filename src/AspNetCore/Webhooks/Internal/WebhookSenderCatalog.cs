using Concord.Sync.Inbox;
using Microsoft.Extensions.Options;

namespace Concord.AspNetCore.Webhooks.Internal;

/// <summary>The configured senders, for flows that react to webhooks to check at start that an endpoint fills their inbox.</summary>
internal sealed class WebhookSenderCatalog(IOptions<ConcordWebhookOptions> options) : IWebhookSenderCatalog
{
    public IReadOnlyCollection<string> Senders => [.. options.Value.Senders.Keys];
}
