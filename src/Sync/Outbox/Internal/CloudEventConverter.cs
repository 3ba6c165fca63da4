using System.Text.Json;
using CloudNative.CloudEvents;

namespace Concord.Sync.Outbox.Internal;

/// <summary>
/// Turns an outbox message into a CloudEvent (spec 1.0) with the correlation id as an extension attribute and, when the
/// event was produced in a trace, the <c>traceparent</c> attribute of the distributed tracing extension.
/// </summary>
internal static class CloudEventConverter
{
    public static readonly CloudEventAttribute CorrelationId = CloudEventAttribute.CreateExtension(CustomerEventTypes.CorrelationIdAttribute, CloudEventAttributeType.String);

    /// <summary>The <c>traceparent</c> attribute of the CloudEvents distributed tracing extension (the SDK no longer ships it).</summary>
    public static readonly CloudEventAttribute TraceParent = CloudEventAttribute.CreateExtension(CustomerEventTypes.TraceParentAttribute, CloudEventAttributeType.String);

    private static readonly CloudEventAttribute[] Extensions = [CorrelationId, TraceParent];

    /// <param name="message">The message.</param>
    /// <param name="traceParent">The trace context to carry (the publish span's), or null for none.</param>
    public static CloudEvent ToCloudEvent(OutboxMessage message, string? traceParent = null)
    {
        ArgumentNullException.ThrowIfNull(message);
        using var document = JsonDocument.Parse(message.Data);
        var cloudEvent = new CloudEvent(CloudEventsSpecVersion.V1_0, Extensions)
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
        if (traceParent is not null)
        {
            cloudEvent[TraceParent] = traceParent;
        }

        return cloudEvent;
    }
}
