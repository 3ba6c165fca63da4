using System.Text.Json;
using CloudNative.CloudEvents;
using Concord.Sync.Outbox;

namespace Concord.Soak.Runner;

/// <summary>An event as the soak's publisher received it: the CloudEvent's facts and what its data announces.</summary>
/// <param name="Id">The CloudEvent id.</param>
/// <param name="Type">customer.created or customer.updated.</param>
/// <param name="Subject">The canonical id.</param>
/// <param name="Flow">The flow that produced it.</param>
/// <param name="CorrelationId">The correlation id of the run that produced it.</param>
/// <param name="SourceId">The record's id in the flow's source.</param>
/// <param name="TargetId">The record's id in Odoo, or null.</param>
/// <param name="ChangedFields">The field groups the write changed.</param>
/// <param name="Name">The customer's name in the event.</param>
/// <param name="Email">The customer's first email in the event, or null.</param>
/// <param name="Contacts">The customer's contacts in the event: email and name.</param>
internal sealed record PublishedEvent(
    string Id,
    string Type,
    string Subject,
    string Flow,
    string CorrelationId,
    string? SourceId,
    string? TargetId,
    IReadOnlyList<string> ChangedFields,
    string? Name,
    string? Email,
    IReadOnlyList<(string Email, string Name)> Contacts)
{
    public bool IsCreated => Type == CustomerEventTypes.Created;

    /// <summary>Whether the event announces <paramref name="field"/>: a creation announces the whole customer, an update the groups it changed.</summary>
    public bool Announces(string field) => IsCreated || ChangedFields.Contains(field);
}

/// <summary>
/// The worker's <see cref="IOutboxPublisher"/>: appends each event as one JSON line to a file, written through before it
/// returns, so the file holds what a process killed at any moment had published. <see cref="Read"/> parses it back.
/// </summary>
internal sealed class EventLog : IOutboxPublisher, IDisposable
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly FileStream _file;

    public EventLog(string path)
    {
        _file = new FileStream(path, FileMode.Append, FileAccess.Write, FileShare.ReadWrite, 1, FileOptions.None);
    }

    public async Task PublishAsync(CloudEvent cloudEvent, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(cloudEvent);
        var line = Serialize(cloudEvent);
        await _gate.WaitAsync(cancellationToken);
        try
        {
            await _file.WriteAsync(line, cancellationToken);
            await _file.FlushAsync(cancellationToken);
        }
        finally
        {
            _gate.Release();
        }
    }

    public void Dispose()
    {
        _file.Dispose();
        _gate.Dispose();
    }

    /// <summary>Every event in the file, in the order it was published (a line cut short by a kill is skipped).</summary>
    public static List<PublishedEvent> Read(string path)
    {
        var events = new List<PublishedEvent>();
        if (!File.Exists(path))
        {
            return events;
        }

        foreach (var line in File.ReadLines(path))
        {
            if (string.IsNullOrWhiteSpace(line))
            {
                continue;
            }

            JsonDocument document;
            try
            {
                document = JsonDocument.Parse(line);
            }
            catch (JsonException)
            {
                continue;
            }

            using (document)
            {
                var root = document.RootElement;
                events.Add(new PublishedEvent(
                    root.GetProperty("id").GetString()!,
                    root.GetProperty("type").GetString()!,
                    root.GetProperty("subject").GetString()!,
                    root.GetProperty("flow").GetString()!,
                    root.GetProperty("correlationId").GetString()!,
                    Text(root, "sourceId"),
                    Text(root, "targetId"),
                    [.. root.GetProperty("changed").EnumerateArray().Select(e => e.GetString()!)],
                    Text(root, "name"),
                    Text(root, "email"),
                    [.. root.GetProperty("contacts").EnumerateArray().Select(c => (c[0].GetString()!, c[1].GetString()!))]));
            }
        }

        return events;
    }

    private static string? Text(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static byte[] Serialize(CloudEvent cloudEvent)
    {
        var data = cloudEvent.Data is JsonElement element ? element : JsonSerializer.SerializeToElement(cloudEvent.Data?.ToString());
        var customer = data.TryGetProperty("customer", out var c) ? c : default;
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("id", cloudEvent.Id);
            writer.WriteString("type", cloudEvent.Type);
            writer.WriteString("subject", cloudEvent.Subject);
            writer.WriteString("flow", data.TryGetProperty("flow", out var flow) ? flow.GetString() : null);
            writer.WriteString("correlationId", cloudEvent[CustomerEventTypes.CorrelationIdAttribute]?.ToString());
            writer.WriteString("sourceId", data.TryGetProperty("source", out var source) && source.TryGetProperty("id", out var sourceId) ? sourceId.GetString() : null);
            writer.WriteString("targetId", data.TryGetProperty("targets", out var targets) && targets.TryGetProperty("odoo", out var odoo) ? odoo.GetString() : null);
            writer.WriteStartArray("changed");
            if (data.TryGetProperty("changedFields", out var changed))
            {
                foreach (var field in changed.EnumerateArray())
                {
                    writer.WriteStringValue(field.GetString());
                }
            }

            writer.WriteEndArray();
            writer.WriteString("name", customer.ValueKind == JsonValueKind.Object && customer.TryGetProperty("name", out var name) ? name.GetString() : null);
            writer.WriteString("email", customer.ValueKind == JsonValueKind.Object ? FirstEmail(customer) : null);
            writer.WriteStartArray("contacts");
            if (customer.ValueKind == JsonValueKind.Object && customer.TryGetProperty("contacts", out var contacts))
            {
                foreach (var contact in contacts.EnumerateArray())
                {
                    if (FirstEmail(contact) is { } email)
                    {
                        writer.WriteStartArray();
                        writer.WriteStringValue(email);
                        writer.WriteStringValue(contact.TryGetProperty("name", out var contactName) ? contactName.GetString() : string.Empty);
                        writer.WriteEndArray();
                    }
                }
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
        }

        buffer.WriteByte((byte)'\n');
        return buffer.ToArray();
    }

    private static string? FirstEmail(JsonElement record) =>
        record.TryGetProperty("emails", out var emails) && emails.ValueKind == JsonValueKind.Array && emails.GetArrayLength() > 0
        && emails[0].TryGetProperty("address", out var address)
            ? address.GetString()
            : null;
}
