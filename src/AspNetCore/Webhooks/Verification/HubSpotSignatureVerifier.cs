using System.Globalization;
using System.Text;

namespace Concord.AspNetCore.Webhooks.Verification;

/// <summary>
/// HubSpot signature v3: <c>Base64(HMAC-SHA256(client secret, method + URI + raw body + timestamp))</c> in
/// <c>X-HubSpot-Signature-v3</c>, the timestamp (epoch ms) in <c>X-HubSpot-Request-Timestamp</c>, the URI with only
/// HubSpot's reserved characters percent-decoded. v1 (<c>SHA256(secret + body)</c>) and v2
/// (<c>SHA256(secret + method + URI + body)</c>, no timestamp) only when <c>allowLegacy</c> is set.
/// </summary>
internal sealed class HubSpotSignatureVerifier(string clientSecret, TimeSpan tolerance, bool allowLegacy) : IWebhookVerifier
{
    internal const string SignatureV3Header = "X-HubSpot-Signature-v3";
    internal const string TimestampHeader = "X-HubSpot-Request-Timestamp";
    internal const string LegacySignatureHeader = "X-HubSpot-Signature";
    internal const string LegacyVersionHeader = "X-HubSpot-Signature-Version";

    private readonly byte[] _key = Encoding.UTF8.GetBytes(clientSecret);

    public WebhookRefusalReason? Verify(in WebhookRequest request, DateTimeOffset now)
    {
        if (request.Header(SignatureV3Header) is { } signature)
        {
            var timestamp = request.Header(TimestampHeader);
            if (!long.TryParse(timestamp, NumberStyles.None, CultureInfo.InvariantCulture, out var ms)
                || ms > DateTimeOffset.MaxValue.ToUnixTimeMilliseconds()
                || !SignatureMath.Within(DateTimeOffset.FromUnixTimeMilliseconds(ms), now, tolerance))
            {
                return WebhookRefusalReason.StaleTimestamp;
            }

            var expected = SignatureMath.HmacSha256(_key, request.Method + SignedUri(request.Url), request.Body.Span, timestamp);
            return SignatureMath.Base64Equals(signature, expected) ? null : WebhookRefusalReason.InvalidSignature;
        }

        if (allowLegacy && request.Header(LegacySignatureHeader) is { } legacy)
        {
            var expected = request.Header(LegacyVersionHeader) switch
            {
                "v1" => SignatureMath.Sha256(clientSecret, request.Body.Span),
                "v2" => SignatureMath.Sha256(clientSecret + request.Method + request.Url, request.Body.Span),
                _ => null,
            };
            return expected is not null && SignatureMath.HexEquals(legacy, expected) ? null : WebhookRefusalReason.InvalidSignature;
        }

        return WebhookRefusalReason.MissingSignature;
    }

    /// <summary>The URI as HubSpot signs it: only <c>%3A %2F %3F %40 %21 %24 %27 %28 %29 %2A %2C %3B</c> decoded, every other escape kept.</summary>
    internal static string SignedUri(string uri)
    {
        if (!uri.Contains('%', StringComparison.Ordinal))
        {
            return uri;
        }

        var builder = new StringBuilder(uri.Length);
        for (var i = 0; i < uri.Length; i++)
        {
            if (uri[i] == '%' && i + 2 < uri.Length && Decoded(uri[i + 1], uri[i + 2]) is { } c)
            {
                builder.Append(c);
                i += 2;
            }
            else
            {
                builder.Append(uri[i]);
            }
        }

        return builder.ToString();
    }

    private static char? Decoded(char high, char low) => (char.ToUpperInvariant(high), char.ToUpperInvariant(low)) switch
    {
        ('3', 'A') => ':',
        ('2', 'F') => '/',
        ('3', 'F') => '?',
        ('4', '0') => '@',
        ('2', '1') => '!',
        ('2', '4') => '$',
        ('2', '7') => '\'',
        ('2', '8') => '(',
        ('2', '9') => ')',
        ('2', 'A') => '*',
        ('2', 'C') => ',',
        ('3', 'B') => ';',
        _ => null,
    };
}
