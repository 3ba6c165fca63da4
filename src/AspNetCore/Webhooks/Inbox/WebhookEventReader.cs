using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;
using Concord.AspNetCore.Webhooks.Verification;
using Concord.Sync.Inbox;

namespace Concord.AspNetCore.Webhooks.Inbox;

/// <summary>Reads a verified body into inbox entries, one per event, each keyed on what its sender makes unique. Null: malformed.</summary>
internal static class WebhookEventReader
{
    private static readonly JsonDocumentOptions Options = new() { MaxDepth = 32 };

    public static List<WebhookInboxEntry>? Read(string sender, WebhookSenderKind kind, in WebhookRequest request, DateTimeOffset now)
    {
        try
        {
            return kind switch
            {
                WebhookSenderKind.HubSpot => HubSpot(sender, request.Body, now),
                WebhookSenderKind.Zendesk => Zendesk(sender, request.Body, now),
                WebhookSenderKind.StandardWebhooks => Standard(sender, request, now),
                WebhookSenderKind.Odoo => Odoo(sender, request.Body, now),
                WebhookSenderKind.SalesforceOutboundMessage => Salesforce(sender, request.Body, now),
                _ => null,
            };
        }
        catch (JsonException)
        {
            return null;
        }
    }

    // A JSON array of up to 100 events; eventId alone is not unique, so the key is the composite the facts page gives.
    private static List<WebhookInboxEntry>? HubSpot(string sender, ReadOnlyMemory<byte> body, DateTimeOffset now)
    {
        using var document = JsonDocument.Parse(body, Options);
        if (document.RootElement.ValueKind != JsonValueKind.Array || document.RootElement.GetArrayLength() is 0 or > 100)
        {
            return null;
        }

        var entries = new List<WebhookInboxEntry>();
        foreach (var e in document.RootElement.EnumerateArray())
        {
            if (e.ValueKind != JsonValueKind.Object)
            {
                return null;
            }

            var type = Text(e, "subscriptionType") ?? Text(e, "eventType");
            var portal = Text(e, "portalId");
            var eventId = Text(e, "eventId");
            var occurred = Text(e, "occurredAt");
            if (type is null || portal is null || eventId is null || !long.TryParse(occurred, NumberStyles.None, CultureInfo.InvariantCulture, out var ms)
                || ms > DateTimeOffset.MaxValue.ToUnixTimeMilliseconds())
            {
                return null;
            }

            var objectId = Text(e, "objectId") ?? Text(e, "primaryObjectId");
            entries.Add(new WebhookInboxEntry
            {
                Sender = sender,
                Key = string.Join(':', portal, Text(e, "subscriptionId"), eventId, objectId, occurred, Text(e, "propertyName")),
                EventType = type,
                ObjectType = Text(e, "objectTypeId") switch
                {
                    "0-1" => "contact",
                    "0-2" => "company",
                    { } other => other,
                    null => type.Split('.')[0],
                },
                ObjectId = objectId,
                OccurredAt = DateTimeOffset.FromUnixTimeMilliseconds(ms),
                ChangeSource = Text(e, "changeSource"),
                ReceivedAt = now,
                Payload = e.GetRawText(),
            });
        }

        return entries;
    }

    // One event per delivery: {type, account_id, id, time, subject "zen:organization:42", detail, event}.
    private static List<WebhookInboxEntry>? Zendesk(string sender, ReadOnlyMemory<byte> body, DateTimeOffset now)
    {
        using var document = JsonDocument.Parse(body, Options);
        var e = document.RootElement;
        if (e.ValueKind != JsonValueKind.Object || Text(e, "id") is not { } id || Text(e, "type") is not { } type)
        {
            return null;
        }

        var subject = (Text(e, "subject") ?? string.Empty).Split(':');
        return
        [
            new WebhookInboxEntry
            {
                Sender = sender,
                Key = id,
                EventType = type,
                ObjectType = subject.Length == 3 ? subject[1] : null,
                ObjectId = subject.Length == 3 ? subject[2] : null,
                OccurredAt = DateTimeOffset.TryParse(Text(e, "time"), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var at) ? at : null,
                ReceivedAt = now,
                Payload = e.GetRawText(),
            },
        ];
    }

    // The message id is the key (the same on the sender's retries); the body is a JSON object with an optional type.
    private static List<WebhookInboxEntry>? Standard(string sender, in WebhookRequest request, DateTimeOffset now)
    {
        using var document = JsonDocument.Parse(request.Body, Options);
        var e = document.RootElement;
        if (e.ValueKind != JsonValueKind.Object || request.Header(StandardWebhooksVerifier.IdHeader) is not { } id)
        {
            return null;
        }

        string? objectId = null;
        if (e.TryGetProperty("data", out var data) && data.ValueKind == JsonValueKind.Object)
        {
            objectId = Text(data, "id");
        }

        return
        [
            new WebhookInboxEntry
            {
                Sender = sender,
                Key = id,
                EventType = Text(e, "type"),
                ObjectId = objectId,
                OccurredAt = DateTimeOffset.TryParse(Text(e, "timestamp"), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var at) ? at : null,
                ReceivedAt = now,
                Payload = e.GetRawText(),
            },
        ];
    }

    // {"_action": ..., "_id": 14, "_model": "res.partner", "id": 14, ...}: no event id and no retries, so the body's hash is the key.
    private static List<WebhookInboxEntry>? Odoo(string sender, ReadOnlyMemory<byte> body, DateTimeOffset now)
    {
        using var document = JsonDocument.Parse(body, Options);
        var e = document.RootElement;
        if (e.ValueKind != JsonValueKind.Object || Text(e, "_model") is not { } model || (Text(e, "_id") ?? Text(e, "id")) is not { } id)
        {
            return null;
        }

        return
        [
            new WebhookInboxEntry
            {
                Sender = sender,
                Key = Convert.ToHexStringLower(SHA256.HashData(body.Span)),
                EventType = Text(e, "_action"),
                ObjectType = model,
                ObjectId = id,
                ReceivedAt = now,
                Payload = e.GetRawText(),
            },
        ];
    }

    private static List<WebhookInboxEntry>? Salesforce(string sender, ReadOnlyMemory<byte> body, DateTimeOffset now) =>
        SalesforceOutboundMessage.TryRead(body)?.Notifications.Select(n => new WebhookInboxEntry
        {
            Sender = sender,
            Key = n.Id,
            EventType = "notification",
            ObjectType = n.ObjectType,
            ObjectId = n.ObjectId,
            ReceivedAt = now,
            Payload = n.Xml,
        }).ToList();

    private static string? Text(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) ? value.ValueKind switch
        {
            JsonValueKind.String => value.GetString() is { Length: > 0 } s ? s : null,
            JsonValueKind.Number => value.GetRawText(),
            _ => null,
        } : null;
}
