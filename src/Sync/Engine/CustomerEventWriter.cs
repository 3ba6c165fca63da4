using System.Buffers;
using System.Diagnostics;
using System.Text;
using System.Text.Json;
using Concord.Canonical;
using Concord.Canonical.Serialization;
using Concord.Sync.Outbox;

namespace Concord.Sync.Engine;

/// <summary>Builds the outbox message of a handled record: <c>customer.created</c> or <c>customer.updated</c>.</summary>
internal static class CustomerEventWriter
{
    public static OutboxMessage Create(string flow, string correlationId, RecordWork work, string sourceSystem, DateTimeOffset now)
    {
        var customer = work.Customer!;
        var buffer = new ArrayBufferWriter<byte>(1024);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("canonicalId", work.CanonicalId);
            writer.WriteString("flow", flow);
            writer.WriteStartObject("source");
            writer.WriteString("system", sourceSystem);
            writer.WriteString("id", work.Incoming.SourceExternalId);
            writer.WriteEndObject();
            writer.WriteStartObject("targets");
            foreach (var outcome in work.Outcomes)
            {
                writer.WriteString(outcome.Target, outcome.ExternalId);
            }

            writer.WriteEndObject();
            writer.WriteStartArray("changedFields");
            foreach (var field in work.Outcomes.SelectMany(o => o.Changed).Distinct(StringComparer.Ordinal))
            {
                writer.WriteStringValue(field);
            }

            writer.WriteEndArray();
            writer.WritePropertyName("customer");
            writer.WriteRawValue(CanonicalJson.SerializeToUtf8Bytes(customer), skipInputValidation: true);
            writer.WriteEndObject();
        }

        return new OutboxMessage
        {
            Id = Guid.CreateVersion7(now).ToString("D"),
            PartitionKey = work.CanonicalId!,
            Type = work.IsNewCustomer ? CustomerEventTypes.Created : CustomerEventTypes.Updated,
            Source = "/concord/flows/" + Uri.EscapeDataString(flow),
            Subject = work.CanonicalId,
            Time = now,
            CorrelationId = correlationId,
            TraceParent = Activity.Current is { IdFormat: ActivityIdFormat.W3C } producer ? producer.Id : null,
            Data = Encoding.UTF8.GetString(buffer.WrittenSpan),
        };
    }
}
