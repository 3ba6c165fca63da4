using Microsoft.Extensions.Logging;

namespace Concord.AspNetCore.Webhooks.Internal;

/// <summary>Webhook log messages: sender names, reasons and counts only, never a body, a header value or a secret.</summary>
internal static partial class WebhookLog
{
    [LoggerMessage(1, LogLevel.Warning, "Webhook delivery to {Sender} refused: {Reason}.")]
    public static partial void Refused(ILogger logger, string sender, string reason);

    [LoggerMessage(2, LogLevel.Debug, "Webhook delivery to {Sender} accepted: {New} new of {Events} events.")]
    public static partial void Accepted(ILogger logger, string sender, int @new, int events);

    [LoggerMessage(3, LogLevel.Error, "Webhook delivery to {Sender} could not be stored; answered 503 so the sender retries.")]
    public static partial void StoreFailed(ILogger logger, string sender, Exception exception);
}
