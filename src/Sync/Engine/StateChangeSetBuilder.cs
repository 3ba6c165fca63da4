using Concord.Sync.Audit;
using Concord.Sync.Cursors;
using Concord.Sync.DeadLetters;
using Concord.Sync.Identity;
using Concord.Sync.Outbox;
using Concord.Sync.Storage;

namespace Concord.Sync.Engine;

/// <summary>Collects what a page or a record writes; <see cref="Build"/> hands the committer an immutable <see cref="StateChangeSet"/>.</summary>
internal sealed class StateChangeSetBuilder
{
    public List<IdentityLink> IdentityLinks { get; } = [];

    public List<DeadLetter> DeadLetters { get; } = [];

    public List<DeadLetterResolution> DeadLetterResolutions { get; } = [];

    public List<OutboxMessage> OutboxMessages { get; } = [];

    public List<AuditEntry> AuditEntries { get; } = [];

    public List<WriteSettlement> WriteSettlements { get; } = [];

    public CursorCheckpoint? Cursor { get; set; }

    public FeedLease? Lease { get; set; }

    public bool IsEmpty =>
        IdentityLinks.Count == 0 && DeadLetters.Count == 0 && DeadLetterResolutions.Count == 0
        && OutboxMessages.Count == 0 && AuditEntries.Count == 0 && WriteSettlements.Count == 0 && Cursor is null;

    public StateChangeSet Build() => new()
    {
        IdentityLinks = [.. IdentityLinks],
        DeadLetters = [.. DeadLetters],
        DeadLetterResolutions = [.. DeadLetterResolutions],
        OutboxMessages = [.. OutboxMessages],
        AuditEntries = [.. AuditEntries],
        WriteSettlements = [.. WriteSettlements],
        Cursor = Cursor,
        Lease = Lease,
    };
}
