namespace Concord.Sync.Storage;

/// <summary>
/// The right of one host instance to read a change feed: the lease on the cursor of a (flow, source), held by
/// <see cref="Holder"/> until <see cref="ExpiresAt"/> unless renewed. <see cref="Token"/> is the fencing token: it grows on
/// every takeover, and a state commit made under a lease whose token is no longer the current one is refused
/// (<see cref="FeedLeaseLostException"/>), so a reader that was taken over cannot move the cursor.
/// </summary>
public sealed record FeedLease
{
    /// <summary>The flow name.</summary>
    public required string Flow { get; init; }

    /// <summary>The source connector name.</summary>
    public required string Source { get; init; }

    /// <summary>The instance that holds the lease (host name, process id and a random part).</summary>
    public required string Holder { get; init; }

    /// <summary>The fencing token: 1 for the first holder, one more on every takeover; unchanged by renewals.</summary>
    public required long Token { get; init; }

    /// <summary>When the lease runs out unless renewed.</summary>
    public required DateTimeOffset ExpiresAt { get; init; }
}
