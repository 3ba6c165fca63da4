using Concord.Sync.Audit;
using Concord.Sync.Cursors;
using Concord.Sync.DeadLetters;
using Concord.Sync.Identity;
using Concord.Sync.Outbox;

namespace Concord.Sync.Storage;

/// <summary>
/// Everything the engine writes for one handled record or page: identity links and fingerprints, dead letters and their
/// resolutions, outbox events, audit entries, the settlement of its write leases and the cursor checkpoint. An <see cref="IStateCommitter"/> writes it as one
/// unit, so that a durable store either has all of it or none of it. Immutable: build one with an object initializer
/// (<c>new StateChangeSet { IdentityLinks = [...], Cursor = ... }</c>).
/// </summary>
public sealed class StateChangeSet
{
    /// <summary>Identity links to add or update.</summary>
    public IReadOnlyList<IdentityLink> IdentityLinks { get; init; } = [];

    /// <summary>Dead letters (deferred or dead-lettered records) to add or replace.</summary>
    public IReadOnlyList<DeadLetter> DeadLetters { get; init; } = [];

    /// <summary>Open dead letters to close.</summary>
    public IReadOnlyList<DeadLetterResolution> DeadLetterResolutions { get; init; } = [];

    /// <summary>Events to enqueue, in order.</summary>
    public IReadOnlyList<OutboxMessage> OutboxMessages { get; init; } = [];

    /// <summary>Audit entries to append.</summary>
    public IReadOnlyList<AuditEntry> AuditEntries { get; init; } = [];

    /// <summary>
    /// The leases of the page's writes, settled with everything above: committed versions become what each target last
    /// received, intents are cleared or kept, and the leases and their match-key locks are released (see <see cref="IWriteLedger"/>).
    /// </summary>
    public IReadOnlyList<WriteSettlement> WriteSettlements { get; init; } = [];

    /// <summary>The checkpoint to write last, or null to leave the cursor where it is.</summary>
    public CursorCheckpoint? Cursor { get; init; }

    /// <summary>
    /// The feed lease these changes were made under (a change-feed read), or null. The committer first checks that its
    /// fencing token is still the feed's current one, in the same transaction, and writes nothing otherwise
    /// (<see cref="FeedLeaseLostException"/>): a reader that was taken over cannot checkpoint.
    /// </summary>
    public FeedLease? Lease { get; init; }

    /// <summary>Whether there is nothing to write.</summary>
    public bool IsEmpty =>
        IdentityLinks.Count == 0 && DeadLetters.Count == 0 && DeadLetterResolutions.Count == 0
        && OutboxMessages.Count == 0 && AuditEntries.Count == 0 && WriteSettlements.Count == 0 && Cursor is null;
}
