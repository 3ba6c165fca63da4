using Concord.Canonical.Resilience;
using Xunit;

namespace Concord.StoreContracts.Tests;

/// <summary>
/// What every <see cref="IRateBudgetStore"/> keeps: a window's slices never hold more than the limit together, slices that
/// leave the window free their permits, budgets are apart, and concurrent draws (from other handles on the same store, as
/// other processes would hold) never take more than the limit.
/// </summary>
public abstract class RateBudgetStoreContractTests
{
    /// <summary>A new, empty store.</summary>
    protected abstract IRateBudgetStore CreateStore();

    /// <summary>Another handle on the same store, as another process would open it; the same object for an in-memory store.</summary>
    protected virtual IRateBudgetStore OpenAgain(IRateBudgetStore store) => store;

    private static RateBudgetRequest Draw(long segment, int permits, int limit = 10, string budget = "hubspot:eu", int windowSegments = 11, long? held = null) =>
        new() { Budget = budget, Segment = segment, HeldSegment = held ?? segment, WindowSegments = windowSegments, Permits = permits, Limit = limit };

    [Fact]
    public async Task Grants_up_to_the_limit_then_nothing_within_the_window()
    {
        var store = CreateStore();

        Assert.Equal(4, await store.TakeAsync(Draw(100, 4)));
        Assert.Equal(6, await store.TakeAsync(Draw(105, 8)));   // partial: only 6 left in slices 95..105
        Assert.Equal(0, await store.TakeAsync(Draw(110, 1)));   // slice 100 still counts (110 - 11 + 1 = 100)
    }

    [Fact]
    public async Task Slices_that_leave_the_window_free_their_permits()
    {
        var store = CreateStore();
        Assert.Equal(10, await store.TakeAsync(Draw(100, 10)));

        Assert.Equal(0, await store.TakeAsync(Draw(110, 1)));
        Assert.Equal(10, await store.TakeAsync(Draw(111, 10)));
        Assert.Equal(0, await store.TakeAsync(Draw(121, 1)));
    }

    [Fact]
    public async Task Held_permits_count_until_released_then_for_the_window_after_their_release()
    {
        var store = CreateStore();
        Assert.Equal(6, await store.TakeAsync(Draw(100, 6, held: 400)));      // in flight: held in slice 400

        Assert.Equal(4, await store.TakeAsync(Draw(150, 10)));               // slice 100 left the window, the held 6 did not
        await store.ReleaseAsync("hubspot:eu", 400, 155, 6);                // completed in slice 155
        Assert.Equal(0, await store.TakeAsync(Draw(160, 1)));               // 4 (slice 150) + 6 (slice 155)
        Assert.Equal(4, await store.TakeAsync(Draw(161, 10)));              // slice 150 has left, 155 still counts
        Assert.Equal(0, await store.TakeAsync(Draw(161, 1, held: 500)));
    }

    [Fact]
    public async Task Releasing_permits_that_are_no_longer_held_counts_nothing()
    {
        var store = CreateStore();
        Assert.Equal(3, await store.TakeAsync(Draw(100, 3, held: 120)));

        Assert.Equal(5, await store.TakeAsync(Draw(131, 5)));                // the hold (slice 120) left the window
        await store.ReleaseAsync("hubspot:eu", 120, 131, 3);
        Assert.Equal(5, await store.TakeAsync(Draw(131, 10)));               // the release added nothing
    }

    [Fact]
    public async Task Budgets_are_counted_apart()
    {
        var store = CreateStore();
        Assert.Equal(10, await store.TakeAsync(Draw(100, 10, budget: "hubspot:eu")));

        Assert.Equal(10, await store.TakeAsync(Draw(100, 10, budget: "hubspot:us")));
        Assert.Equal(0, await store.TakeAsync(Draw(100, 1, budget: "hubspot:eu")));
    }

    [Fact]
    public async Task A_later_slice_counted_by_a_clock_running_ahead_still_counts()
    {
        var store = CreateStore();
        Assert.Equal(7, await store.TakeAsync(Draw(102, 7)));

        Assert.Equal(3, await store.TakeAsync(Draw(100, 10)));
    }

    [Fact]
    public async Task Concurrent_draws_from_several_handles_never_take_more_than_the_limit()
    {
        var store = CreateStore();
        var handles = new[] { store, OpenAgain(store), OpenAgain(store) };

        var draws = Enumerable.Range(0, 60)
            .Select(i => Task.Run(async () => await handles[i % handles.Length].TakeAsync(Draw(500, 1 + (i % 3), limit: 25))))
            .ToArray();
        var granted = await Task.WhenAll(draws);

        Assert.Equal(25, granted.Sum());
        Assert.Equal(0, await store.TakeAsync(Draw(500, 1, limit: 25)));
    }

    [Fact]
    public async Task Refuses_a_malformed_draw()
    {
        var store = CreateStore();

        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(async () => await store.TakeAsync(Draw(1, 0)));
        await Assert.ThrowsAsync<ArgumentException>(async () => await store.TakeAsync(Draw(1, 1, budget: " ")));
    }
}
