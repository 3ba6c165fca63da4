namespace Concord.AspNetCore.Webhooks;

/// <summary>How a sender signs its deliveries, and so how they are verified and read.</summary>
public enum WebhookSenderKind
{
    /// <summary>HubSpot app webhooks: signature v3 (<c>X-HubSpot-Signature-v3</c>, HMAC-SHA256 of method, URI, body and timestamp).</summary>
    HubSpot,

    /// <summary>Zendesk webhooks: <c>X-Zendesk-Webhook-Signature</c>, HMAC-SHA256 of timestamp and body.</summary>
    Zendesk,

    /// <summary>Any sender following the Standard Webhooks specification (<c>webhook-id</c>, <c>webhook-timestamp</c>, <c>webhook-signature</c>).</summary>
    StandardWebhooks,

    /// <summary>Odoo automation webhooks: Odoo signs nothing, so a secret travels in the URL, optionally with a source-address allow-list.</summary>
    Odoo,

    /// <summary>Salesforce outbound messages (SOAP): the organization id is checked and the SOAP acknowledgement returned.</summary>
    SalesforceOutboundMessage,
}
