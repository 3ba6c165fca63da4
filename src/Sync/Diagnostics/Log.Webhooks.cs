using Microsoft.Extensions.Logging;

namespace Concord.Sync.Diagnostics;

/// <summary>The log messages of flows that react to webhooks.</summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 6201, Level = LogLevel.Debug,
        Message = "Flow {Flow} run {CorrelationId} read {Records} records named by {Hints} webhook hints of {Sender}")]
    public static partial void WebhookHintsRead(ILogger logger, string flow, string correlationId, string sender, int hints, int records);

    [LoggerMessage(EventId = 6202, Level = LogLevel.Debug,
        Message = "Flow {Flow} run {CorrelationId} left {Echoes} records named by webhook hints of {Sender} alone: they hold what Concord itself wrote there")]
    public static partial void WebhookEchoesSuppressed(ILogger logger, string flow, string correlationId, string sender, int echoes);
}
