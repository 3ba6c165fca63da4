namespace Concord.Sync.Storage;

/// <summary>
/// Keeps one lease per change feed (flow, source) so that, of all the host instances that share the state, exactly one
/// reads the feed at a time (see <see cref="FeedLease"/>). Implementations are safe for concurrent callers and processes;
/// times come from the store's <see cref="TimeProvider"/>. Every <see cref="IStateCommitter"/> of the same state refuses
/// a change set whose <see cref="StateChangeSet.Lease"/> carries a token that is no longer current.
/// </summary>
public interface IFeedLeaseStore
{
    /// <summary>
    /// Takes the lease of a feed for <paramref name="holder"/> when nobody holds it, when its holder's time has run out, or
    /// when <paramref name="holder"/> already holds it (then it is renewed and keeps its token). A takeover gets the next token.
    /// </summary>
    /// <param name="flow">The flow name.</param>
    /// <param name="source">The source connector name.</param>
    /// <param name="holder">The instance asking.</param>
    /// <param name="duration">How long the lease holds unless renewed.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The lease, or null while another instance holds it.</returns>
    Task<FeedLease?> TryAcquireAsync(string flow, string source, string holder, TimeSpan duration, CancellationToken cancellationToken = default);

    /// <summary>Extends <paramref name="lease"/> by <paramref name="duration"/> from now, when its token is still the current one.</summary>
    /// <param name="lease">The lease held.</param>
    /// <param name="duration">How long the lease holds from now.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The renewed lease, or null when it was taken over (the holder must stop reading).</returns>
    Task<FeedLease?> RenewAsync(FeedLease lease, TimeSpan duration, CancellationToken cancellationToken = default);

    /// <summary>Gives <paramref name="lease"/> back at once (it expires now), when it is still the current one; its token stays, the next holder gets the one after.</summary>
    /// <param name="lease">The lease held.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>A task.</returns>
    Task ReleaseAsync(FeedLease lease, CancellationToken cancellationToken = default);

    /// <summary>Reads the current lease of a feed, expired or not.</summary>
    /// <param name="flow">The flow name.</param>
    /// <param name="source">The source connector name.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The lease, or null when the feed was never leased.</returns>
    Task<FeedLease?> GetAsync(string flow, string source, CancellationToken cancellationToken = default);
}
