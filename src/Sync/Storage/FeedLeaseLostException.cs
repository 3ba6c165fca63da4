using System.Globalization;
using Concord.Canonical.Errors;

namespace Concord.Sync.Storage;

/// <summary>
/// A state commit made under a feed lease that another instance has taken over since (its fencing token is no longer
/// the current one): nothing of the change set was written. The reader stops reading; the flow tries to acquire the
/// lease again on its next run. Category <see cref="ErrorCategory.Conflict"/>.
/// </summary>
public sealed class FeedLeaseLostException : ConcordException
{
    /// <summary>Creates the exception for <paramref name="lease"/>.</summary>
    /// <param name="lease">The lease the commit was made under.</param>
    /// <param name="currentToken">The current token of the feed, or null when the feed has no lease.</param>
    public FeedLeaseLostException(FeedLease lease, long? currentToken)
        : base(ErrorCategory.Conflict, Describe(lease, currentToken))
    {
        ArgumentNullException.ThrowIfNull(lease);
        Lease = lease;
        CurrentToken = currentToken;
        Operation = "commit";
    }

    /// <summary>Creates the exception with <paramref name="message"/>.</summary>
    /// <param name="message">The message.</param>
    public FeedLeaseLostException(string message)
        : base(ErrorCategory.Conflict, message)
    {
    }

    /// <summary>Creates the exception.</summary>
    public FeedLeaseLostException()
        : this("The feed lease was taken over by another instance.")
    {
    }

    /// <summary>Creates the exception with <paramref name="message"/> and a cause.</summary>
    /// <param name="message">The message.</param>
    /// <param name="innerException">The cause.</param>
    public FeedLeaseLostException(string message, Exception innerException)
        : base(ErrorCategory.Conflict, message, innerException)
    {
    }

    /// <summary>The lease the refused commit was made under, when known.</summary>
    public FeedLease? Lease { get; }

    /// <summary>The feed's current fencing token, or null when it has no lease (or it is not known).</summary>
    public long? CurrentToken { get; }

    /// <summary>
    /// Throws unless <paramref name="lease"/> is the feed's current lease (<paramref name="current"/>, as read inside the
    /// commit's transaction): same token, same holder. Every store's committer calls it before writing a change set made
    /// under a lease.
    /// </summary>
    /// <param name="lease">The lease the commit is made under.</param>
    /// <param name="current">The feed's lease as stored now, or null when it has none.</param>
    /// <exception cref="FeedLeaseLostException">The lease was taken over (or the feed has no lease).</exception>
    public static void ThrowIfTakenOver(FeedLease lease, FeedLease? current)
    {
        ArgumentNullException.ThrowIfNull(lease);
        if (current is null || current.Token != lease.Token || !string.Equals(current.Holder, lease.Holder, StringComparison.Ordinal))
        {
            throw new FeedLeaseLostException(lease, current?.Token);
        }
    }

    private static string Describe(FeedLease lease, long? currentToken)
    {
        ArgumentNullException.ThrowIfNull(lease);
        return $"The lease of flow '{lease.Flow}' on feed '{lease.Source}' (token {lease.Token}) was taken over (current token {currentToken?.ToString(CultureInfo.InvariantCulture) ?? "none"}): nothing was written.";
    }
}
