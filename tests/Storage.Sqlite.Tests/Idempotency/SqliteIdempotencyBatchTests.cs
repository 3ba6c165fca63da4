using Concord.Canonical.Connectors;
using Concord.Canonical.Errors;
using Concord.Canonical.Idempotency;
using Concord.Storage.Sqlite.Idempotency;
using Concord.Storage.Sqlite.Tests.TestSupport;
using Concord.Sync.Idempotency;
using Microsoft.Extensions.Time.Testing;

namespace Concord.Storage.Sqlite.Tests.Idempotency;

/// <summary>The page-at-a-time methods of the SQLite store follow the same rules as the key-by-key ones.</summary>
public sealed class SqliteIdempotencyBatchTests : IDisposable
{
    private static readonly TimeSpan Lease = TimeSpan.FromSeconds(30);

    private readonly TempDatabaseFolder _folder = new();
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 23, 12, 0, 0, TimeSpan.Zero));

    public void Dispose() => _folder.Dispose();

    private SqliteIdempotencyStore Store() => new(_folder.Open(_time), _time);

    private static IdempotencyKey Key(int i) => IdempotencyKey.Derive("flow", "odoo", $"cust-{i}", "fp");

    [Fact]
    public async Task Claim_many_answers_in_request_order_with_acquired_completed_and_held_keys()
    {
        var store = Store();
        var done = await store.TryClaimAsync(Key(1), "fp", Lease);
        await store.CompleteAsync(done, new IdempotencyResult("41", UpsertOutcome.Created));
        await store.TryClaimAsync(Key(2), "fp", Lease);

        var claims = await store.TryClaimManyAsync([new(Key(3), "fp"), new(Key(1), "fp"), new(Key(2), "fp")], Lease);

        Assert.Equal(
            [IdempotencyClaimStatus.Acquired, IdempotencyClaimStatus.AlreadyCompleted, IdempotencyClaimStatus.HeldByAnother],
            claims.Select(c => c.Status));
        Assert.Equal("41", claims[1].Result!.ExternalId);
        Assert.Equal(IdempotencyState.Started, (await store.GetAsync(Key(3)))!.State);
    }

    [Fact]
    public async Task A_fingerprint_conflict_in_a_page_claims_nothing_of_that_page()
    {
        var store = Store();
        await store.TryClaimAsync(Key(2), "fp-old", Lease);

        var conflict = await Assert.ThrowsAsync<ConcordException>(() => store.TryClaimManyAsync([new(Key(1), "fp"), new(Key(2), "fp-new")], Lease));

        Assert.Equal(ErrorCategory.Conflict, conflict.Category);
        Assert.Null(await store.GetAsync(Key(1)));
    }

    [Fact]
    public async Task Complete_many_completes_every_held_claim_and_reports_a_lost_one_as_conflict()
    {
        var store = Store();
        var claims = await store.TryClaimManyAsync([new(Key(1), "fp"), new(Key(2), "fp")], Lease);
        _time.Advance(Lease + TimeSpan.FromSeconds(1));
        var takeover = await store.TryClaimAsync(Key(2), "fp", Lease);
        Assert.Equal(IdempotencyClaimStatus.Acquired, takeover.Status);

        var lost = await Assert.ThrowsAsync<ConcordException>(() => store.CompleteManyAsync(
            [new(claims[0], new IdempotencyResult("1", UpsertOutcome.Created)), new(claims[1], new IdempotencyResult("2", UpsertOutcome.Created))]));

        Assert.Equal(ErrorCategory.Conflict, lost.Category);
        Assert.Equal(IdempotencyState.Completed, (await store.GetAsync(Key(1)))!.State);
        Assert.Equal(IdempotencyState.Started, (await store.GetAsync(Key(2)))!.State);
    }

    [Fact]
    public async Task Get_many_returns_only_the_keys_the_store_holds()
    {
        var store = Store();
        await store.TryClaimAsync(Key(1), "fp", Lease);

        var found = await store.GetManyAsync([Key(1), Key(9)]);

        Assert.Equal([Key(1)], found.Keys);
    }
}
