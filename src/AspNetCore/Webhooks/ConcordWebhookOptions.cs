namespace Concord.AspNetCore.Webhooks;

/// <summary>The webhook endpoints (<c>Concord:Webhooks</c>), validated when the host starts.</summary>
public sealed class ConcordWebhookOptions
{
    /// <summary>The default largest body accepted: 1 MiB (a HubSpot delivery of 100 events is far smaller).</summary>
    public const int DefaultMaxBodyBytes = 1024 * 1024;

    /// <summary>The senders, by name; each name is a path segment of its endpoint.</summary>
    public IDictionary<string, WebhookSenderOptions> Senders { get; } = new Dictionary<string, WebhookSenderOptions>(StringComparer.Ordinal);

    /// <summary>The largest body accepted, in bytes; a larger one is refused before it is read whole. Default 1 MiB.</summary>
    public int MaxBodyBytes { get; set; } = DefaultMaxBodyBytes;

    /// <summary>How far a signed timestamp may be from now, either way. Default 5 minutes.</summary>
    public TimeSpan TimestampTolerance { get; set; } = TimeSpan.FromMinutes(5);
}
