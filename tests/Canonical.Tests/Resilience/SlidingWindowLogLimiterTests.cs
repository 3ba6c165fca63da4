using System.Threading.RateLimiting;
using Concord.Canonical.Resilience.Internal;
using Microsoft.Extensions.Time.Testing;
using Xunit;

namespace Concord.Canonical.Tests.Resilience;

public sealed class SlidingWindowLogLimiterTests
{
    [Fact]
    public async Task Limiter_at_10_per_second_never_lets_11_through_in_any_second()
    {
        var time = new FakeTimeProvider();
        using var limiter = new SlidingWindowLogLimiter(10, TimeSpan.FromSeconds(1), queueLimit: 500, time);
        var step = TimeSpan.FromMilliseconds(10);
        var random = new Random(42);
        var arrivals = new List<TimeSpan>();
        var pending = new List<(int Index, Task<RateLimitLease> Lease)>();
        var grants = new Dictionary<int, TimeSpan>();

        // Bursts of 15 at 0 s and 1.5 s, and single callers at random 10 ms steps until 3 s; the clock moves 10 ms at a time.
        for (var tick = 0; tick < 1500 && (tick <= 300 || pending.Count > 0); tick++)
        {
            var now = step * tick;
            var arriving = tick is 0 or 150 ? 15 : tick <= 300 && random.NextDouble() < 0.15 ? 1 : 0;
            for (var i = 0; i < arriving; i++)
            {
                arrivals.Add(now);
                pending.Add((arrivals.Count - 1, limiter.AcquireAsync().AsTask()));
            }

            foreach (var done in pending.Where(p => p.Lease.IsCompleted).ToList())
            {
                Assert.True((await done.Lease).IsAcquired);
                grants[done.Index] = now;
                pending.Remove(done);
            }

            time.Advance(step);
        }

        Assert.Empty(pending);
        var granted = Enumerable.Range(0, arrivals.Count).Select(i => grants[i]).ToList();
        for (var i = 0; i + 10 < granted.Count; i++)
        {
            Assert.True(granted[i + 10] - granted[i] >= TimeSpan.FromSeconds(1), $"Grants {i} and {i + 10} are {granted[i + 10] - granted[i]} apart.");
        }

        // Not slower than it must be either: first come, first served, each as early as the window allows.
        var expected = new List<TimeSpan>();
        for (var i = 0; i < arrivals.Count; i++)
        {
            var earliest = arrivals[i];
            if (i > 0 && expected[i - 1] > earliest)
            {
                earliest = expected[i - 1];
            }

            if (i >= 10 && expected[i - 10] + TimeSpan.FromSeconds(1) > earliest)
            {
                earliest = expected[i - 10] + TimeSpan.FromSeconds(1);
            }

            expected.Add(earliest);
        }

        Assert.Equal(expected, granted);
    }

    [Fact]
    public async Task Caller_arriving_just_before_the_window_ends_waits_until_it_ends()
    {
        var time = new FakeTimeProvider();
        using var limiter = new SlidingWindowLogLimiter(10, TimeSpan.FromSeconds(1), queueLimit: 10, time);
        for (var i = 0; i < 10; i++)
        {
            using var lease = await limiter.AcquireAsync();
            Assert.True(lease.IsAcquired);
        }

        time.Advance(TimeSpan.FromMilliseconds(950));
        var late = limiter.AcquireAsync();
        Assert.False(late.IsCompleted);
        time.Advance(TimeSpan.FromMilliseconds(49));
        Assert.False(late.IsCompleted);
        time.Advance(TimeSpan.FromMilliseconds(1));

        Assert.True(late.IsCompleted);
        using var granted = await late;
        Assert.True(granted.IsAcquired);
    }

    [Fact]
    public async Task Full_queue_rejects_with_a_retry_after()
    {
        var time = new FakeTimeProvider();
        using var limiter = new SlidingWindowLogLimiter(2, TimeSpan.FromSeconds(1), queueLimit: 1, time);

        using var a = await limiter.AcquireAsync();
        using var b = await limiter.AcquireAsync();
        var queued = limiter.AcquireAsync();
        using var rejected = await limiter.AcquireAsync();

        Assert.True(a.IsAcquired && b.IsAcquired);
        Assert.False(queued.IsCompleted);
        Assert.False(rejected.IsAcquired);
        Assert.True(rejected.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter));
        Assert.Equal(TimeSpan.FromSeconds(1), retryAfter);

        time.Advance(TimeSpan.FromSeconds(1));
        using var granted = await queued;
        Assert.True(granted.IsAcquired);
    }

    [Fact]
    public async Task Cancelled_waiter_leaves_the_queue_and_frees_its_place()
    {
        var time = new FakeTimeProvider();
        using var limiter = new SlidingWindowLogLimiter(1, TimeSpan.FromSeconds(1), queueLimit: 1, time);
        using var first = await limiter.AcquireAsync();
        using var cancellation = new CancellationTokenSource();

        var waiting = limiter.AcquireAsync(cancellation.Token).AsTask();
        await cancellation.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => waiting);
        Assert.Equal(0, limiter.QueuedCount);
        var next = limiter.AcquireAsync();
        time.Advance(TimeSpan.FromSeconds(1));
        using var lease = await next;
        Assert.True(lease.IsAcquired);
    }

    [Fact]
    public async Task Waiters_are_served_first_in_first_out()
    {
        var time = new FakeTimeProvider();
        using var limiter = new SlidingWindowLogLimiter(1, TimeSpan.FromSeconds(1), queueLimit: 10, time);
        using var _ = await limiter.AcquireAsync();
        var order = new List<int>();
        var waiters = Enumerable.Range(0, 3)
            .Select(i => limiter.AcquireAsync().AsTask().ContinueWith(_ => { lock (order) { order.Add(i); } }, TaskScheduler.Default))
            .ToArray();

        for (var i = 0; i < 3; i++)
        {
            time.Advance(TimeSpan.FromSeconds(1));
            await waiters[i];
        }

        Assert.Equal([0, 1, 2], order);
    }
}
