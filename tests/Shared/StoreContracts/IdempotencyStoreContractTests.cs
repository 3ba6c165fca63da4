using System.Collections.Concurrent;
using Concord.Canonical.Connectors;
using Concord.Canonical.Errors;
using Concord.Canonical.Idempotency;
using Concord.Sync.Idempotency;
using Microsoft.Extensions.Time.Testing;

namespace Concord.StoreContracts.Tests;

/// <summary>
/// The rules every <see cref="IIdempotencyStore"/> keeps, run against each implementation by a subclass.
/// </summary>
public abstract class IdempotencyStoreContractTests
{
    private static readonly TimeSpan Lease = TimeSpan.FromSeconds(30);
    private static readonly IdempotencyKey Key = IdempotencyKey.Derive("accounts", "odoo", "cust-42", "fp-1");
    private static readonly IdempotencyResult Result = new("res.partner,17", UpsertOutcome.Created, """{"contacts":["18","19"]}""");

    private IIdempotencyStore? _store;

    /// <summary>The clock of <see cref="Store"/>; starts at 2026-11-23 12:00 UTC.</summary>
    protected FakeTimeProvider Time { get; } = new(new DateTimeOffset(2026, 11, 23, 12, 0, 0, TimeSpan.Zero));

    private IIdempotencyStore Store => _store ??= CreateStore(Time);

    /// <summary>Creates a store, empty, whose leases run on <paramref name="timeProvider"/>.</summary>
    /// <param name="timeProvider">The clock.</param>
    /// <returns>The store.</returns>
    protected abstract IIdempotencyStore CreateStore(TimeProvider timeProvider);

    [Fact]
    public async Task Key_never_seen_is_acquired_as_first_attempt_with_a_lease()
    {
        var claim = await Store.TryClaimAsync(Key, "fp-1", Lease);

        Assert.Equal(IdempotencyClaimStatus.Acquired, claim.Status);
        Assert.Equal(Key, claim.Key);
        Assert.NotEqual(Guid.Empty, claim.Token);
        var record = await Store.GetAsync(Key);
        Assert.NotNull(record);
        Assert.Equal(IdempotencyState.Started, record.State);
        Assert.Equal("fp-1", record.Fingerprint);
        Assert.Equal(claim.Token, record.ClaimToken);
        Assert.Equal(1, record.Attempts);
        Assert.Equal(Time.GetUtcNow() + Lease, record.LeaseExpiresAt);
        Assert.Equal(Time.GetUtcNow(), record.UpdatedAt);
        Assert.Null(record.Result);
    }

    [Fact]
    public async Task Unknown_key_reads_as_null()
    {
        Assert.Null(await Store.GetAsync(IdempotencyKey.From("never-claimed")));
    }

    [Fact]
    public async Task Completed_key_returns_the_stored_result_without_a_new_attempt()
    {
        var claim = await Store.TryClaimAsync(Key, "fp-1", Lease);
        await Store.CompleteAsync(claim, Result);
        Time.Advance(TimeSpan.FromDays(30));

        var again = await Store.TryClaimAsync(Key, "fp-1", Lease);

        Assert.Equal(IdempotencyClaimStatus.AlreadyCompleted, again.Status);
        Assert.Equal(Result, again.Result);
        Assert.Equal(Guid.Empty, again.Token);
        var record = await Store.GetAsync(Key);
        Assert.Equal(IdempotencyState.Completed, record!.State);
        Assert.Equal(1, record.Attempts);
        Assert.Equal(Result, record.Result);
    }

    [Fact]
    public async Task Key_held_by_a_live_lease_answers_held_by_another_until_the_lease_ends()
    {
        var first = await Store.TryClaimAsync(Key, "fp-1", Lease);
        Time.Advance(Lease - TimeSpan.FromTicks(1));

        var second = await Store.TryClaimAsync(Key, "fp-1", Lease);

        Assert.Equal(IdempotencyClaimStatus.HeldByAnother, second.Status);
        Assert.Equal(Time.GetUtcNow() + TimeSpan.FromTicks(1), second.HeldUntil);
        var record = await Store.GetAsync(Key);
        Assert.Equal(first.Token, record!.ClaimToken);
        Assert.Equal(1, record.Attempts);
    }

    [Fact]
    public async Task Expired_lease_is_taken_over_with_a_new_token_and_the_next_attempt()
    {
        var first = await Store.TryClaimAsync(Key, "fp-1", Lease);
        Time.Advance(Lease);

        var second = await Store.TryClaimAsync(Key, "fp-1", TimeSpan.FromMinutes(2));

        Assert.Equal(IdempotencyClaimStatus.Acquired, second.Status);
        Assert.NotEqual(first.Token, second.Token);
        var record = await Store.GetAsync(Key);
        Assert.Equal(second.Token, record!.ClaimToken);
        Assert.Equal(2, record.Attempts);
        Assert.Equal(Time.GetUtcNow() + TimeSpan.FromMinutes(2), record.LeaseExpiresAt);
    }

    [Fact]
    public async Task Failed_key_is_acquired_again_with_a_new_token_and_the_next_attempt()
    {
        var first = await Store.TryClaimAsync(Key, "fp-1", Lease);
        await Store.FailAsync(first, "Odoo answered 503");
        var failed = await Store.GetAsync(Key);
        Assert.Equal(IdempotencyState.Failed, failed!.State);
        Assert.Equal("Odoo answered 503", failed.FailureReason);

        var second = await Store.TryClaimAsync(Key, "fp-1", Lease);

        Assert.Equal(IdempotencyClaimStatus.Acquired, second.Status);
        Assert.NotEqual(first.Token, second.Token);
        var record = await Store.GetAsync(Key);
        Assert.Equal(IdempotencyState.Started, record!.State);
        Assert.Equal(2, record.Attempts);
        Assert.Null(record.FailureReason);
    }

    [Theory]
    [InlineData(IdempotencyState.Started)]
    [InlineData(IdempotencyState.Completed)]
    [InlineData(IdempotencyState.Failed)]
    public async Task Same_key_with_another_fingerprint_is_a_conflict_naming_the_key(IdempotencyState state)
    {
        var claim = await Store.TryClaimAsync(Key, "fp-1", Lease);
        if (state == IdempotencyState.Completed)
        {
            await Store.CompleteAsync(claim, Result);
        }
        else if (state == IdempotencyState.Failed)
        {
            await Store.FailAsync(claim, "timeout");
        }

        var error = await Assert.ThrowsAsync<ConcordException>(() => Store.TryClaimAsync(Key, "fp-2", Lease));

        Assert.Equal(ErrorCategory.Conflict, error.Category);
        Assert.Contains(Key.Value, error.Message, StringComparison.Ordinal);
        Assert.Contains("fp-2", error.Message, StringComparison.Ordinal);
        Assert.False(error.IsRetryable);
        var record = await Store.GetAsync(Key);
        Assert.Equal(state, record!.State);
        Assert.Equal("fp-1", record.Fingerprint);
        Assert.Equal(1, record.Attempts);
    }

    [Fact]
    public async Task Complete_by_a_holder_whose_lease_was_taken_over_is_a_conflict()
    {
        var first = await Store.TryClaimAsync(Key, "fp-1", Lease);
        Time.Advance(Lease + TimeSpan.FromSeconds(1));
        var second = await Store.TryClaimAsync(Key, "fp-1", Lease);
        Assert.Equal(IdempotencyClaimStatus.Acquired, second.Status);

        var error = await Assert.ThrowsAsync<ConcordException>(() => Store.CompleteAsync(first, Result));

        Assert.Equal(ErrorCategory.Conflict, error.Category);
        Assert.Contains(Key.Value, error.Message, StringComparison.Ordinal);
        var record = await Store.GetAsync(Key);
        Assert.Equal(IdempotencyState.Started, record!.State);
        Assert.Equal(second.Token, record.ClaimToken);

        var secondResult = Result with { ExternalId = "res.partner,18" };
        await Store.CompleteAsync(second, secondResult);
        var completed = await Store.TryClaimAsync(Key, "fp-1", Lease);
        Assert.Equal(secondResult, completed.Result);
    }

    [Fact]
    public async Task Fail_by_a_holder_whose_lease_was_taken_over_is_a_conflict()
    {
        var first = await Store.TryClaimAsync(Key, "fp-1", Lease);
        Time.Advance(Lease);
        var second = await Store.TryClaimAsync(Key, "fp-1", Lease);

        var error = await Assert.ThrowsAsync<ConcordException>(() => Store.FailAsync(first, "late failure"));

        Assert.Equal(ErrorCategory.Conflict, error.Category);
        var record = await Store.GetAsync(Key);
        Assert.Equal(IdempotencyState.Started, record!.State);
        Assert.Equal(second.Token, record.ClaimToken);
        Assert.Equal(IdempotencyClaimStatus.HeldByAnother, (await Store.TryClaimAsync(Key, "fp-1", Lease)).Status);
    }

    [Fact]
    public async Task Holder_whose_lease_expired_unclaimed_may_still_complete()
    {
        var claim = await Store.TryClaimAsync(Key, "fp-1", Lease);
        Time.Advance(Lease * 3);

        await Store.CompleteAsync(claim, Result);

        var record = await Store.GetAsync(Key);
        Assert.Equal(IdempotencyState.Completed, record!.State);
        Assert.Equal(Result, record.Result);
    }

    [Fact]
    public async Task Completing_again_with_the_same_result_changes_nothing_but_another_result_is_a_conflict()
    {
        var claim = await Store.TryClaimAsync(Key, "fp-1", Lease);
        await Store.CompleteAsync(claim, Result);
        var completedAt = (await Store.GetAsync(Key))!.UpdatedAt;
        Time.Advance(TimeSpan.FromSeconds(5));

        await Store.CompleteAsync(claim, Result);
        var error = await Assert.ThrowsAsync<ConcordException>(() => Store.CompleteAsync(claim, Result with { ExternalId = "other" }));

        Assert.Equal(ErrorCategory.Conflict, error.Category);
        var record = await Store.GetAsync(Key);
        Assert.Equal(Result, record!.Result);
        Assert.Equal(completedAt, record.UpdatedAt);
    }

    [Fact]
    public async Task Failing_a_completed_claim_is_a_conflict_and_keeps_the_result()
    {
        var claim = await Store.TryClaimAsync(Key, "fp-1", Lease);
        await Store.CompleteAsync(claim, Result);

        var error = await Assert.ThrowsAsync<ConcordException>(() => Store.FailAsync(claim, "too late"));

        Assert.Equal(ErrorCategory.Conflict, error.Category);
        Assert.Equal(IdempotencyState.Completed, (await Store.GetAsync(Key))!.State);
    }

    [Fact]
    public async Task Completing_a_failed_claim_is_a_conflict()
    {
        var claim = await Store.TryClaimAsync(Key, "fp-1", Lease);
        await Store.FailAsync(claim, "rejected");
        await Store.FailAsync(claim, "rejected again");

        var error = await Assert.ThrowsAsync<ConcordException>(() => Store.CompleteAsync(claim, Result));

        Assert.Equal(ErrorCategory.Conflict, error.Category);
        var record = await Store.GetAsync(Key);
        Assert.Equal(IdempotencyState.Failed, record!.State);
        Assert.Equal("rejected", record.FailureReason);
    }

    [Fact]
    public async Task Completing_a_claim_the_store_never_issued_is_a_conflict()
    {
        var forged = IdempotencyClaim.Acquired(Key, Guid.NewGuid());

        var error = await Assert.ThrowsAsync<ConcordException>(() => Store.CompleteAsync(forged, Result));

        Assert.Equal(ErrorCategory.Conflict, error.Category);
        Assert.Null(await Store.GetAsync(Key));
    }

    [Fact]
    public async Task Only_an_acquired_claim_can_be_completed_or_failed()
    {
        var held = IdempotencyClaim.Held(Key, Time.GetUtcNow());
        var completed = IdempotencyClaim.Completed(Key, Result);

        await Assert.ThrowsAsync<ArgumentException>(() => Store.CompleteAsync(held, Result));
        await Assert.ThrowsAsync<ArgumentException>(() => Store.FailAsync(completed, "no"));
    }

    [Fact]
    public async Task Failure_reason_is_stored_with_personal_data_masked()
    {
        var claim = await Store.TryClaimAsync(Key, "fp-1", Lease);

        await Store.FailAsync(claim, "Duplicate email ada.lovelace@example.com for VAT DE123456789");

        var reason = (await Store.GetAsync(Key))!.FailureReason!;
        Assert.DoesNotContain("ada.lovelace@", reason, StringComparison.Ordinal);
        Assert.DoesNotContain("123456789", reason, StringComparison.Ordinal);
        Assert.Contains("@example.com", reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Claim_arguments_are_checked()
    {
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => Store.TryClaimAsync(Key, "fp-1", TimeSpan.Zero));
        await Assert.ThrowsAsync<ArgumentException>(() => Store.TryClaimAsync(Key, string.Empty, Lease));
        await Assert.ThrowsAsync<ArgumentException>(() => Store.TryClaimAsync(default, "fp-1", Lease));
    }

    [Fact]
    public void Eight_threads_released_together_on_each_fresh_key_acquire_it_exactly_once()
    {
        // A barrier lines the threads up before every key, so each round is a true race for one unseen key.
        const int Threads = 8;
        const int Rounds = 500;
        var store = CreateStore(TimeProvider.System);
        var acquired = new int[Rounds];
        using var barrier = new Barrier(Threads);
        var threads = Enumerable.Range(0, Threads).Select(_ => new Thread(() =>
        {
            for (var round = 0; round < Rounds; round++)
            {
                if (!barrier.SignalAndWait(TimeSpan.FromSeconds(30)))
                {
                    return;
                }

                var claim = store.TryClaimAsync(IdempotencyKey.From($"race-{round}"), "fp", TimeSpan.FromMinutes(5)).GetAwaiter().GetResult();
                if (claim.Status == IdempotencyClaimStatus.Acquired)
                {
                    Interlocked.Increment(ref acquired[round]);
                }
            }
        })).ToList();

        threads.ForEach(t => t.Start());
        Assert.All(threads, t => Assert.True(t.Join(TimeSpan.FromSeconds(60))));

        Assert.All(acquired, count => Assert.Equal(1, count));
    }

    [Fact]
    public async Task Eight_workers_claiming_the_same_1000_keys_write_and_complete_each_key_exactly_once()
    {
        const int Workers = 8;
        const int KeyCount = 1000;
        var store = CreateStore(TimeProvider.System);
        var keys = Enumerable.Range(0, KeyCount).Select(i => IdempotencyKey.From($"key-{i:D4}")).ToArray();
        var writes = new ConcurrentDictionary<string, int>(StringComparer.Ordinal);
        var answers = new ConcurrentDictionary<IdempotencyClaimStatus, int>();
        var start = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        var workers = Enumerable.Range(0, Workers).Select(worker => Task.Run(async () =>
        {
            await start.Task;
            foreach (var key in keys)
            {
                var claim = await store.TryClaimAsync(key, "fp", TimeSpan.FromMinutes(5));
                answers.AddOrUpdate(claim.Status, 1, (_, n) => n + 1);
                if (claim.Status == IdempotencyClaimStatus.Acquired)
                {
                    // The vendor write: give the other workers the moment it would take, so they pile up on the next key.
                    await Task.Yield();
                    writes.AddOrUpdate(key.Value, 1, (_, n) => n + 1);
                    await store.CompleteAsync(claim, new IdempotencyResult($"ext-{key.Value}-w{worker}", UpsertOutcome.Created));
                }
            }
        })).ToArray();
        start.SetResult();
        await Task.WhenAll(workers).WaitAsync(TimeSpan.FromSeconds(60));

        Assert.Equal(KeyCount, writes.Count);
        Assert.All(writes, write => Assert.Equal(1, write.Value));
        Assert.Equal(KeyCount, answers[IdempotencyClaimStatus.Acquired]);
        Assert.Equal(Workers * KeyCount, answers.Values.Sum());
        foreach (var key in keys)
        {
            var record = await store.GetAsync(key);
            Assert.Equal(IdempotencyState.Completed, record!.State);
            Assert.Equal(1, record.Attempts);
            Assert.StartsWith($"ext-{key.Value}-w", record.Result!.ExternalId, StringComparison.Ordinal);
        }
    }
}
