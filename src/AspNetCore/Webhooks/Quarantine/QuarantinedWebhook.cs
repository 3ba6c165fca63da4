namespace Concord.AspNetCore.Webhooks.Quarantine;

/// <summary>A refused delivery, kept for an operator: why, when, its headers without secrets, and a hash of its body, never the body.</summary>
public sealed record QuarantinedWebhook
{
    /// <summary>The sender's name.</summary>
    public required string Sender { get; init; }

    /// <summary>Why it was refused.</summary>
    public required WebhookRefusalReason Reason { get; init; }

    /// <summary>When it was refused.</summary>
    public required DateTimeOffset At { get; init; }

    /// <summary>The request headers, without credentials (<c>Authorization</c>, cookies) and without any value that holds the sender's secret.</summary>
    public required IReadOnlyDictionary<string, string> Headers { get; init; }

    /// <summary>The SHA-256 of the body as received, lower-case hexadecimal (of the bytes read, for a body over the cap).</summary>
    public required string BodySha256 { get; init; }

    /// <summary>The body's length in bytes, as declared or read.</summary>
    public required long BodyLength { get; init; }

    /// <summary>The source address, if known.</summary>
    public string? RemoteAddress { get; init; }
}
