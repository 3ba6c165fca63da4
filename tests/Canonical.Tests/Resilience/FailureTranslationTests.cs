using System.Net;
using Concord.Canonical.Errors;
using Concord.Canonical.Resilience;
using Concord.Canonical.Tests.Resilience.Infrastructure;
using Xunit;

namespace Concord.Canonical.Tests.Resilience;

public sealed class FailureTranslationTests
{
    [Fact]
    public async Task Retries_exhausted_on_429_fail_as_RateLimited_with_Retry_After()
    {
        await using var harness = new ResilienceHarness(o => o.MaxRetryAttempts = 1)
            .Respond(429, ("Retry-After", "3"))
            .Respond(429, ("Retry-After", "7"));

        var failure = await Assert.ThrowsAsync<ConcordException>(() => harness.DriveAsync(harness.Client.GetAsync("records/1")));

        Assert.Equal(ErrorCategory.RateLimited, failure.Category);
        Assert.Equal(TimeSpan.FromSeconds(7), failure.RetryAfter);
        Assert.Equal(429, failure.StatusCode);
        Assert.Equal(ResilienceHarness.System, failure.System);
        Assert.True(failure.IsRetryable);
        Assert.Equal(2, harness.ServerCalls);
    }

    [Fact]
    public async Task Retry_After_longer_than_MaxDelay_is_not_waited_for_but_handed_to_the_caller()
    {
        await using var harness = new ResilienceHarness(o => o.MaxDelay = TimeSpan.FromSeconds(30)).Respond(429, ("Retry-After", "3600"));

        var failure = await Assert.ThrowsAsync<ConcordException>(() => harness.DriveAsync(harness.Client.GetAsync("records/1")));

        Assert.Equal(ErrorCategory.RateLimited, failure.Category);
        Assert.Equal(TimeSpan.FromHours(1), failure.RetryAfter);
        Assert.Equal(1, harness.ServerCalls);
    }

    [Fact]
    public async Task Unmarked_post_on_429_fails_as_RateLimited_without_retry()
    {
        await using var harness = new ResilienceHarness().Respond(429, ("Retry-After", "2"));
        using var request = new HttpRequestMessage(HttpMethod.Post, "records") { Content = new StringContent("{}") }.WithOperation("upsert");

        var failure = await Assert.ThrowsAsync<ConcordException>(() => harness.DriveAsync(harness.Client.SendAsync(request)));

        Assert.Equal(ErrorCategory.RateLimited, failure.Category);
        Assert.Equal(TimeSpan.FromSeconds(2), failure.RetryAfter);
        Assert.Equal("upsert", failure.Operation);
        Assert.Equal(1, harness.ServerCalls);
    }

    [Fact]
    public async Task Connection_refused_after_retries_fails_as_Transient()
    {
        await using var harness = new ResilienceHarness(o => o.MaxRetryAttempts = 2);
        await harness.StopServerAsync();

        var failure = await Assert.ThrowsAsync<ConcordException>(() => harness.DriveAsync(harness.Client.GetAsync("records/1")));

        Assert.Equal(ErrorCategory.Transient, failure.Category);
        Assert.IsType<HttpRequestException>(failure.InnerException);
        Assert.Equal(3, harness.Recorder.Attempts.Count);
    }

    [Fact]
    public async Task Total_timeout_fails_as_Transient()
    {
        await using var harness = new ResilienceHarness(o =>
        {
            o.MaxRetryAttempts = 10;
            o.BaseDelay = TimeSpan.FromSeconds(40);
            o.UseJitter = false;
            o.MaxDelay = TimeSpan.FromSeconds(40);
        }).Respond(503, 503, 503, 503);

        var failure = await Assert.ThrowsAsync<ConcordException>(() => harness.DriveAsync(harness.Client.GetAsync("records/1")));

        Assert.Equal(ErrorCategory.Transient, failure.Category);
        Assert.Contains("timed out", failure.Message, StringComparison.Ordinal);
        Assert.Equal(3, harness.ServerCalls); // at 0 s, 40 s and 80 s; the 97 s total timeout ends the wait before 120 s
    }

    [Fact]
    public async Task Caller_cancellation_is_not_translated()
    {
        await using var harness = new ResilienceHarness();
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => harness.Client.GetAsync("records/1", cancelled.Token));
    }

    [Fact]
    public void TryTranslate_leaves_unknown_exceptions_alone()
    {
        Assert.False(TransportFailure.TryTranslate(new InvalidOperationException("bug"), "odoo", "upsert", out var translated));
        Assert.Null(translated);
    }

    [Fact]
    public void TryTranslate_maps_network_errors_to_Transient_with_system_and_operation()
    {
        var ok = TransportFailure.TryTranslate(new HttpRequestException(HttpRequestError.ConnectionError, "refused"), "odoo", "upsert", out var translated);

        Assert.True(ok);
        Assert.Equal(ErrorCategory.Transient, translated!.Category);
        Assert.Equal(("odoo", "upsert"), (translated.System, translated.Operation));
        Assert.Contains("ConnectionError", translated.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void TryTranslate_returns_a_ConcordException_unchanged()
    {
        var original = new ConcordException(ErrorCategory.Validation, "bad");

        Assert.True(TransportFailure.TryTranslate(original, "odoo", null, out var translated));
        Assert.Same(original, translated);
    }
}
