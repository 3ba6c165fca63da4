using System.Net;
using System.Threading.RateLimiting;
using Concord.Canonical.Errors;
using Concord.Canonical.Resilience;
using Concord.Canonical.Resilience.Internal;
using Concord.Canonical.Tests.Resilience.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Xunit;

namespace Concord.Canonical.Tests.Resilience;

public sealed class SharedBudgetRateLimiterTests
{
    private static readonly TimeSpan Window = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan MaxAttempt = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Two_instances_on_one_store_together_never_exceed_the_limit_in_any_window()
    {
        var clock = new ParkingClock();
        var store = new InMemoryRateBudgetStore();
        using var first = new SharedBudgetRateLimiter(store, "hubspot", 10, Window, queueLimit: 1000, batchSize: 1, MaxAttempt, clock);
        using var second = new SharedBudgetRateLimiter(store, "hubspot", 10, Window, queueLimit: 1000, batchSize: 1, MaxAttempt, clock);

        var grants = await RunBurstsAsync(clock, first, second);

        Assert.Equal(80, grants.Count);                              // every caller was served in the end
        Assert.True(MaxInAnyWindow(grants) <= 10, $"{MaxInAnyWindow(grants)} grants in one {Window} window");
    }

    [Fact]
    public async Task Two_instances_each_with_its_own_budget_exceed_the_limit_together()
    {
        // The same run with a budget per instance (today's behaviour without SharedRateBudget): the check above would fail.
        var clock = new ParkingClock();
        using var first = new SharedBudgetRateLimiter(new InMemoryRateBudgetStore(), "hubspot", 10, Window, 1000, 1, MaxAttempt, clock);
        using var second = new SharedBudgetRateLimiter(new InMemoryRateBudgetStore(), "hubspot", 10, Window, 1000, 1, MaxAttempt, clock);

        var grants = await RunBurstsAsync(clock, first, second);

        Assert.Equal(80, grants.Count);
        Assert.True(MaxInAnyWindow(grants) > 10);
    }

    [Fact]
    public async Task Batched_permits_are_spent_within_their_slice_only()
    {
        var clock = new ParkingClock();
        var store = new InMemoryRateBudgetStore();
        using var batched = new SharedBudgetRateLimiter(store, "odoo", 10, Window, 1000, batchSize: 4, MaxAttempt, clock);

        using (var lease = await batched.AcquireAsync(1))
        {
            Assert.True(lease.IsAcquired);
        }

        Assert.Equal(3, batched.GetStatistics()!.CurrentAvailablePermits);   // 4 counted in the store, 3 spare here
        Assert.Equal(6, await store.TakeAsync(Draw("odoo", clock, 10)));
        clock.Advance(TimeSpan.FromMilliseconds(100));                        // the next slice: the spare ones are gone
        Assert.Equal(0, batched.GetStatistics()!.CurrentAvailablePermits);
    }

    [Fact]
    public async Task A_permit_counts_until_its_attempt_ends_and_for_a_window_after()
    {
        // The vendor counts a request when it arrives, which may be long after it was granted (a cold connection).
        var clock = new ParkingClock();
        using var limiter = new SharedBudgetRateLimiter(new InMemoryRateBudgetStore(), "hubspot", 2, Window, queueLimit: 0, batchSize: 1, MaxAttempt, clock);
        var first = await limiter.AcquireAsync(1);
        var second = await limiter.AcquireAsync(1);

        clock.Advance(TimeSpan.FromSeconds(2));                               // both still in flight, long past their window
        using (var refused = await limiter.AcquireAsync(1))
        {
            Assert.False(refused.IsAcquired);
        }

        first.Dispose();
        second.Dispose();                                                     // their answers arrived at 2 s
        using (var refused = await limiter.AcquireAsync(1))
        {
            Assert.False(refused.IsAcquired);
        }

        clock.Advance(TimeSpan.FromMilliseconds(1100));
        using var granted = await limiter.AcquireAsync(1);
        Assert.True(granted.IsAcquired);
    }

    [Fact]
    public async Task A_full_queue_refuses_with_the_wait_until_the_next_slice()
    {
        var clock = new ParkingClock();
        var store = new InMemoryRateBudgetStore();
        using var limiter = new SharedBudgetRateLimiter(store, "zendesk", 2, Window, queueLimit: 0, batchSize: 1, MaxAttempt, clock);
        clock.Advance(TimeSpan.FromMilliseconds(30));
        (await limiter.AcquireAsync(1)).Dispose();
        (await limiter.AcquireAsync(1)).Dispose();

        using var refused = await limiter.AcquireAsync(1);

        Assert.False(refused.IsAcquired);
        Assert.True(refused.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter));
        Assert.Equal(TimeSpan.FromMilliseconds(70), retryAfter);
    }

    [Fact]
    public async Task Pipeline_with_SharedRateBudget_waits_for_permits_another_instance_spent()
    {
        var store = new InMemoryRateBudgetStore();
        await using var harness = new ResilienceHarness(
            o => { o.SharedRateBudget = true; o.PermitLimit = 10; o.Window = Window; },
            services: s => s.AddSingleton<IRateBudgetStore>(store));
        var start = harness.Clock.GetUtcNow();
        Assert.Equal(10, await store.TakeAsync(Draw(ResilienceHarness.System, harness.Clock, 10)));   // the other instance

        using var response = await harness.DriveAsync(harness.Client.GetAsync("records/1"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(TimeSpan.FromMilliseconds(1100), harness.Recorder.Attempts[0] - start);   // its slice left the window
    }

    [Fact]
    public async Task Pipeline_without_SharedRateBudget_keeps_a_budget_of_its_own()
    {
        var store = new InMemoryRateBudgetStore();
        await using var harness = new ResilienceHarness(
            o => { o.PermitLimit = 10; o.Window = Window; },
            services: s => s.AddSingleton<IRateBudgetStore>(store));
        var start = harness.Clock.GetUtcNow();
        Assert.Equal(10, await store.TakeAsync(Draw(ResilienceHarness.System, harness.Clock, 10)));

        using var response = await harness.DriveAsync(harness.Client.GetAsync("records/1"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(TimeSpan.Zero, harness.Recorder.Attempts[0] - start);
    }

    [Fact]
    public async Task Pipeline_with_SharedRateBudget_and_a_full_queue_fails_as_RateLimited()
    {
        var store = new InMemoryRateBudgetStore();
        await using var harness = new ResilienceHarness(
            o => { o.SharedRateBudget = true; o.RateBudgetKey = "hubspot:portal-62515"; o.PermitLimit = 10; o.Window = Window; o.QueueLimit = 0; },
            services: s => s.AddSingleton<IRateBudgetStore>(store));
        Assert.Equal(10, await store.TakeAsync(Draw("hubspot:portal-62515", harness.Clock, 10)));

        var failure = await Assert.ThrowsAsync<ConcordException>(() => harness.Client.GetAsync("records/1"));

        Assert.Equal(ErrorCategory.RateLimited, failure.Category);
        Assert.Equal(0, harness.ServerCalls);
    }

    private static RateBudgetRequest Draw(string budget, TimeProvider clock, int permits) => new()
    {
        Budget = budget,
        Segment = clock.GetUtcNow().UtcTicks / (Window.Ticks / SharedBudgetRateLimiter.SlicesPerWindow),
        HeldSegment = clock.GetUtcNow().UtcTicks / (Window.Ticks / SharedBudgetRateLimiter.SlicesPerWindow),
        WindowSegments = SharedBudgetRateLimiter.SlicesPerWindow + 1,
        Permits = permits,
        Limit = 10,
    };

    /// <summary>
    /// Each instance gets a burst of 30 callers at 0 s and 10 more at 0.55 s; the clock moves 10 ms at a time, and only once
    /// every caller has either its lease or is parked on the clock, so each grant time is exact.
    /// </summary>
    private static async Task<List<DateTimeOffset>> RunBurstsAsync(ParkingClock clock, params RateLimiter[] instances)
    {
        var pending = new List<Task<DateTimeOffset>>();
        for (var step = 0; step < 2000; step++)
        {
            if (step is 0 or 55)
            {
                foreach (var instance in instances)
                {
                    for (var i = 0; i < (step == 0 ? 30 : 10); i++)
                    {
                        pending.Add(AcquireAsync(instance, clock));
                    }
                }
            }

            await clock.QuiescentAsync(pending);
            if (step > 55 && pending.All(p => p.IsCompleted))
            {
                break;
            }

            clock.Advance(TimeSpan.FromMilliseconds(10));
        }

        Assert.All(pending, p => Assert.True(p.IsCompletedSuccessfully));
        return [.. pending.Select(p => p.Result).Order()];
    }

    private static async Task<DateTimeOffset> AcquireAsync(RateLimiter limiter, TimeProvider clock)
    {
        using var lease = await limiter.AcquireAsync(1);
        Assert.True(lease.IsAcquired);
        return clock.GetUtcNow();
    }

    private static int MaxInAnyWindow(List<DateTimeOffset> grants) =>
        grants.Max(start => grants.Count(t => t >= start && t < start + Window));

    /// <summary>A fake clock that counts the timers armed on it, to tell when every waiting caller is parked.</summary>
    private sealed class ParkingClock() : FakeTimeProvider(new DateTimeOffset(2026, 12, 4, 12, 0, 0, TimeSpan.Zero))
    {
        private int _armed;

        public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
        {
            Interlocked.Increment(ref _armed);
            return base.CreateTimer(
                s =>
                {
                    Interlocked.Decrement(ref _armed);
                    callback(s);
                },
                state,
                dueTime,
                period);
        }

        public async Task QuiescentAsync(List<Task<DateTimeOffset>> callers)
        {
            var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(15);
            while (callers.Count(c => !c.IsCompleted) != Volatile.Read(ref _armed))
            {
                Assert.True(DateTime.UtcNow < deadline, "callers neither finished nor parked within 15 s");
                await Task.Yield();
            }
        }
    }
}
