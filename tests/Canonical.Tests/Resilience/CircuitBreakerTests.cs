using System.Net;
using Concord.Canonical.Errors;
using Concord.Canonical.Tests.Resilience.Infrastructure;
using Xunit;

namespace Concord.Canonical.Tests.Resilience;

public sealed class CircuitBreakerTests
{
    private static ResilienceHarness Breaker(int failures) => new(o =>
    {
        o.MaxRetryAttempts = 0;
        o.FailureRatio = 1.0;
        o.MinimumThroughput = failures;
        o.SamplingDuration = TimeSpan.FromSeconds(30);
        o.BreakDuration = TimeSpan.FromSeconds(15);
    });

    [Fact]
    public async Task Circuit_opens_after_N_failures_and_fails_fast_as_Transient()
    {
        await using var harness = Breaker(failures: 3).Respond(500, 500, 500);
        for (var i = 0; i < 3; i++)
        {
            using var failed = await harness.DriveAsync(harness.Client.GetAsync("records/1"));
            Assert.Equal(HttpStatusCode.InternalServerError, failed.StatusCode);
        }

        var failure = await Assert.ThrowsAsync<ConcordException>(() => harness.DriveAsync(harness.Client.GetAsync("records/1")));

        Assert.Equal(ErrorCategory.Transient, failure.Category);
        Assert.Equal(ResilienceHarness.System, failure.System);
        Assert.Equal(TimeSpan.FromSeconds(15), failure.RetryAfter);
        Assert.Contains("circuit is open", failure.Message, StringComparison.Ordinal);
        Assert.Equal(3, harness.ServerCalls); // the fourth call never reached the server
    }

    [Fact]
    public async Task Circuit_lets_a_trial_call_through_after_the_break_and_closes_on_success()
    {
        await using var harness = Breaker(failures: 2).Respond(503, 503);
        for (var i = 0; i < 2; i++)
        {
            using var _ = await harness.DriveAsync(harness.Client.GetAsync("records/1"));
        }

        await Assert.ThrowsAsync<ConcordException>(() => harness.DriveAsync(harness.Client.GetAsync("records/1")));
        harness.Clock.Advance(TimeSpan.FromSeconds(15));
        using var trial = await harness.DriveAsync(harness.Client.GetAsync("records/1"));
        using var after = await harness.DriveAsync(harness.Client.GetAsync("records/1"));

        Assert.Equal(HttpStatusCode.OK, trial.StatusCode);
        Assert.Equal(HttpStatusCode.OK, after.StatusCode);
        Assert.Equal(4, harness.ServerCalls);
    }

    [Fact]
    public async Task Throttling_429_does_not_open_the_circuit()
    {
        await using var harness = Breaker(failures: 2).Respond(429, 429, 429);
        for (var i = 0; i < 3; i++)
        {
            var throttled = await Assert.ThrowsAsync<ConcordException>(() => harness.DriveAsync(harness.Client.GetAsync("records/1")));
            Assert.Equal(ErrorCategory.RateLimited, throttled.Category);
        }

        using var response = await harness.DriveAsync(harness.Client.GetAsync("records/1"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(4, harness.ServerCalls);
    }
}
