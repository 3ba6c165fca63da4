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
    public static OutboxMessage Create(string flow, string correlationId, RecordWork work, string sourceSystem, DateTimeOffset now) => Create(
        flow,
        correlationId,
        work.CanonicalId!,
        sourceSystem,
        work.Incoming.SourceExternalId,
        work.Outcomes.Select(o => (o.Target, o.ExternalId)),
        work.Outcomes.SelectMany(o => o.Changed).Distinct(StringComparer.Ordinal),
        work.Customer!,
        work.IsNewCustomer,
        now);

    /// <summary>The event of one write: the flow and source record it came from, the targets written, the fields changed and the customer announced.</summary>
    public static OutboxMessage Create(
        string flow,
        string correlationId,
        string canonicalId,
        string sourceSystem,
        string? sourceExternalId,
        IEnumerable<(string Target, string ExternalId)> targets,
        IEnumerable<string> changedFields,
        CanonicalCustomer customer,
        bool created,
        DateTimeOffset now)
    {
        var buffer = new ArrayBufferWriter<byte>(1024);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("canonicalId", canonicalId);
            writer.WriteString("flow", flow);
            writer.WriteStartObject("source");
            writer.WriteString("system", sourceSystem);
            writer.WriteString("id", sourceExternalId);
            writer.WriteEndObject();
            writer.WriteStartObject("targets");
            foreach (var (target, externalId) in targets)
            {
                writer.WriteString(target, externalId);
            }

            writer.WriteEndObject();
            writer.WriteStartArray("changedFields");
            foreach (var field in changedFields)
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
            PartitionKey = canonicalId,
            Type = created ? CustomerEventTypes.Created : CustomerEventTypes.Updated,
            Source = "/concord/flows/" + Uri.EscapeDataString(flow),
            Subject = canonicalId,
            Time = now,
            CorrelationId = correlationId,
            TraceParent = Activity.Current is { IdFormat: ActivityIdFormat.W3C } producer ? producer.Id : null,
            Data = Encoding.UTF8.GetString(buffer.WrittenSpan),
        };
    }
}
