using System.Globalization;
using System.Text;

namespace Concord.AspNetCore.Webhooks.Verification;

/// <summary>
/// Zendesk: <c>X-Zendesk-Webhook-Signature</c> = <c>Base64(HMAC-SHA256(signing secret as UTF-8, timestamp + raw body))</c>,
/// the ISO 8601 timestamp in <c>X-Zendesk-Webhook-Signature-Timestamp</c>. Zendesk states no replay window; the
/// tolerance is local.
/// </summary>
internal sealed class ZendeskSignatureVerifier(string signingSecret, TimeSpan tolerance) : IWebhookVerifier
{
    internal const string SignatureHeader = "X-Zendesk-Webhook-Signature";
    internal const string TimestampHeader = "X-Zendesk-Webhook-Signature-Timestamp";

    /// <summary>The secret Zendesk signs test deliveries with before a webhook exists; never accepted in configuration.</summary>
    internal const string TestOnlySecret = "dGhpc19zZWNyZXRfaXNfZm9yX3Rlc3Rpbmdfb25seQ==";

    private readonly byte[] _key = Encoding.UTF8.GetBytes(signingSecret); // the string as shown, not base64-decoded

    public WebhookRefusalReason? Verify(in WebhookRequest request, DateTimeOffset now)
    {
        if (request.Header(SignatureHeader) is not { } signature)
        {
            return WebhookRefusalReason.MissingSignature;
        }

        var timestamp = request.Header(TimestampHeader);
        if (!DateTimeOffset.TryParse(timestamp, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var signedAt)
            || !SignatureMath.Within(signedAt, now, tolerance))
        {
            return WebhookRefusalReason.StaleTimestamp;
        }

        var expected = SignatureMath.HmacSha256(_key, timestamp!, request.Body.Span);
        return SignatureMath.Base64Equals(signature, expected) ? null : WebhookRefusalReason.InvalidSignature;
    }
}
