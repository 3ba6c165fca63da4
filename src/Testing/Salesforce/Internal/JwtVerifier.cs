using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace Concord.Testing.Salesforce.Internal;

/// <summary>Checks a JWT bearer assertion as Salesforce does: RS256 signature, iss, sub, aud and exp (at most 3 minutes ahead).</summary>
internal static class JwtVerifier
{
    /// <summary>Returns null when valid, or the OAuth (error, description) pair the token endpoint answers.</summary>
    public static (string Error, string Description)? Verify(string assertion, RSA publicKey, SalesforceSimulatorOptions options, DateTimeOffset now)
    {
        var parts = assertion.Split('.');
        if (parts.Length != 3)
        {
            return ("invalid_grant", "invalid assertion");
        }

        JsonElement header;
        JsonElement claims;
        byte[] signature;
        try
        {
            header = JsonDocument.Parse(Base64Url.DecodeFromChars(parts[0])).RootElement;
            claims = JsonDocument.Parse(Base64Url.DecodeFromChars(parts[1])).RootElement;
            signature = Base64Url.DecodeFromChars(parts[2]);
        }
        catch (Exception ex) when (ex is FormatException or JsonException)
        {
            return ("invalid_grant", "invalid assertion");
        }

        if (!header.TryGetProperty("alg", out var alg) || alg.GetString() != "RS256")
        {
            return ("invalid_grant", "invalid assertion");
        }

        var signed = Encoding.ASCII.GetBytes(parts[0] + "." + parts[1]);
        if (!publicKey.VerifyData(signed, signature, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1))
        {
            return ("invalid_grant", "invalid assertion");
        }

        if (Claim(claims, "iss") != options.ConsumerKey)
        {
            return ("invalid_client_id", "client identifier invalid");
        }

        if (Claim(claims, "aud") != options.JwtAudience)
        {
            return ("invalid_grant", "audience is invalid");
        }

        var subject = Claim(claims, "prn") ?? Claim(claims, "sub");
        if (subject != options.Username)
        {
            return ("invalid_grant", "user hasn't approved this consumer");
        }

        if (!claims.TryGetProperty("exp", out var exp) || !exp.TryGetInt64(out var seconds))
        {
            return ("invalid_grant", "invalid assertion");
        }

        var expires = DateTimeOffset.FromUnixTimeSeconds(seconds);
        if (expires <= now || expires > now + TimeSpan.FromMinutes(3) + TimeSpan.FromSeconds(5))
        {
            return ("invalid_grant", "expired authorization code");
        }

        return null;
    }

    private static string? Claim(JsonElement claims, string name) =>
        claims.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
