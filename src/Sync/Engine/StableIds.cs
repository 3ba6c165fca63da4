using System.Security.Cryptography;
using System.Text;
using Concord.Canonical;

namespace Concord.Sync.Engine;

/// <summary>
/// Deterministic ids. A new customer's canonical id is derived from the source record that introduced it, so that a run
/// interrupted before its identity links were committed assigns the same id again (and the same idempotency keys).
/// </summary>
internal static class StableIds
{
    public static string CanonicalIdFor(ExternalRef source) => FormatGuid(Hash("canonical", source.System, source.Id));

    public static string DeadLetterIdFor(string flow, string sourceSystem, string sourceExternalId) =>
        Convert.ToHexStringLower(Hash("dead-letter", flow, sourceSystem, sourceExternalId).AsSpan(0, 16));

    private static byte[] Hash(params string[] parts)
    {
        var builder = new StringBuilder();
        foreach (var part in parts)
        {
            builder.Append(part.Length).Append(':').Append(part).Append('|');
        }

        return SHA256.HashData(Encoding.UTF8.GetBytes(builder.ToString()));
    }

    // A version-8 (name-based, custom hash) UUID in its usual text form.
    private static string FormatGuid(byte[] hash)
    {
        Span<byte> bytes = stackalloc byte[16];
        hash.AsSpan(0, 16).CopyTo(bytes);
        bytes[6] = (byte)((bytes[6] & 0x0F) | 0x80);
        bytes[8] = (byte)((bytes[8] & 0x3F) | 0x80);
        return new Guid(bytes, bigEndian: true).ToString("D");
    }
}
