using System.Security.Cryptography;
using System.Text;

namespace Concord.Canonical.Idempotency;

/// <summary>
/// The key of one logical write. Derived from (flow, target system, canonical id, source version) so that a retried or
/// replayed change yields the same key and every new version of the source record a new one, whatever its content: a
/// revert (A, then B, then A again) is three writes, not one write already done.
/// </summary>
public readonly record struct IdempotencyKey
{
    private IdempotencyKey(string value) => Value = value;

    /// <summary>The key's text (64 lower-case hex characters when derived).</summary>
    public string Value { get; }

    /// <summary>Derives the key of the write of source version <paramref name="version"/> of <paramref name="canonicalId"/> to <paramref name="targetSystem"/> by <paramref name="flow"/>.</summary>
    /// <param name="flow">The flow name.</param>
    /// <param name="targetSystem">The target connector name.</param>
    /// <param name="canonicalId">The customer's canonical id.</param>
    /// <param name="version">The source version written (<see cref="Provenance.SourceVersion"/>, or the source's modification time).</param>
    /// <returns>The key: SHA-256 over the four parts, each length-prefixed so no two tuples collide.</returns>
    public static IdempotencyKey Derive(string flow, string targetSystem, string canonicalId, string version)
    {
        ArgumentException.ThrowIfNullOrEmpty(flow);
        ArgumentException.ThrowIfNullOrEmpty(targetSystem);
        ArgumentException.ThrowIfNullOrEmpty(canonicalId);
        ArgumentException.ThrowIfNullOrEmpty(version);
        var text = string.Create(
            System.Globalization.CultureInfo.InvariantCulture,
            $"{flow.Length}:{flow}|{targetSystem.Length}:{targetSystem}|{canonicalId.Length}:{canonicalId}|{version.Length}:{version}");
        return new IdempotencyKey(Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text))));
    }

    /// <summary>Wraps a key the caller chose (for example one received from a webhook sender).</summary>
    /// <param name="value">The key, 1 to 200 characters.</param>
    /// <returns>The key.</returns>
    public static IdempotencyKey From(string value)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(value);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(value.Length, 200, nameof(value));
        return new IdempotencyKey(value);
    }

    /// <inheritdoc />
    public override string ToString() => Value ?? string.Empty;
}
