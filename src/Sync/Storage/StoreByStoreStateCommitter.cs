using Concord.Sync.Audit;
using Concord.Sync.Cursors;
using Concord.Sync.DeadLetters;
using Concord.Sync.Identity;
using Concord.Sync.Outbox;

namespace Concord.Sync.Storage;

/// <summary>
/// The default committer: writes each part through its store, the write settlements (which release the leases) after
/// the links, events and audit entries, the cursor last, after checking the feed lease's fencing token. It is not atomic across stores; a
/// crash between two writes is still safe because every write is idempotent and the cursor moves only at the end,
/// so the change is read and handled again. Durable backends replace it with a single transaction.
/// </summary>
internal sealed class StoreByStoreStateCommitter(
    IIdentityMap identityMap,
    IDeadLetterStore deadLetters,
    IOutbox outbox,
    IAuditLog auditLog,
    ICursorStore cursors,
    IWriteLedger writeLedger,
    IFeedLeaseStore feedLeases) : IStateCommitter
{
    public async Task CommitAsync(StateChangeSet changes, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(changes);
        if (changes.Lease is { } lease)
        {
            // Not atomic with the writes below (nothing here is): the durable committers check in their transaction.
            FeedLeaseLostException.ThrowIfTakenOver(lease, await feedLeases.GetAsync(lease.Flow, lease.Source, cancellationToken).ConfigureAwait(false));
        }

        if (changes.IdentityLinks.Count > 0)
        {
            await identityMap.LinkAsync(changes.IdentityLinks, cancellationToken).ConfigureAwait(false);
        }

        if (changes.DeadLetters.Count > 0)
        {
            await deadLetters.SaveAsync(changes.DeadLetters, cancellationToken).ConfigureAwait(false);
        }

        if (changes.DeadLetterResolutions.Count > 0)
        {
            await deadLetters.ResolveAsync(changes.DeadLetterResolutions, cancellationToken).ConfigureAwait(false);
        }

        if (changes.OutboxMessages.Count > 0)
        {
            await outbox.EnqueueAsync(changes.OutboxMessages, cancellationToken).ConfigureAwait(false);
        }

        if (changes.AuditEntries.Count > 0)
        {
            await auditLog.AppendAsync(changes.AuditEntries, cancellationToken).ConfigureAwait(false);
        }

        if (changes.WriteSettlements.Count > 0)
        {
            await writeLedger.SettleAsync(changes.WriteSettlements, cancellationToken).ConfigureAwait(false);
        }

        if (changes.Cursor is not null)
        {
            await cursors.SaveAsync(changes.Cursor, cancellationToken).ConfigureAwait(false);
        }
    }
}
