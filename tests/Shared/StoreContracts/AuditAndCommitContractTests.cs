using Concord.Canonical.Connectors;
using Concord.Canonical.Errors;
using Concord.Sync.Audit;
using Concord.Sync.Cursors;
using Concord.Sync.DeadLetters;
using Concord.Sync.Identity;
using Concord.Sync.Outbox;
using Concord.Sync.Ownership;
using Concord.Sync.Storage;

namespace Concord.StoreContracts.Tests;

/// <summary>The contract of the engine's durable stores, run against each implementation by a subclass.</summary>
public abstract class AuditAndCommitContractTests : IDisposable
{
    private static readonly DateTimeOffset At = new(2026, 11, 23, 12, 0, 0, TimeSpan.Zero);
    private readonly EngineStateFixture _state;

    protected AuditAndCommitContractTests() => _state = CreateState();

    public void Dispose() => _state.Dispose();

    /// <summary>Creates the stores on new, empty state; <paramref name="clock"/> defaults to a fake clock at 2026-11-23 12:00 UTC.</summary>
    protected abstract EngineStateFixture CreateState(TimeProvider? clock = null);

    [Fact]
    public async Task Audit_entries_read_back_whole_in_append_order_and_filter_by_customer_and_run()
    {
        var audit = _state.Audit();
        var refused = new RefusedChange("TaxIds", "odoo", "owned by odoo");
        await audit.AppendAsync([Entry("a-1", "c-1", "run-1") with { FieldsChanged = ["Name", "Emails"], FieldsRefused = [refused] }, Entry("a-2", "c-2", "run-1")]);
        await audit.AppendAsync([Entry("a-3", "c-1", "run-2"), Entry("a-1", "c-9", "run-9")]);

        var all = await audit.QueryAsync(new AuditQuery()).ToListAsync();
        var customer = await audit.QueryAsync(new AuditQuery { CanonicalId = "c-1" }).ToListAsync();
        var run = await audit.QueryAsync(new AuditQuery { CorrelationId = "run-1", Limit = 1 }).ToListAsync();

        Assert.Equal(["a-1", "a-2", "a-3"], all.Select(e => e.Id));
        Assert.Equal(["Name", "Emails"], all[0].FieldsChanged.ToArray());
        Assert.Equal(refused, Assert.Single(all[0].FieldsRefused));
        Assert.Equal(AuditOutcome.Updated, all[0].Outcome);
        Assert.Equal(["a-1", "a-3"], customer.Select(e => e.Id));
        Assert.Equal("a-1", Assert.Single(run).Id);
    }

    [Fact]
    public async Task A_change_set_is_committed_whole_links_events_audit_dead_letters_and_cursor()
    {
        var changes = ChangeSet("c-1", "42", "10");

        await _state.Committer().CommitAsync(changes);

        var reopened = _state.Reopen();
        Assert.Equal("c-1", (await _state.IdentityMap(reopened).ResolveAsync([new("odoo", "42")])).Single().Value);
        Assert.Equal("10", (await _state.Cursors(reopened).GetAsync("flow", "salesforce"))!.Cursor.Value);
        Assert.Equal(1, await _state.Outbox(reopened).CountPendingAsync());
        Assert.Single(await _state.Audit(reopened).QueryAsync(new AuditQuery()).ToListAsync());
        Assert.NotNull(await _state.DeadLetters(reopened).GetAsync("dl-c-1"));
    }

    [Fact]
    public async Task A_change_set_with_a_conflicting_link_writes_nothing_not_even_the_cursor()
    {
        await _state.Committer().CommitAsync(ChangeSet("c-1", "42", "10"));

        var error = await Assert.ThrowsAsync<ConcordException>(() => _state.Committer().CommitAsync(ChangeSet("c-2", "42", "20")));

        Assert.Equal(ErrorCategory.Conflict, error.Category);
        Assert.Equal("10", (await _state.Cursors().GetAsync("flow", "salesforce"))!.Cursor.Value);
        Assert.Equal(1, await _state.Outbox().CountPendingAsync());
        Assert.Single(await _state.Audit().QueryAsync(new AuditQuery()).ToListAsync());
        Assert.Null(await _state.DeadLetters().GetAsync("dl-c-2"));
    }

    private static StateChangeSet ChangeSet(string canonicalId, string odooId, string cursor) => new()
    {
        Cursor = new CursorCheckpoint { Flow = "flow", Source = "salesforce", Cursor = new ChangeCursor(cursor), CheckpointedAt = At },
        IdentityLinks = [new IdentityLink { CanonicalId = canonicalId, System = "odoo", ExternalId = odooId, Fingerprint = "fp", UpdatedAt = At }],
        OutboxMessages =
        [
            new OutboxMessage
            {
                Id = "evt-" + canonicalId,
                PartitionKey = canonicalId,
                Type = "customer.created",
                Source = "/concord/flows/flow",
                Time = At,
                CorrelationId = "run",
                Data = "{}",
            },
        ],
        AuditEntries = [Entry("audit-" + canonicalId, canonicalId, "run")],
        DeadLetters =
        [
            new DeadLetter
            {
                Id = "dl-" + canonicalId,
                Flow = "flow",
                SourceSystem = "salesforce",
                SourceExternalId = "001",
                Category = ErrorCategory.Transient,
                Reason = "timeout",
                Payload = "{}",
                CorrelationId = "run",
                Status = DeadLetterStatus.Deferred,
                Attempts = 1,
                FirstFailedAt = At,
                LastFailedAt = At,
            },
        ],
    };

    [Fact]
    public async Task The_state_commit_settles_the_leases_in_its_transaction()
    {
        var ledger = _state.WriteLedger();
        var lease = Assert.Single(await ledger.AcquireAsync([new WriteLeaseRequest { CanonicalId = "c-1", Target = "odoo", MatchKeys = ["tax:DE:DE1"] }], TimeSpan.FromMinutes(5)));
        var version = new WrittenVersion("salesforce", "v1", DateTimeOffset.UnixEpoch, "fp");

        await _state.Committer().CommitAsync(new StateChangeSet
        {
            IdentityLinks = [new IdentityLink { CanonicalId = "c-1", System = "odoo", ExternalId = "17", UpdatedAt = DateTimeOffset.UnixEpoch }],
            WriteSettlements = [new WriteSettlement { CanonicalId = "c-1", Target = "odoo", LeaseToken = lease.Token, Kind = WriteSettlementKind.Committed, Version = version, Payload = "{}" }],
        });

        var entry = await ledger.GetAsync("c-1", "odoo");
        Assert.Equal((version, (Guid?)null), (Assert.Single(entry!.Versions), entry.LeaseToken));
        Assert.Equal(WriteLeaseStatus.Acquired, Assert.Single(await ledger.AcquireAsync([new WriteLeaseRequest { CanonicalId = "c-2", Target = "odoo", MatchKeys = ["tax:DE:DE1"] }], TimeSpan.FromMinutes(5))).Status);
    }

    private static AuditEntry Entry(string id, string canonicalId, string correlationId) => new()
    {
        Id = id,
        At = At,
        Flow = "flow",
        SourceSystem = "salesforce",
        SourceExternalId = "001",
        TargetSystem = "odoo",
        TargetExternalId = "42",
        CanonicalId = canonicalId,
        Actor = "concord",
        CorrelationId = correlationId,
        Outcome = AuditOutcome.Updated,
    };
}
