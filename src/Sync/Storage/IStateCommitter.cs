using Concord.Canonical.Errors;

namespace Concord.Sync.Storage;

/// <summary>
/// Writes a <see cref="StateChangeSet"/> as one unit. A durable backend (SQLite, PostgreSQL) implements it with one
/// transaction over its identity map, dead letters, outbox, audit log and cursors, which is what makes a crash at any
/// point safe: after a restart the cursor never points past a record whose links, events or audit are missing.
/// The default implementation writes store by store, the cursor last.
/// </summary>
public interface IStateCommitter
{
    /// <summary>Writes <paramref name="changes"/>: identity links, dead letters and resolutions, outbox events, audit entries, then the cursor.</summary>
    /// <param name="changes">The changes.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>A task that completes once the changes are durable.</returns>
    /// <exception cref="ConcordException">Category <see cref="ErrorCategory.Conflict"/>: an identity link conflicts with a stored one; nothing was written.</exception>
    Task CommitAsync(StateChangeSet changes, CancellationToken cancellationToken = default);
}
