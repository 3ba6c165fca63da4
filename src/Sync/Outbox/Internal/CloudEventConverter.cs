using System.Text.Json;
using CloudNative.CloudEvents;

namespace Concord.Sync.Outbox.Internal;

/// <summary>Turns an outbox message into a CloudEvent (spec 1.0) with the correlation id as an extension attribute.</summary>
internal static class CloudEventConverter
{
    public static readonly CloudEventAttribute CorrelationId = CloudEventAttribute.CreateExtension(CustomerEventTypes.CorrelationIdAttribute, CloudEventAttributeType.String);

    public static CloudEvent ToCloudEvent(OutboxMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        using var document = JsonDocument.Parse(message.Data);
        var cloudEvent = new CloudEvent(CloudEventsSpecVersion.V1_0, [CorrelationId])
        {
            Id = message.Id,
            Type = message.Type,
            Source = new Uri(message.Source, UriKind.RelativeOrAbsolute),
            Subject = message.Subject,
            Time = message.Time,
            DataContentType = "application/json",
            Data = document.RootElement.Clone(),
        };
        cloudEvent[CorrelationId] = message.CorrelationId;
        return cloudEvent;
    }
}
