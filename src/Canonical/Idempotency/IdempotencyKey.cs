using System.Security.Cryptography;
using System.Text;

namespace Concord.Canonical.Idempotency;

/// <summary>
/// The key of one logical write. Derived from (flow, target system, canonical id, content fingerprint) so that a
/// retried or replayed change yields the same key, and a changed payload yields a new one.
/// </summary>
public readonly record struct IdempotencyKey
{
    private IdempotencyKey(string value) => Value = value;

    /// <summary>The key's text (64 lower-case hex characters when derived).</summary>
    public string Value { get; }

    /// <summary>Derives the key of a write of content <paramref name="fingerprint"/> for <paramref name="canonicalId"/> to <paramref name="targetSystem"/> by <paramref name="flow"/>.</summary>
    /// <param name="flow">The flow name.</param>
    /// <param name="targetSystem">The target connector name.</param>
    /// <param name="canonicalId">The customer's canonical id.</param>
    /// <param name="fingerprint">The content fingerprint of what is written.</param>
    /// <returns>The key: SHA-256 over the four parts, each length-prefixed so no two tuples collide.</returns>
    public static IdempotencyKey Derive(string flow, string targetSystem, string canonicalId, string fingerprint)
    {
        ArgumentException.ThrowIfNullOrEmpty(flow);
        ArgumentException.ThrowIfNullOrEmpty(targetSystem);
        ArgumentException.ThrowIfNullOrEmpty(canonicalId);
        ArgumentException.ThrowIfNullOrEmpty(fingerprint);
        var text = string.Create(
            System.Globalization.CultureInfo.InvariantCulture,
            $"{flow.Length}:{flow}|{targetSystem.Length}:{targetSystem}|{canonicalId.Length}:{canonicalId}|{fingerprint.Length}:{fingerprint}");
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
