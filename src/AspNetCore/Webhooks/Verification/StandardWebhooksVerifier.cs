using System.Globalization;

namespace Concord.AspNetCore.Webhooks.Verification;

/// <summary>
/// Standard Webhooks: <c>webhook-signature</c> holds space-separated <c>v1,&lt;base64&gt;</c> entries, each
/// <c>HMAC-SHA256(secret, webhook-id + "." + webhook-timestamp + "." + raw body)</c>; the secret is <c>whsec_</c> and
/// base64; the timestamp is epoch seconds. One matching entry suffices (senders list several while rotating secrets).
/// </summary>
internal sealed class StandardWebhooksVerifier(string secret, TimeSpan tolerance) : IWebhookVerifier
{
    internal const string IdHeader = "webhook-id";
    internal const string TimestampHeader = "webhook-timestamp";
    internal const string SignatureHeader = "webhook-signature";
    internal const string SecretPrefix = "whsec_";

    private readonly byte[] _key = DecodeSecret(secret) ?? throw new ArgumentException("The Standard Webhooks secret is not base64.", nameof(secret));

    public WebhookRefusalReason? Verify(in WebhookRequest request, DateTimeOffset now)
    {
        if (request.Header(SignatureHeader) is not { } signatures || request.Header(IdHeader) is not { } id)
        {
            return WebhookRefusalReason.MissingSignature;
        }

        var timestamp = request.Header(TimestampHeader);
        if (!long.TryParse(timestamp, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds)
            || seconds > DateTimeOffset.MaxValue.ToUnixTimeSeconds()
            || !SignatureMath.Within(DateTimeOffset.FromUnixTimeSeconds(seconds), now, tolerance))
        {
            return WebhookRefusalReason.StaleTimestamp;
        }

        var expected = SignatureMath.HmacSha256(_key, id + "." + timestamp + ".", request.Body.Span);
        var matched = false;
        foreach (var entry in signatures.Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            // Every entry is compared (no early exit), so the time taken does not tell which one matched.
            if (entry.StartsWith("v1,", StringComparison.Ordinal) && SignatureMath.Base64Equals(entry[3..], expected))
            {
                matched = true;
            }
        }

        return matched ? null : WebhookRefusalReason.InvalidSignature;
    }

    internal static byte[]? DecodeSecret(string secret)
    {
        var encoded = secret.StartsWith(SecretPrefix, StringComparison.Ordinal) ? secret[SecretPrefix.Length..] : secret;
        var buffer = new byte[(encoded.Length * 3 / 4) + 3];
        return Convert.TryFromBase64String(encoded, buffer, out var written) && written > 0 ? buffer[..written] : null;
    }
}
