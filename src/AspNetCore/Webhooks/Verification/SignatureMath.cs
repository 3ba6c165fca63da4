using System.Security.Cryptography;
using System.Text;

namespace Concord.AspNetCore.Webhooks.Verification;

/// <summary>HMAC and hash helpers that never copy the body and compare in constant time.</summary>
internal static class SignatureMath
{
    public static byte[] HmacSha256(ReadOnlySpan<byte> key, string prefix, ReadOnlySpan<byte> body, string? suffix = null)
    {
        using var hmac = IncrementalHash.CreateHMAC(HashAlgorithmName.SHA256, key);
        AppendUtf8(hmac, prefix);
        hmac.AppendData(body);
        if (suffix is not null)
        {
            AppendUtf8(hmac, suffix);
        }

        return hmac.GetHashAndReset();
    }

    public static byte[] Sha256(string prefix, ReadOnlySpan<byte> body)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        AppendUtf8(hash, prefix);
        hash.AppendData(body);
        return hash.GetHashAndReset();
    }

    /// <summary>Compares a base64 signature with the expected bytes in constant time (a value that is not base64 never matches).</summary>
    public static bool Base64Equals(string? candidate, ReadOnlySpan<byte> expected)
    {
        if (string.IsNullOrEmpty(candidate))
        {
            return false;
        }

        Span<byte> decoded = stackalloc byte[64];
        return Convert.TryFromBase64String(candidate.Trim(), decoded, out var written)
            && CryptographicOperations.FixedTimeEquals(decoded[..written], expected);
    }

    /// <summary>Compares a hexadecimal signature with the expected bytes in constant time.</summary>
    public static bool HexEquals(string? candidate, ReadOnlySpan<byte> expected)
    {
        if (string.IsNullOrEmpty(candidate) || candidate.Length != expected.Length * 2)
        {
            return false;
        }

        Span<byte> decoded = stackalloc byte[64];
        return Convert.FromHexString(candidate.AsSpan().Trim(), decoded, out _, out var written) == System.Buffers.OperationStatus.Done
            && CryptographicOperations.FixedTimeEquals(decoded[..written], expected);
    }

    /// <summary>Compares two secrets in constant time, their lengths included (both are hashed first).</summary>
    public static bool SecretEquals(string? candidate, string expected)
    {
        if (candidate is null)
        {
            return false;
        }

        Span<byte> a = stackalloc byte[32];
        Span<byte> b = stackalloc byte[32];
        SHA256.HashData(Encoding.UTF8.GetBytes(candidate), a);
        SHA256.HashData(Encoding.UTF8.GetBytes(expected), b);
        return CryptographicOperations.FixedTimeEquals(a, b);
    }

    public static bool Within(DateTimeOffset signedAt, DateTimeOffset now, TimeSpan tolerance) =>
        (now - signedAt).Duration() <= tolerance;

    private static void AppendUtf8(IncrementalHash hash, string text)
    {
        if (text.Length > 0)
        {
            hash.AppendData(Encoding.UTF8.GetBytes(text));
        }
    }
}
