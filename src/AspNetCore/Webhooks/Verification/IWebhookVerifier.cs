namespace Concord.AspNetCore.Webhooks.Verification;

/// <summary>Checks that a delivery comes from its sender, on the raw body bytes, before anything parses it.</summary>
internal interface IWebhookVerifier
{
    /// <summary>Null when the delivery is authentic and fresh; otherwise why it is refused.</summary>
    WebhookRefusalReason? Verify(in WebhookRequest request, DateTimeOffset now);
}
