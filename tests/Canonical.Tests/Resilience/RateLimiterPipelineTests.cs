using System.Net;
using Concord.Canonical.Errors;
using Concord.Canonical.Tests.Resilience.Infrastructure;
using Xunit;

namespace Concord.Canonical.Tests.Resilience;

public sealed class RateLimiterPipelineTests
{
    [Fact]
    public async Task Eleventh_request_within_a_second_waits_for_the_window()
    {
        await using var harness = new ResilienceHarness(o => { o.PermitLimit = 10; o.Window = TimeSpan.FromSeconds(1); });
        var start = harness.Clock.GetUtcNow();

        var calls = Enumerable.Range(0, 11).Select(i => harness.Client.GetAsync($"records/{i}")).ToArray();
        await harness.WaitUntilAsync(() => calls.Count(c => c.IsCompleted) == 10 && harness.Recorder.InFlight == 0);

        Assert.Equal(10, harness.ServerCalls);
        var waiting = Assert.Single(calls, c => !c.IsCompleted);

        harness.Clock.Advance(TimeSpan.FromMilliseconds(999));
        Assert.False(waiting.IsCompleted);
        harness.Clock.Advance(TimeSpan.FromMilliseconds(1));
        using var response = await waiting.WaitAsync(TimeSpan.FromSeconds(15));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(11, harness.ServerCalls);
        Assert.Equal(TimeSpan.FromSeconds(1), harness.Recorder.Attempts[^1] - start);
        foreach (var call in calls.Where(c => c != waiting))
        {
            (await call).Dispose();
        }
    }

    [Fact]
    public async Task Full_limiter_queue_fails_as_RateLimited_without_calling_the_vendor()
    {
        await using var harness = new ResilienceHarness(o => { o.PermitLimit = 1; o.QueueLimit = 0; });
        using var first = await harness.Client.GetAsync("records/1");

        var failure = await Assert.ThrowsAsync<ConcordException>(() => harness.Client.GetAsync("records/2"));

        Assert.Equal(ErrorCategory.RateLimited, failure.Category);
        Assert.Equal(TimeSpan.FromSeconds(1), failure.RetryAfter);
        Assert.Equal(1, harness.ServerCalls);
    }

    [Fact]
    public async Task Retries_take_permits_too()
    {
        await using var harness = new ResilienceHarness(o =>
        {
            o.PermitLimit = 2;
            o.Window = TimeSpan.FromSeconds(10);
            o.BaseDelay = TimeSpan.FromMilliseconds(100);
        }).Respond(503, 503);

        using var response = await harness.DriveAsync(harness.Client.GetAsync("records/1"));

        var attempts = harness.Recorder.Attempts;
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(3, attempts.Count);
        Assert.Equal(TimeSpan.FromSeconds(10), attempts[2] - attempts[0]); // the third attempt waited for the window
    }
}
