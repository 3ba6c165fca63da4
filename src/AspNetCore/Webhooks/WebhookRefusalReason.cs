namespace Concord.AspNetCore.Webhooks;

/// <summary>Why a delivery was refused. The sender is told only 400 or 401; the reason goes to the metric and the quarantine.</summary>
public enum WebhookRefusalReason
{
    /// <summary>A signature header is missing or empty.</summary>
    MissingSignature,

    /// <summary>The signature does not match the body (forged, or signed with another secret).</summary>
    InvalidSignature,

    /// <summary>The signed timestamp is missing, unreadable, or outside the tolerance (stale or in the future).</summary>
    StaleTimestamp,

    /// <summary>The secret in the URL is wrong (Odoo).</summary>
    InvalidSecret,

    /// <summary>The source address is not on the sender's allow-list.</summary>
    AddressNotAllowed,

    /// <summary>The outbound message names another Salesforce organization.</summary>
    WrongOrganization,

    /// <summary>The body is larger than the cap.</summary>
    BodyTooLarge,

    /// <summary>The content type is not the one the sender uses.</summary>
    UnsupportedContentType,

    /// <summary>The body passed verification but cannot be read as the sender's payload, or names no event Concord knows.</summary>
    MalformedBody,
}
