using Concord.Connectors.HubSpot.Limits;
using Microsoft.Extensions.Time.Testing;

namespace Concord.Connectors.HubSpot.Tests.Limits;

public sealed class WindowLimiterTests
{
    [Fact]
    public async Task Requests_hubspot_still_counts_because_they_arrived_later_are_not_mistaken_for_another_process()
    {
        var clock = new FakeTimeProvider();
        var limiter = new WindowLimiter(20, TimeSpan.FromSeconds(10), clock);
        for (var i = 0; i < 10; i++)
        {
            (await limiter.AcquireAsync(CancellationToken.None)).Dispose(); // answered at once
        }

        clock.Advance(TimeSpan.FromSeconds(10.2)); // gone from this limiter's window, still inside HubSpot's (they arrived 0.3 s later)
        limiter.Observe(20, TimeSpan.FromSeconds(10), serverUsed: 10);

        Assert.Equal(20, await Granted(limiter));
    }

    [Fact]
    public async Task Requests_of_another_process_seen_in_the_headers_hold_permits()
    {
        var clock = new FakeTimeProvider();
        var limiter = new WindowLimiter(20, TimeSpan.FromSeconds(10), clock);
        (await limiter.AcquireAsync(CancellationToken.None)).Dispose();

        limiter.Observe(20, TimeSpan.FromSeconds(10), serverUsed: 13);

        Assert.Equal(7, await Granted(limiter));
    }

    [Fact]
    public async Task Exhausting_after_a_429_holds_every_permit_for_one_window()
    {
        var clock = new FakeTimeProvider();
        var limiter = new WindowLimiter(5, TimeSpan.FromSeconds(10), clock);

        limiter.Exhaust();
        var held = await Granted(limiter);
        clock.Advance(TimeSpan.FromSeconds(10));

        Assert.Equal(0, held);
        Assert.Equal(5, await Granted(limiter));
    }

    [Fact]
    public async Task A_permit_is_held_while_its_request_is_in_flight_and_for_a_window_after_it_ended()
    {
        var clock = new FakeTimeProvider();
        var limiter = new WindowLimiter(2, TimeSpan.FromSeconds(1), clock);
        var first = await limiter.AcquireAsync(CancellationToken.None);
        (await limiter.AcquireAsync(CancellationToken.None)).Dispose();

        clock.Advance(TimeSpan.FromSeconds(5)); // the first request is still in flight; the second ended long ago
        var whileInFlight = await Granted(limiter);
        first.Dispose();
        var justAfter = await Granted(limiter);
        clock.Advance(TimeSpan.FromSeconds(1));

        Assert.Equal(1, whileInFlight);
        Assert.Equal(0, justAfter);
        Assert.Equal(1, await Granted(limiter));
    }

    /// <summary>How many permits are granted at once, without the clock moving (the first waiting caller gives up); the grants stay in flight.</summary>
    private static async Task<int> Granted(WindowLimiter limiter)
    {
        var granted = 0;
        while (true)
        {
            using var giveUp = new CancellationTokenSource();
            var acquire = limiter.AcquireAsync(giveUp.Token).AsTask();
            await Task.Yield();
            if (!acquire.IsCompleted)
            {
                await giveUp.CancelAsync();
                await Assert.ThrowsAnyAsync<OperationCanceledException>(() => acquire);
                return granted;
            }

            await acquire;
            granted++;
        }
    }
}
