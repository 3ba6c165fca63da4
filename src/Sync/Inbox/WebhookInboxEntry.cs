namespace Concord.Sync.Inbox;

/// <summary>
/// One verified webhook event (Concord.AspNetCore's endpoints write them), stored before the sender was answered. It is a hint: the flow re-reads the named record through
/// its connector rather than trusting the payload.
/// </summary>
public sealed record WebhookInboxEntry
{
    /// <summary>The sender's name (its endpoint's path segment).</summary>
    public required string Sender { get; init; }

    /// <summary>
    /// What the sender makes unique about the event, the deduplication key: HubSpot
    /// <c>portalId:subscriptionId:eventId:objectId:occurredAt:propertyName</c> (its event id alone is not unique), Zendesk
    /// the event <c>id</c>, Standard Webhooks <c>webhook-id</c>, Salesforce the notification id, Odoo the SHA-256 of the body.
    /// </summary>
    public required string Key { get; init; }

    /// <summary>The event type as the sender names it (<c>contact.propertyChange</c>, <c>zen:event-type:organization.created</c>, ...), if it names one.</summary>
    public string? EventType { get; init; }

    /// <summary>The type of the record the event is about (<c>company</c>, <c>organization</c>, <c>Account</c>, <c>res.partner</c>), if known.</summary>
    public string? ObjectType { get; init; }

    /// <summary>The record's id in the sender's system, if the event names one.</summary>
    public string? ObjectId { get; init; }

    /// <summary>When the sender says the change happened, if it says.</summary>
    public DateTimeOffset? OccurredAt { get; init; }

    /// <summary>What made the change, as the sender reports it (HubSpot <c>changeSource</c>), for echo suppression.</summary>
    public string? ChangeSource { get; init; }

    /// <summary>When the endpoint received it.</summary>
    public required DateTimeOffset ReceivedAt { get; init; }

    /// <summary>The event as received (its JSON, or the notification's XML), after verification.</summary>
    public required string Payload { get; init; }
}
