using Concord.Canonical.Errors;
using Microsoft.Extensions.Logging;

namespace Concord.Messaging.RabbitMq.Diagnostics;

/// <summary>Source-generated log messages of the RabbitMQ publisher. None carries the broker URI (it holds the password).</summary>
internal static partial class Log
{
    [LoggerMessage(1, LogLevel.Information, "Publishing Concord events to RabbitMQ at {Endpoint}, exchange '{Exchange}' (publisher confirms on).")]
    public static partial void Connected(ILogger logger, string endpoint, string exchange);

    [LoggerMessage(2, LogLevel.Warning, "RabbitMQ connection to {Endpoint} lost (reply code {ReplyCode}, initiated by {Initiator}); recovering. Events stay in the outbox meanwhile.")]
    public static partial void ConnectionLost(ILogger logger, string endpoint, ushort replyCode, string initiator);

    [LoggerMessage(3, LogLevel.Information, "RabbitMQ connection to {Endpoint} recovered.")]
    public static partial void Recovered(ILogger logger, string endpoint);

    [LoggerMessage(4, LogLevel.Warning, "RabbitMQ returned event {EventId}: no queue is bound to exchange '{Exchange}' for routing key '{RoutingKey}'; it stays in the outbox.")]
    public static partial void EventReturned(ILogger logger, string? eventId, string routingKey, string exchange);

    [LoggerMessage(5, LogLevel.Warning, "RabbitMQ {Operation} at {Endpoint} failed ({Category}, {ExceptionType}); events stay in the outbox.")]
    public static partial void BrokerFailed(ILogger logger, string operation, string endpoint, ErrorCategory category, string exceptionType);
}
