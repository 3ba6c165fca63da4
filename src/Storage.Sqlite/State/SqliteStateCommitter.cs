using Concord.Storage.Sqlite.Audit;
using Concord.Storage.Sqlite.Cursors;
using Concord.Storage.Sqlite.DeadLetters;
using Concord.Storage.Sqlite.FeedLeases;
using Concord.Storage.Sqlite.Identity;
using Concord.Storage.Sqlite.Infrastructure;
using Concord.Storage.Sqlite.Outbox;
using Concord.Storage.Sqlite.Writes;
using Concord.Sync.Storage;

namespace Concord.Storage.Sqlite.State;

/// <summary>
/// <see cref="IStateCommitter"/> on the shared SQLite file: identity links, dead letters and their resolutions, outbox
/// events, audit entries, the settlement of the write leases and the cursor of one change set (after the check of its feed
/// lease's fencing token) are written in a single
/// <c>BEGIN IMMEDIATE</c> transaction.
/// A crash leaves either all of them or none: the cursor can never point past a record whose links, events or audit
/// were lost, and events are never published for a state change that did not happen.
/// </summary>
internal sealed class SqliteStateCommitter(SqliteDatabase database, TimeProvider timeProvider) : IStateCommitter
{
    public Task CommitAsync(StateChangeSet changes, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(changes);
        if (changes.IsEmpty)
        {
            return Task.CompletedTask;
        }

        return database.WriteAsync(
            "state.commit",
            async (connection, transaction, ct) =>
            {
                if (changes.Lease is { } lease)
                {
                    // The fencing check: a reader whose feed lease was taken over writes nothing.
                    await SqliteFeedLeaseStore.EnsureCurrentAsync(connection, transaction, lease, ct).ConfigureAwait(false);
                }

                if (changes.IdentityLinks.Count > 0)
                {
                    await SqliteIdentityMap.LinkAsync(connection, transaction, changes.IdentityLinks, ct).ConfigureAwait(false);
                }

                if (changes.DeadLetters.Count > 0)
                {
                    await SqliteDeadLetterStore.SaveAsync(connection, transaction, changes.DeadLetters, ct).ConfigureAwait(false);
                }

                if (changes.DeadLetterResolutions.Count > 0)
                {
                    await SqliteDeadLetterStore.ResolveAsync(connection, transaction, changes.DeadLetterResolutions, ct).ConfigureAwait(false);
                }

                if (changes.OutboxMessages.Count > 0)
                {
                    await SqliteOutbox.EnqueueAsync(connection, transaction, changes.OutboxMessages, timeProvider.GetUtcNow(), ct).ConfigureAwait(false);
                }

                if (changes.AuditEntries.Count > 0)
                {
                    await SqliteAuditLog.AppendAsync(connection, transaction, changes.AuditEntries, ct).ConfigureAwait(false);
                }

                if (changes.WriteSettlements.Count > 0)
                {
                    await SqliteWriteLedger.SettleAsync(connection, transaction, changes.WriteSettlements, timeProvider.GetUtcNow(), ct).ConfigureAwait(false);
                }

                if (changes.Cursor is not null)
                {
                    await SqliteCursorStore.SaveAsync(connection, transaction, changes.Cursor, ct).ConfigureAwait(false);
                }

                return true;
            },
            cancellationToken);
    }
}
