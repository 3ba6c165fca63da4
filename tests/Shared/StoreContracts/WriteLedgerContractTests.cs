using Concord.Canonical.Connectors;
using Concord.Canonical.Idempotency;
using Concord.Sync.Audit;
using Concord.Sync.Storage;
using Microsoft.Extensions.Time.Testing;

namespace Concord.StoreContracts.Tests;

/// <summary>
/// The rules every <see cref="IWriteLedger"/> keeps, run against each implementation by a subclass (in-memory,
/// SQLite and PostgreSQL).
/// </summary>
public abstract class WriteLedgerContractTests
{
    private static readonly TimeSpan Lease = TimeSpan.FromMinutes(5);
    private static readonly WrittenVersion V1 = new("salesforce", "2026-11-20T08:00:00.0000000Z", new DateTimeOffset(2026, 11, 20, 8, 0, 0, TimeSpan.Zero), "fp-1");
    private static readonly WrittenVersion V2 = V1 with { SourceVersion = "2026-11-20T09:00:00.0000000Z", SourceModifiedAt = new DateTimeOffset(2026, 11, 20, 9, 0, 0, TimeSpan.Zero), SourceFingerprint = "fp-2" };

    private IWriteLedger? _ledger;

    /// <summary>The clock of <see cref="Ledger"/>; starts at 2026-11-23 12:00 UTC.</summary>
    protected FakeTimeProvider Time { get; } = new(new DateTimeOffset(2026, 11, 23, 12, 0, 0, TimeSpan.Zero));

    private IWriteLedger Ledger => _ledger ??= CreateLedger(Time);

    /// <summary>Creates a ledger, empty, whose leases run on <paramref name="timeProvider"/>.</summary>
    /// <param name="timeProvider">The clock.</param>
    /// <returns>The ledger.</returns>
    protected abstract IWriteLedger CreateLedger(TimeProvider timeProvider);

    [Fact]
    public async Task A_link_never_written_is_acquired_with_no_entry_and_held_by_the_lease_until_it_ends()
    {
        var first = await AcquireAsync("c1");
        Time.Advance(Lease - TimeSpan.FromTicks(1));
        var second = await AcquireAsync("c1");
        Time.Advance(TimeSpan.FromTicks(1));
        var third = await AcquireAsync("c1");

        Assert.Equal((WriteLeaseStatus.Acquired, (WriteLedgerEntry?)null), (first.Status, first.Entry));
        Assert.NotEqual(Guid.Empty, first.Token);
        Assert.Equal((WriteLeaseStatus.Held, "c1"), (second.Status, second.HeldBy));
        Assert.Equal(Time.GetUtcNow(), second.HeldUntil);
        Assert.Equal(WriteLeaseStatus.Acquired, third.Status);
        Assert.NotEqual(first.Token, third.Token);
    }

    [Fact]
    public async Task A_match_key_locked_by_another_customer_is_held_until_that_lease_is_settled()
    {
        var first = await AcquireAsync("c1", "tax:DE:DE1");
        var twin = await AcquireAsync("c2", "email:a@acme.example", "tax:DE:DE1");
        var unrelated = await AcquireAsync("c3", "tax:DE:DE3");
        await Ledger.SettleAsync([Committed(first, V1)]);
        var after = await AcquireAsync("c2", "email:a@acme.example", "tax:DE:DE1");

        Assert.Equal((WriteLeaseStatus.Held, "c1"), (twin.Status, twin.HeldBy));
        Assert.Equal(WriteLeaseStatus.Acquired, unrelated.Status);
        Assert.Equal(WriteLeaseStatus.Acquired, after.Status);
        Assert.Null((await Ledger.GetAsync("c2", "odoo"))!.Pending);
    }

    [Fact]
    public async Task A_match_key_of_an_expired_lease_is_taken_over()
    {
        await AcquireAsync("c1", "domain:acme.example");
        Time.Advance(Lease);

        var twin = await AcquireAsync("c2", "domain:acme.example");
        var late = await AcquireAsync("c3", "domain:acme.example");

        Assert.Equal(WriteLeaseStatus.Acquired, twin.Status);
        Assert.Equal((WriteLeaseStatus.Held, "c2"), (late.Status, late.HeldBy));
    }

    [Fact]
    public async Task Requests_of_one_call_are_decided_in_order()
    {
        var leases = await Ledger.AcquireAsync(
            [Request("c1", "tax:DE:DE1"), Request("c1"), Request("c2", "tax:DE:DE1"), Request("c3", "tax:DE:DE3")],
            Lease);

        Assert.Equal([WriteLeaseStatus.Acquired, WriteLeaseStatus.Held, WriteLeaseStatus.Held, WriteLeaseStatus.Acquired], leases.Select(l => l.Status));
    }

    [Fact]
    public async Task An_intent_and_its_result_are_recorded_under_the_lease_and_come_back_whole_to_the_next_writer()
    {
        var lease = await AcquireAsync("c1");
        var intent = Intent(lease, V1) with { Before = """{"name":"before"}""", ExternalId = null };

        var recorded = await Ledger.RecordIntentsAsync([intent]);
        await Ledger.RecordResultsAsync([new WriteResult("c1", "odoo", lease.Token, "17", UpsertOutcome.Created)]);
        await Ledger.SettleAsync([Released(lease)]);
        var next = await AcquireAsync("c1");

        Assert.Equal([true], recorded);
        Assert.Equal(intent with { ExternalId = "17", Result = UpsertOutcome.Created }, next.Entry!.Pending);
        Assert.Null(next.Entry.LeaseToken);
    }

    [Fact]
    public async Task An_intent_or_result_of_a_lease_taken_over_is_not_recorded()
    {
        var lost = await AcquireAsync("c1");
        Time.Advance(Lease);
        var current = await AcquireAsync("c1");

        var recorded = await Ledger.RecordIntentsAsync([Intent(lost, V1), Intent(current, V2)]);
        await Ledger.RecordResultsAsync([new WriteResult("c1", "odoo", lost.Token, "17", UpsertOutcome.Created)]);

        Assert.Equal([false, true], recorded);
        var pending = (await Ledger.GetAsync("c1", "odoo"))!.Pending!;
        Assert.Equal((current.Token, V2, (UpsertOutcome?)null), (pending.LeaseToken, pending.Version, pending.Result));
    }

    [Fact]
    public async Task Committing_records_the_version_and_payload_clears_the_intent_and_frees_the_link_and_its_keys()
    {
        var lease = await AcquireAsync("c1", "tax:DE:DE1");
        await Ledger.RecordIntentsAsync([Intent(lease, V1)]);

        await Ledger.SettleAsync([Committed(lease, V1)]);

        var entry = (await Ledger.GetAsync("c1", "odoo"))!;
        Assert.Equal(V1, Assert.Single(entry.Versions));
        Assert.Equal("""{"name":"written"}""", entry.WrittenPayload);
        Assert.Null(entry.Pending);
        Assert.Null(entry.LeaseToken);
        Assert.Null(entry.LeaseExpiresAt);
        Assert.Empty(entry.LockedKeys);
        Assert.Equal(WriteLeaseStatus.Acquired, (await AcquireAsync("c2", "tax:DE:DE1")).Status);
    }

    [Fact]
    public async Task Completing_an_interrupted_intent_records_its_version_and_payload_clears_it_and_keeps_the_lease_and_its_keys()
    {
        var interrupted = await AcquireAsync("c1");
        await Ledger.RecordIntentsAsync([Intent(interrupted, V1)]);
        await Ledger.SettleAsync([Released(interrupted)]);
        var lease = await AcquireAsync("c1", "tax:DE:DE1");

        await Ledger.SettleAsync([Completed(lease, V1)]);
        var recorded = await Ledger.RecordIntentsAsync([Intent(lease, V2)]);

        var entry = (await Ledger.GetAsync("c1", "odoo"))!;
        var twin = await AcquireAsync("c2", "tax:DE:DE1");
        Assert.Equal([true], recorded);
        Assert.Equal(V1, Assert.Single(entry.Versions));
        Assert.Equal("""{"name":"completed"}""", entry.WrittenPayload);
        Assert.Equal((lease.Token, V2), (entry.Pending!.LeaseToken, entry.Pending.Version));
        Assert.Equal(lease.Token, entry.LeaseToken);
        Assert.Equal<string>(["tax:DE:DE1"], entry.LockedKeys);
        Assert.Equal((WriteLeaseStatus.Held, "c1"), (twin.Status, twin.HeldBy));
    }

    [Fact]
    public async Task Completing_under_a_lease_taken_over_changes_nothing()
    {
        var lost = await AcquireAsync("c1");
        await Ledger.RecordIntentsAsync([Intent(lost, V1)]);
        Time.Advance(Lease);
        var current = await AcquireAsync("c1");

        await Ledger.SettleAsync([Completed(lost, V1)]);

        var entry = (await Ledger.GetAsync("c1", "odoo"))!;
        Assert.Empty(entry.Versions);
        Assert.Equal(lost.Token, entry.Pending!.LeaseToken);
        Assert.Equal(current.Token, entry.LeaseToken);
    }

    [Fact]
    public async Task A_renewed_lease_and_its_keys_hold_past_their_first_end_and_an_expired_one_not_taken_over_is_renewed()
    {
        var lease = await AcquireAsync("c1", "tax:DE:DE1");
        Time.Advance(Lease * 2 / 3);
        var early = await Ledger.RenewAsync([Renewal(lease, "tax:DE:DE1")], Lease);
        Time.Advance(Lease * 2 / 3);
        var link = await AcquireAsync("c1");
        var key = await AcquireAsync("c2", "tax:DE:DE1");
        Time.Advance(Lease * 2);
        var late = await Ledger.RenewAsync([Renewal(lease, "tax:DE:DE1")], Lease);
        var recorded = await Ledger.RecordIntentsAsync([Intent(lease, V1)]);

        Assert.Equal([true], early);
        Assert.Equal((WriteLeaseStatus.Held, "c1"), (link.Status, link.HeldBy));
        Assert.Equal((WriteLeaseStatus.Held, "c1"), (key.Status, key.HeldBy));
        Assert.Equal([true], late);
        Assert.Equal([true], recorded);
        Assert.Equal(Time.GetUtcNow() + Lease, (await Ledger.GetAsync("c1", "odoo"))!.LeaseExpiresAt);
    }

    [Fact]
    public async Task A_lease_whose_link_or_key_was_taken_over_is_not_renewed_and_the_new_holder_keeps_both()
    {
        var byLink = await AcquireAsync("c1");
        var byKey = await AcquireAsync("c2", "domain:acme.example");
        Time.Advance(Lease);
        var link = await AcquireAsync("c1");
        var key = await AcquireAsync("c3", "domain:acme.example");

        var renewed = await Ledger.RenewAsync([Renewal(byLink), Renewal(byKey, "domain:acme.example"), Renewal(link)], Lease);

        var later = await AcquireAsync("c4", "domain:acme.example");
        Assert.Equal((WriteLeaseStatus.Acquired, WriteLeaseStatus.Acquired), (link.Status, key.Status));
        Assert.Equal([false, false, true], renewed);
        Assert.Equal(link.Token, (await Ledger.GetAsync("c1", "odoo"))!.LeaseToken);
        Assert.Equal((WriteLeaseStatus.Held, "c3"), (later.Status, later.HeldBy));
    }

    [Fact]
    public async Task Finding_pending_writes_names_the_links_with_an_intent_not_settled_whoever_holds_the_lease()
    {
        var released = await AcquireAsync("c1");
        var held = await AcquireAsync("c2");
        var committed = await AcquireAsync("c3");
        await AcquireAsync("c4");
        await Ledger.RecordIntentsAsync([Intent(released, V1), Intent(held, V1), Intent(committed, V1)]);
        await Ledger.SettleAsync([Released(released), Committed(committed, V1)]);

        var pending = await Ledger.FindPendingAsync("odoo", ["c1", "c2", "c3", "c4", "never-written"]);
        var otherTarget = await Ledger.FindPendingAsync("hubspot", ["c1", "c2"]);
        var none = await Ledger.FindPendingAsync("odoo", []);

        Assert.Equal(["c1", "c2"], pending.Order(StringComparer.Ordinal));
        Assert.Empty(otherTarget);
        Assert.Empty(none);
    }

    [Fact]
    public async Task Releasing_keeps_the_intent_for_the_next_writer_and_abandoning_clears_it()
    {
        var first = await AcquireAsync("c1");
        await Ledger.RecordIntentsAsync([Intent(first, V1)]);
        await Ledger.SettleAsync([Released(first)]);
        var second = await AcquireAsync("c1");
        await Ledger.SettleAsync([Released(second) with { Kind = WriteSettlementKind.Abandoned }]);

        Assert.Equal(V1, second.Entry!.Pending!.Version);
        var entry = (await Ledger.GetAsync("c1", "odoo"))!;
        Assert.Null(entry.Pending);
        Assert.Empty(entry.Versions);
    }

    [Fact]
    public async Task An_older_version_never_replaces_a_newer_one_of_the_same_source_and_sources_are_kept_apart()
    {
        var first = await AcquireAsync("c1");
        await Ledger.SettleAsync([Committed(first, V2)]);
        var second = await AcquireAsync("c1");
        var shop = new WrittenVersion("shop", "7", V1.SourceModifiedAt, "fp-shop");
        await Ledger.SettleAsync([Committed(second, V1), Committed(second, shop)]);

        var entry = (await Ledger.GetAsync("c1", "odoo"))!;
        Assert.Equal(V2, entry.VersionFrom("salesforce"));
        Assert.Equal(shop, entry.VersionFrom("shop"));
    }

    [Fact]
    public async Task A_lease_taken_over_still_records_its_committed_version_but_nothing_of_the_new_holder_changes()
    {
        var lost = await AcquireAsync("c1");
        Time.Advance(Lease);
        var current = await AcquireAsync("c1");
        await Ledger.RecordIntentsAsync([Intent(current, V2)]);

        await Ledger.SettleAsync([Committed(lost, V1)]);

        var entry = (await Ledger.GetAsync("c1", "odoo"))!;
        Assert.Equal(V1, Assert.Single(entry.Versions));
        Assert.Equal(current.Token, entry.LeaseToken);
        Assert.Equal(V2, entry.Pending!.Version);
        Assert.Null(entry.WrittenPayload);
    }

    [Fact]
    public async Task Settling_twice_or_settling_an_unknown_link_changes_nothing()
    {
        var lease = await AcquireAsync("c1");
        await Ledger.SettleAsync([Committed(lease, V1)]);
        var once = await Ledger.GetAsync("c1", "odoo");
        Time.Advance(TimeSpan.FromMinutes(1));

        await Ledger.SettleAsync([Committed(lease, V1), Released(lease) with { CanonicalId = "unknown" }]);

        Assert.Equal(once, await Ledger.GetAsync("c1", "odoo"));
        Assert.Null(await Ledger.GetAsync("unknown", "odoo"));
    }

    [Fact]
    public async Task A_page_of_links_goes_through_every_step_in_one_call_each_and_every_link_keeps_its_own_values()
    {
        const int Links = 300;
        var ids = Enumerable.Range(0, Links).Select(i => $"c{i:D3}").ToList();

        // Every third customer shares a tax id with the one before: decided in order, it is held by that one's lock.
        var leases = await Ledger.AcquireAsync([.. ids.Select((id, i) => Request(id, $"tax:DE:{i - (i % 3 == 2 ? 1 : 0)}", $"email:{id}@acme.example"))], Lease);
        var acquired = leases.Where(l => l.Status == WriteLeaseStatus.Acquired).ToList();
        var intents = acquired.Select((l, i) => Intent(l, V1) with
        {
            Payload = "{\"name\":\"Müller \\\"" + l.CanonicalId + "\\\" \\\\ 🚀\\n\u0001\"}",
            Before = i % 2 == 0 ? null : $$"""{"name":"before {{i}}"}""",
            ExternalId = i % 4 == 0 ? null : $"e{i}",
        }).ToList();
        var recorded = await Ledger.RecordIntentsAsync(intents);
        await Ledger.RecordResultsAsync([.. acquired.Where((_, i) => i % 2 == 0).Select(l => new WriteResult(l.CanonicalId, "odoo", l.Token, "x-" + l.CanonicalId, UpsertOutcome.Created))]);
        await Ledger.SettleAsync([.. acquired.Select((l, i) => i % 3 == 0 ? Released(l) : i % 3 == 1 ? Committed(l, V2) with { Payload = intents[i].Payload } : Released(l) with { Kind = WriteSettlementKind.Abandoned })]);

        Assert.Equal(Links / 3, leases.Count(l => l.Status == WriteLeaseStatus.Held));
        Assert.All(leases.Where(l => l.Status == WriteLeaseStatus.Held), l => Assert.Equal(ids[ids.IndexOf(l.CanonicalId) - 1], l.HeldBy));
        Assert.All(recorded, Assert.True);
        for (var i = 0; i < acquired.Count; i++)
        {
            var entry = (await Ledger.GetAsync(acquired[i].CanonicalId, "odoo"))!;
            Assert.Null(entry.LeaseToken);
            Assert.Empty(entry.LockedKeys);
            switch (i % 3)
            {
                case 0:
                    Assert.Equal(intents[i] with { ExternalId = i % 2 == 0 ? "x-" + acquired[i].CanonicalId : intents[i].ExternalId, Result = i % 2 == 0 ? UpsertOutcome.Created : null }, entry.Pending);
                    Assert.Empty(entry.Versions);
                    break;
                case 1:
                    Assert.Null(entry.Pending);
                    Assert.Equal((V2, intents[i].Payload), (Assert.Single(entry.Versions), entry.WrittenPayload));
                    break;
                default:
                    Assert.Null(entry.Pending);
                    Assert.Empty(entry.Versions);
                    break;
            }
        }

        Assert.Equal(WriteLeaseStatus.Acquired, Assert.Single(await Ledger.AcquireAsync([Request("other", "tax:DE:0", "email:c000@acme.example")], Lease)).Status);
        Assert.Equal([.. acquired.Where((_, i) => i % 3 == 0).Select(l => l.CanonicalId)], (await Ledger.FindPendingAsync("odoo", ids)).Order(StringComparer.Ordinal));
    }

    private static WriteLeaseRequest Request(string canonicalId, params string[] keys) => new() { CanonicalId = canonicalId, Target = "odoo", MatchKeys = [.. keys] };

    private async Task<WriteLease> AcquireAsync(string canonicalId, params string[] keys) => Assert.Single(await Ledger.AcquireAsync([Request(canonicalId, keys)], Lease));

    private WriteIntent Intent(WriteLease lease, WrittenVersion version) => new()
    {
        CanonicalId = lease.CanonicalId,
        Target = lease.Target,
        LeaseToken = lease.Token,
        Flow = "accounts",
        Key = IdempotencyKey.Derive("accounts", "odoo", lease.CanonicalId, version.SourceVersion),
        Version = version,
        Payload = """{"name":"intended"}""",
        PlannedOutcome = AuditOutcome.Updated,
        Adopted = true,
        ChangedFields = ["Name", "Contacts"],
        ExternalId = "17",
        RecordedAt = Time.GetUtcNow(),
    };

    private static WriteSettlement Committed(WriteLease lease, WrittenVersion version) => new()
    {
        CanonicalId = lease.CanonicalId,
        Target = lease.Target,
        LeaseToken = lease.Token,
        Kind = WriteSettlementKind.Committed,
        Version = version,
        Payload = """{"name":"written"}""",
    };

    private static WriteLeaseRenewal Renewal(WriteLease lease, params string[] keys) => new() { CanonicalId = lease.CanonicalId, Target = lease.Target, LeaseToken = lease.Token, MatchKeys = [.. keys] };

    private static WriteSettlement Completed(WriteLease lease, WrittenVersion version) => new()
    {
        CanonicalId = lease.CanonicalId,
        Target = lease.Target,
        LeaseToken = lease.Token,
        Kind = WriteSettlementKind.Completed,
        Version = version,
        Payload = """{"name":"completed"}""",
    };

    private static WriteSettlement Released(WriteLease lease) => new() { CanonicalId = lease.CanonicalId, Target = lease.Target, LeaseToken = lease.Token, Kind = WriteSettlementKind.Released };
}
