using Concord.Canonical;
using Concord.Canonical.Connectors;
using Concord.Canonical.Errors;
using Concord.Sync.Cursors;
using Concord.Sync.Identity;
using Concord.Sync.Storage;
using Microsoft.Extensions.Time.Testing;
using Xunit;

namespace Concord.StoreContracts.Tests;

/// <summary>A feed lease store with the cursors, identity map and committer of the same state (one process's view of it).</summary>
public sealed record FeedLeaseHandle(IFeedLeaseStore Leases, ICursorStore Cursors, IIdentityMap IdentityMap, IStateCommitter Committer);

/// <summary>
/// The contract of <see cref="IFeedLeaseStore"/> and of the committer's fencing check: one reader per change feed across
/// instances, a token that grows on every takeover, and commits under a lease that was taken over refused whole. Run
/// against each store by a subclass; every <see cref="Open"/> is another instance on the same state.
/// </summary>
public abstract class FeedLeaseContractTests : IDisposable
{
    private static readonly TimeSpan Duration = TimeSpan.FromSeconds(30);

    protected FakeTimeProvider Clock { get; } = new(new DateTimeOffset(2026, 11, 23, 12, 0, 0, TimeSpan.Zero));

    public void Dispose()
    {
        Dispose(true);
        GC.SuppressFinalize(this);
    }

    /// <summary>Opens another handle (as another process would) on this test's state, on <see cref="Clock"/>.</summary>
    protected abstract FeedLeaseHandle Open();

    protected virtual void Dispose(bool disposing)
    {
    }

    [Fact]
    public async Task The_first_holder_gets_token_1_and_a_second_instance_is_refused_while_it_lasts()
    {
        var a = Open();
        var b = Open();

        var lease = await a.Leases.TryAcquireAsync("flow", "salesforce", "a", Duration);
        Clock.Advance(TimeSpan.FromSeconds(29));
        var refused = await b.Leases.TryAcquireAsync("flow", "salesforce", "b", Duration);
        var otherFeed = await b.Leases.TryAcquireAsync("flow", "hubspot", "b", Duration);

        Assert.Equal(1, lease!.Token);
        Assert.Equal("a", lease.Holder);
        Assert.Equal(Clock.GetUtcNow().AddSeconds(1), lease.ExpiresAt);
        Assert.Null(refused);
        Assert.Equal(1, otherFeed!.Token);
        Assert.Equal("a", (await b.Leases.GetAsync("flow", "salesforce"))!.Holder);
    }

    [Fact]
    public async Task Renewing_and_acquiring_again_as_the_holder_keep_the_token_and_push_the_expiry()
    {
        var a = Open();
        var lease = await a.Leases.TryAcquireAsync("flow", "salesforce", "a", Duration);

        Clock.Advance(TimeSpan.FromSeconds(20));
        var renewed = await a.Leases.RenewAsync(lease!, Duration);
        Clock.Advance(TimeSpan.FromSeconds(20));
        var again = await a.Leases.TryAcquireAsync("flow", "salesforce", "a", Duration);
        var refused = await Open().Leases.TryAcquireAsync("flow", "salesforce", "b", Duration);

        Assert.Equal(1, renewed!.Token);
        Assert.Equal(1, again!.Token);
        Assert.Equal(Clock.GetUtcNow() + Duration, again.ExpiresAt);
        Assert.Null(refused);
    }

    [Fact]
    public async Task An_expired_lease_is_taken_over_with_the_next_token_and_its_old_holder_can_no_longer_renew_it()
    {
        var a = Open();
        var b = Open();
        var old = await a.Leases.TryAcquireAsync("flow", "salesforce", "a", Duration);

        Clock.Advance(Duration);
        var taken = await b.Leases.TryAcquireAsync("flow", "salesforce", "b", Duration);
        var renewal = await a.Leases.RenewAsync(old!, Duration);
        var retaken = await a.Leases.TryAcquireAsync("flow", "salesforce", "a", Duration);

        Assert.Equal(2, taken!.Token);
        Assert.Equal("b", taken.Holder);
        Assert.Null(renewal);
        Assert.Null(retaken);
        Assert.Equal(2, (await a.Leases.GetAsync("flow", "salesforce"))!.Token);
    }

    [Fact]
    public async Task A_released_lease_is_free_at_once_and_a_stale_release_changes_nothing()
    {
        var a = Open();
        var b = Open();
        var first = await a.Leases.TryAcquireAsync("flow", "salesforce", "a", Duration);

        await a.Leases.ReleaseAsync(first!);
        var second = await b.Leases.TryAcquireAsync("flow", "salesforce", "b", Duration);
        await a.Leases.ReleaseAsync(first!);
        var refused = await a.Leases.TryAcquireAsync("flow", "salesforce", "a", Duration);

        Assert.Equal(2, second!.Token);
        Assert.Null(refused);
        Assert.Null(await a.Leases.GetAsync("flow", "never-leased"));
    }

    [Fact]
    public async Task Of_many_instances_asking_at_once_exactly_one_gets_the_lease()
    {
        var handles = Enumerable.Range(0, 8).Select(_ => Open()).ToList();

        var leases = await Task.WhenAll(handles.Select((h, i) => Task.Run(() => h.Leases.TryAcquireAsync("flow", "salesforce", $"instance-{i}", Duration))));

        var winner = Assert.Single(leases, l => l is not null);
        Assert.Equal(1, winner!.Token);
        Assert.Equal(winner.Holder, (await handles[0].Leases.GetAsync("flow", "salesforce"))!.Holder);
    }

    [Fact]
    public async Task A_commit_under_the_current_lease_checkpoints()
    {
        var a = Open();
        var lease = await a.Leases.TryAcquireAsync("flow", "salesforce", "a", Duration);

        await a.Committer.CommitAsync(new StateChangeSet { Cursor = Checkpoint("10"), IdentityLinks = [Link("c-1", "001")], Lease = lease });

        Assert.Equal("10", (await a.Cursors.GetAsync("flow", "salesforce"))!.Cursor.Value);
    }

    [Fact]
    public async Task A_reader_whose_lease_was_taken_over_cannot_checkpoint_nor_write_anything_else_of_the_page()
    {
        var a = Open();
        var b = Open();
        var old = await a.Leases.TryAcquireAsync("flow", "salesforce", "a", Duration);
        await a.Committer.CommitAsync(new StateChangeSet { Cursor = Checkpoint("10"), Lease = old });
        Clock.Advance(Duration);
        var current = await b.Leases.TryAcquireAsync("flow", "salesforce", "b", Duration);

        var refused = await Assert.ThrowsAsync<FeedLeaseLostException>(() =>
            a.Committer.CommitAsync(new StateChangeSet { Cursor = Checkpoint("20"), IdentityLinks = [Link("c-1", "001")], Lease = old }));
        await b.Committer.CommitAsync(new StateChangeSet { Cursor = Checkpoint("15"), Lease = current });

        Assert.Equal(ErrorCategory.Conflict, refused.Category);
        Assert.Equal(2, refused.CurrentToken);
        Assert.Equal("15", (await a.Cursors.GetAsync("flow", "salesforce"))!.Cursor.Value);
        Assert.Empty(await a.IdentityMap.ResolveAsync([new ExternalRef("salesforce", "001")]));
    }

    [Fact]
    public async Task A_commit_under_a_lease_the_feed_never_had_is_refused()
    {
        var a = Open();
        var forged = new FeedLease { Flow = "flow", Source = "salesforce", Holder = "a", Token = 1, ExpiresAt = Clock.GetUtcNow().AddMinutes(1) };

        await Assert.ThrowsAsync<FeedLeaseLostException>(() => a.Committer.CommitAsync(new StateChangeSet { Cursor = Checkpoint("10"), Lease = forged }));

        Assert.Null(await a.Cursors.GetAsync("flow", "salesforce"));
    }

    private CursorCheckpoint Checkpoint(string cursor) =>
        new() { Flow = "flow", Source = "salesforce", Cursor = new ChangeCursor(cursor), CheckpointedAt = Clock.GetUtcNow() };

    private IdentityLink Link(string canonicalId, string externalId) =>
        new() { CanonicalId = canonicalId, System = "salesforce", ExternalId = externalId, UpdatedAt = Clock.GetUtcNow() };
}
