using Xunit;
using System.Threading.RateLimiting;
using Concord.Resilience.Internal;
using Microsoft.Extensions.Time.Testing;

namespace Concord.Canonical.Tests.Resilience;

public sealed class SlidingWindowLogLimiterTests
{
    [Fact]
    public async Task Limiter_at_10_per_second_never_lets_11_through_in_any_second()
    {
        var time = new FakeTimeProvider();
        using var limiter = new SlidingWindowLogLimiter(10, TimeSpan.FromSeconds(1), queueLimit: 100, time);
        var start = time.GetUtcNow();
        var grants = new List<TimeSpan>();

        // 35 callers at t = 0, 10 more at t = 0.35 s; the clock moves in uneven 70 ms steps.
        var pending = Enumerable.Range(0, 35).Select(_ => limiter.AcquireAsync().AsTask()).ToList();
        for (var step = 0; step < 80 && pending.Count > 0; step++)
        {
            foreach (var done in pending.Where(t => t.IsCompleted).ToList())
            {
                Assert.True((await done).IsAcquired);
                grants.Add(time.GetUtcNow() - start);
                pending.Remove(done);
            }

            if (step == 5)
            {
                pending.AddRange(Enumerable.Range(0, 10).Select(_ => limiter.AcquireAsync().AsTask()));
            }

            time.Advance(TimeSpan.FromMilliseconds(70));
        }

        Assert.Empty(pending);
        Assert.Equal(45, grants.Count);
        grants.Sort();
        for (var i = 0; i + 10 < grants.Count; i++)
        {
            Assert.True(grants[i + 10] - grants[i] >= TimeSpan.FromSeconds(1), $"Grants {i} and {i + 10} are {grants[i + 10] - grants[i]} apart.");
        }

        // And it is not slower than it must be: 45 grants at 10 per second end within the fifth second.
        Assert.True(grants[^1] < TimeSpan.FromSeconds(4.5), $"The last grant came at {grants[^1]}.");
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
