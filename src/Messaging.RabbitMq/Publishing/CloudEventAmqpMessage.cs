using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Json;
using CloudNative.CloudEvents;
using RabbitMQ.Client;

namespace Concord.Messaging.RabbitMq.Publishing;

/// <summary>
/// A CloudEvent as an AMQP 0-9-1 message in binary content mode: the event's data is the body, <c>datacontenttype</c> is
/// the <c>content_type</c> property, and every other attribute is a <c>ce-</c> header (<c>ce-id</c>, <c>ce-type</c>,
/// <c>ce-source</c>, <c>ce-subject</c>, <c>ce-time</c>, <c>ce-correlationid</c>, <c>ce-traceparent</c>). The W3C trace
/// context is also carried as a plain <c>traceparent</c> header, where OpenTelemetry's AMQP instrumentation looks for it.
/// </summary>
internal static class CloudEventAmqpMessage
{
    /// <summary>The prefix of the headers that carry CloudEvent attributes.</summary>
    public const string HeaderPrefix = "ce-";

    /// <summary>The header of the W3C trace context.</summary>
    public const string TraceParentHeader = "traceparent";

    public static BasicProperties ToProperties(CloudEvent cloudEvent, string appId)
    {
        ArgumentNullException.ThrowIfNull(cloudEvent);
        var headers = new Dictionary<string, object?>(StringComparer.Ordinal);
        foreach (var (attribute, value) in cloudEvent.GetPopulatedAttributes())
        {
            if (attribute.Name == "datacontenttype")
            {
                continue; // the content_type property
            }

            var text = attribute.Format(value);
            headers[HeaderPrefix + attribute.Name] = text;
            if (attribute.Name == TraceParentHeader)
            {
                headers[TraceParentHeader] = text;
            }
        }

        headers[HeaderPrefix + "specversion"] = cloudEvent.SpecVersion.VersionId;
        var properties = new BasicProperties
        {
            MessageId = cloudEvent.Id,
            Type = cloudEvent.Type,
            ContentType = cloudEvent.DataContentType,
            DeliveryMode = DeliveryModes.Persistent,
            AppId = appId,
            Headers = headers,
        };
        if (cloudEvent.Time is { } time)
        {
            properties.Timestamp = new AmqpTimestamp(time.ToUnixTimeSeconds());
        }

        return properties;
    }

    /// <summary>The routing key of <paramref name="cloudEvent"/>: its type (<c>customer.updated</c>).</summary>
    public static string RoutingKey(CloudEvent cloudEvent) =>
        cloudEvent.Type ?? throw new ArgumentException("A CloudEvent without a type cannot be routed.", nameof(cloudEvent));

    /// <summary>The event's data as the message body: JSON as UTF-8, text as UTF-8, bytes as they are; none as an empty body.</summary>
    public static ReadOnlyMemory<byte> Body(CloudEvent cloudEvent)
    {
        ArgumentNullException.ThrowIfNull(cloudEvent);
        switch (cloudEvent.Data)
        {
            case null:
                return ReadOnlyMemory<byte>.Empty;
            case JsonElement element:
                var buffer = new ArrayBufferWriter<byte>();
                using (var writer = new Utf8JsonWriter(buffer))
                {
                    element.WriteTo(writer);
                }

                return buffer.WrittenMemory;
            case string text:
                return Encoding.UTF8.GetBytes(text);
            case byte[] bytes:
                return bytes;
            case ReadOnlyMemory<byte> memory:
                return memory;
            default:
                throw new ArgumentException(
                    string.Create(CultureInfo.InvariantCulture, $"CloudEvent {cloudEvent.Id} carries data of type {cloudEvent.Data.GetType().Name}; the RabbitMQ publisher sends JSON (JsonElement), text or bytes."),
                    nameof(cloudEvent));
        }
    }
}
