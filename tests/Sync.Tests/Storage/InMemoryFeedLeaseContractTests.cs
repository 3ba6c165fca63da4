using Concord.StoreContracts.Tests;
using Concord.Sync.Audit;
using Concord.Sync.Cursors;
using Concord.Sync.DeadLetters;
using Concord.Sync.Identity;
using Concord.Sync.Outbox;
using Concord.Sync.Storage;

namespace Concord.Sync.Tests.Storage;

/// <summary>The feed lease contract, kept by the in-memory stores (one process: every handle is the same state).</summary>
public sealed class InMemoryFeedLeaseContractTests : FeedLeaseContractTests
{
    private readonly FeedLeaseHandle _handle;

    public InMemoryFeedLeaseContractTests()
    {
        var leases = new InMemoryFeedLeaseStore(Clock);
        var cursors = new InMemoryCursorStore();
        var identityMap = new InMemoryIdentityMap();
        var committer = new StoreByStoreStateCommitter(identityMap, new InMemoryDeadLetterStore(Clock), new InMemoryOutbox(Clock), new InMemoryAuditLog(), cursors, new InMemoryWriteLedger(Clock), leases);
        _handle = new FeedLeaseHandle(leases, cursors, identityMap, committer);
    }

    protected override FeedLeaseHandle Open() => _handle;
}
