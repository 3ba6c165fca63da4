namespace Concord.AspNetCore.Webhooks;

/// <summary>
/// One sender of webhooks (<c>Concord:Webhooks:Senders:&lt;name&gt;</c>): its endpoint is <c>&lt;prefix&gt;/&lt;name&gt;</c>
/// (Odoo: <c>&lt;prefix&gt;/&lt;name&gt;/&lt;secret&gt;</c>).
/// </summary>
public sealed class WebhookSenderOptions
{
    /// <summary>How the sender signs its deliveries. Required.</summary>
    public WebhookSenderKind? Kind { get; set; }

    /// <summary>
    /// The shared secret: HubSpot's app client secret, Zendesk's webhook signing secret, the Standard Webhooks secret
    /// (<c>whsec_</c> and base64), the Odoo URL secret (at least 32 characters). Not used by Salesforce outbound messages.
    /// Comes from configuration or a secret store; never logged.
    /// </summary>
    public string? Secret { get; set; }

    /// <summary>
    /// HubSpot: the public URL HubSpot calls (scheme, host, path, and query if the subscription has one), as set as the
    /// app's target URL. The signature covers it, and it is taken from here, never from proxy-rewritten request data.
    /// </summary>
    public Uri? PublicUrl { get; set; }

    /// <summary>HubSpot: also accept signatures v1 and v2 (no timestamp, plain SHA-256; workflow webhooks and CRM cards). Off by default.</summary>
    public bool AllowLegacyHubSpotSignatures { get; set; }

    /// <summary>Salesforce outbound messages: the organization id (15 or 18 characters) every message must name. Required for that kind.</summary>
    public string? OrganizationId { get; set; }

    /// <summary>
    /// Source addresses allowed to call this endpoint: single addresses or CIDR ranges (<c>203.0.113.0/24</c>). Empty: any
    /// address. Behind a proxy, configure the host's forwarded-headers handling so the remote address is the sender's.
    /// </summary>
    public IList<string> AllowedAddresses { get; } = [];
}
