using Concord.Storage.PostgreSql.Audit;
using Concord.Storage.PostgreSql.Cursors;
using Concord.Storage.PostgreSql.DeadLetters;
using Concord.Storage.PostgreSql.FeedLeases;
using Concord.Storage.PostgreSql.Identity;
using Concord.Storage.PostgreSql.Infrastructure;
using Concord.Storage.PostgreSql.Outbox;
using Concord.Storage.PostgreSql.Writes;
using Concord.Sync.Storage;

namespace Concord.Storage.PostgreSql.State;

/// <summary>
/// <see cref="IStateCommitter"/> on the shared PostgreSQL schema: identity links, dead letters and their resolutions, outbox
/// events, audit entries, the settlement of the write leases and the cursor of one change set (after the check of its feed
/// lease's fencing token) are written in a single
/// transaction, each kind in one statement (or one batch). A crash leaves either all of them or none.
/// </summary>
internal sealed class PostgreSqlStateCommitter(PostgreSqlDatabase database, TimeProvider timeProvider) : IStateCommitter
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
                    await PostgreSqlFeedLeaseStore.EnsureCurrentAsync(database, connection, transaction, lease, ct).ConfigureAwait(false);
                }

                if (changes.IdentityLinks.Count > 0)
                {
                    await PostgreSqlIdentityMap.LinkAsync(database, connection, transaction, changes.IdentityLinks, ct).ConfigureAwait(false);
                }

                if (changes.DeadLetters.Count > 0)
                {
                    await PostgreSqlDeadLetterStore.SaveAsync(database, connection, transaction, changes.DeadLetters, ct).ConfigureAwait(false);
                }

                if (changes.DeadLetterResolutions.Count > 0)
                {
                    await PostgreSqlDeadLetterStore.ResolveAsync(database, connection, transaction, changes.DeadLetterResolutions, ct).ConfigureAwait(false);
                }

                if (changes.OutboxMessages.Count > 0)
                {
                    await PostgreSqlOutbox.EnqueueAsync(database, connection, transaction, changes.OutboxMessages, timeProvider.GetUtcNow(), ct).ConfigureAwait(false);
                }

                if (changes.AuditEntries.Count > 0)
                {
                    await PostgreSqlAuditLog.AppendAsync(database, connection, transaction, changes.AuditEntries, ct).ConfigureAwait(false);
                }

                if (changes.WriteSettlements.Count > 0)
                {
                    await PostgreSqlWriteLedger.SettleAsync(database, connection, transaction, changes.WriteSettlements, timeProvider.GetUtcNow(), ct).ConfigureAwait(false);
                }

                if (changes.Cursor is not null)
                {
                    await PostgreSqlCursorStore.SaveAsync(database, connection, transaction, changes.Cursor, ct).ConfigureAwait(false);
                }

                return true;
            },
            cancellationToken);
    }
}
