namespace Concord.AspNetCore.Webhooks.Verification;

/// <summary>Odoo signs nothing: the endpoint's URL carries a secret, compared in constant time (lengths included).</summary>
internal sealed class OdooUrlSecretVerifier(string secret) : IWebhookVerifier
{
    public WebhookRefusalReason? Verify(in WebhookRequest request, DateTimeOffset now) =>
        SignatureMath.SecretEquals(request.RouteSecret, secret) ? null : WebhookRefusalReason.InvalidSecret;
}
