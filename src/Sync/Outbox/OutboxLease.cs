using System.Collections.Immutable;

namespace Concord.Sync.Outbox;

/// <summary>Messages claimed for delivery by one dispatcher until <see cref="ExpiresAt"/>.</summary>
/// <param name="Token">Proves the holder; pass it to complete or release.</param>
/// <param name="ExpiresAt">When the lease ends and the messages become claimable again.</param>
/// <param name="Messages">The messages, in <see cref="OutboxMessage.Sequence"/> order.</param>
public sealed record OutboxLease(Guid Token, DateTimeOffset ExpiresAt, ImmutableArray<OutboxMessage> Messages)
{
    /// <inheritdoc />
    public bool Equals(OutboxLease? other) => other is not null && Token == other.Token && ExpiresAt == other.ExpiresAt && Messages.SequenceEqual(other.Messages);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(Token, ExpiresAt, Messages.Length);
}
