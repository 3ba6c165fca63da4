using Concord.AspNetCore.Webhooks;
using Concord.Sync.Inbox;
using Concord.AspNetCore.Webhooks.Internal;
using Concord.AspNetCore.Webhooks.Quarantine;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Microsoft.AspNetCore.Builder;

/// <summary>Maps Concord's webhook endpoints.</summary>
public static class ConcordWebhooksEndpointRouteBuilderExtensions
{
    /// <summary>
    /// Maps one <c>POST</c> endpoint per configured sender under <paramref name="prefix"/>: <c>{prefix}/{sender}</c>, and for
    /// Odoo <c>{prefix}/{sender}/{secret}</c>. Requires <c>AddConcordWebhooks</c>; invalid options throw here, naming the
    /// configuration path.
    /// </summary>
    /// <param name="endpoints">The endpoint route builder (the web application).</param>
    /// <param name="prefix">The path the endpoints share.</param>
    /// <returns>The group of endpoints, to add conventions (rate limiting, host filtering) to.</returns>
    public static RouteGroupBuilder MapConcordWebhooks(this IEndpointRouteBuilder endpoints, string prefix = "/concord/webhooks")
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        ArgumentException.ThrowIfNullOrWhiteSpace(prefix);

        var services = endpoints.ServiceProvider;
        var options = services.GetRequiredService<IOptions<ConcordWebhookOptions>>().Value;
        var inbox = services.GetRequiredService<IWebhookInbox>();
        var quarantine = services.GetRequiredService<IWebhookQuarantine>();
        var metrics = services.GetRequiredService<WebhookMetrics>();
        var time = services.GetRequiredService<TimeProvider>();
        var logger = services.GetRequiredService<ILoggerFactory>().CreateLogger("Concord.AspNetCore.Webhooks");

        var group = endpoints.MapGroup(prefix);
        foreach (var (sender, senderOptions) in options.Senders)
        {
            var endpoint = new WebhookEndpoint(sender, senderOptions, options, inbox, quarantine, metrics, time, logger);
            var pattern = senderOptions.Kind == WebhookSenderKind.Odoo ? sender + "/{secret}" : sender;
            group.MapPost(pattern, (RequestDelegate)endpoint.HandleAsync).WithDisplayName("Concord webhook " + sender).ExcludeFromDescription();
        }

        return group;
    }
}
