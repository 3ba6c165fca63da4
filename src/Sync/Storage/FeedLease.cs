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

    /// <summary>
    /// The rule every <see cref="IFeedLeaseStore"/> applies when <paramref name="holder"/> asks for a feed whose lease is
    /// <paramref name="current"/>: null while another holder's lease is live; the same token, extended, for the holder
    /// itself; else a takeover with the next token. A store calls it inside the transaction that read
    /// <paramref name="current"/> and writes what it returns.
    /// </summary>
    /// <param name="current">The feed's lease as stored (a live or expired one), or null when it never had one.</param>
    /// <param name="flow">The flow name.</param>
    /// <param name="source">The source connector name.</param>
    /// <param name="holder">The instance asking.</param>
    /// <param name="now">The store's clock.</param>
    /// <param name="duration">How long the lease holds.</param>
    /// <returns>The lease to store and return, or null when the feed is held elsewhere.</returns>
    public static FeedLease? Grant(FeedLease? current, string flow, string source, string holder, DateTimeOffset now, TimeSpan duration)
    {
        ArgumentException.ThrowIfNullOrEmpty(flow);
        ArgumentException.ThrowIfNullOrEmpty(source);
        ArgumentException.ThrowIfNullOrEmpty(holder);
        var live = current is not null && current.ExpiresAt > now;
        if (live && !string.Equals(current!.Holder, holder, StringComparison.Ordinal))
        {
            return null;
        }

        return new FeedLease { Flow = flow, Source = source, Holder = holder, Token = live ? current!.Token : (current?.Token ?? 0) + 1, ExpiresAt = now + duration };
    }
}
