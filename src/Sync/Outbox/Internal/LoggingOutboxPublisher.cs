using CloudNative.CloudEvents;
using Microsoft.Extensions.Logging;

namespace Concord.Sync.Outbox.Internal;

/// <summary>
/// The default publisher when the host plugs none in: it accepts every event and logs its id and type at debug level
/// (never its data). Replace it with <c>services.AddSingleton&lt;IOutboxPublisher, MyPublisher&gt;()</c>.
/// </summary>
internal sealed partial class LoggingOutboxPublisher(ILogger<LoggingOutboxPublisher> logger) : IOutboxPublisher
{
    public Task PublishAsync(CloudEvent cloudEvent, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(cloudEvent);
        Accepted(logger, cloudEvent.Id ?? string.Empty, cloudEvent.Type ?? string.Empty);
        return Task.CompletedTask;
    }

    [LoggerMessage(EventId = 6050, Level = LogLevel.Debug, Message = "Event {EventId} ({EventType}) accepted by the logging publisher; register an IOutboxPublisher to deliver events")]
    private static partial void Accepted(ILogger logger, string eventId, string eventType);
}
