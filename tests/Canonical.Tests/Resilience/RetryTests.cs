using System.Globalization;
using System.Net;
using Concord.Canonical.Resilience;
using Concord.Canonical.Tests.Resilience.Infrastructure;
using Xunit;

namespace Concord.Canonical.Tests.Resilience;

public sealed class RetryTests
{
    [Fact]
    public async Task Get_answered_503_503_200_succeeds_on_the_third_call()
    {
        await using var harness = new ResilienceHarness().Respond(503, 503, 200);

        using var response = await harness.DriveAsync(harness.Client.GetAsync("records/1"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(3, harness.ServerCalls);
    }

    [Fact]
    public async Task Backoff_is_exponential_from_the_base_delay()
    {
        await using var harness = new ResilienceHarness(o => o.BaseDelay = TimeSpan.FromSeconds(1)).Respond(503, 503, 503, 200);

        using var response = await harness.DriveAsync(harness.Client.GetAsync("records/1"));

        var attempts = harness.Recorder.Attempts;
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(
            [TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(4)],
            attempts.Zip(attempts.Skip(1), (a, b) => b - a));
    }

    [Fact]
    public async Task Retry_After_seconds_is_waited_exactly()
    {
        await using var harness = new ResilienceHarness().Respond(429, ("Retry-After", "2"));

        using var response = await harness.DriveAsync(harness.Client.GetAsync("records/1"));

        var attempts = harness.Recorder.Attempts;
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(2, attempts.Count);
        Assert.Equal(TimeSpan.FromSeconds(2), attempts[1] - attempts[0]);
    }

    [Fact]
    public async Task Retry_After_http_date_is_waited_until_that_date()
    {
        await using var harness = new ResilienceHarness();
        var date = harness.Clock.GetUtcNow().AddSeconds(5).ToString("R", CultureInfo.InvariantCulture);
        harness.Respond(503, ("Retry-After", date));

        using var response = await harness.DriveAsync(harness.Client.GetAsync("records/1"));

        var attempts = harness.Recorder.Attempts;
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(TimeSpan.FromSeconds(5), attempts[1] - attempts[0]);
    }

    [Fact]
    public async Task Retry_After_date_in_the_past_retries_at_once()
    {
        await using var harness = new ResilienceHarness();
        var date = harness.Clock.GetUtcNow().AddMinutes(-5).ToString("R", CultureInfo.InvariantCulture);
        harness.Respond(429, ("Retry-After", date));

        using var response = await harness.DriveAsync(harness.Client.GetAsync("records/1"));

        var attempts = harness.Recorder.Attempts;
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(TimeSpan.Zero, attempts[1] - attempts[0]);
    }

    [Fact]
    public async Task Vendor_hook_sets_the_delay_when_there_is_no_Retry_After()
    {
        await using var harness = new ResilienceHarness(o => o.RetryDelayFromResponse = r =>
            r.Headers.TryGetValues("X-Rate-Reset-Ms", out var values) ? TimeSpan.FromMilliseconds(int.Parse(values.Single(), CultureInfo.InvariantCulture)) : null);
        harness.Respond(429, ("X-Rate-Reset-Ms", "1500"));

        using var response = await harness.DriveAsync(harness.Client.GetAsync("records/1"));

        var attempts = harness.Recorder.Attempts;
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(TimeSpan.FromMilliseconds(1500), attempts[1] - attempts[0]);
    }

    [Fact]
    public async Task Unmarked_post_on_503_is_not_retried()
    {
        await using var harness = new ResilienceHarness().Respond(503);

        using var response = await harness.DriveAsync(harness.Client.PostAsync("records", new StringContent("{}")));

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal(1, harness.ServerCalls);
    }

    [Theory]
    [InlineData("PATCH")]
    [InlineData("PUT")]
    public async Task Unmarked_patch_and_put_on_503_are_not_retried(string method)
    {
        await using var harness = new ResilienceHarness().Respond(503);
        using var request = new HttpRequestMessage(new HttpMethod(method), "records/1") { Content = new StringContent("{}") };

        using var response = await harness.DriveAsync(harness.Client.SendAsync(request));

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal(1, harness.ServerCalls);
    }

    [Fact]
    public async Task Marked_post_on_503_is_retried()
    {
        await using var harness = new ResilienceHarness().Respond(503, 503);
        using var request = new HttpRequestMessage(HttpMethod.Post, "records") { Content = new StringContent("{\"name\":\"Ada\"}") }.MarkIdempotent();

        using var response = await harness.DriveAsync(harness.Client.SendAsync(request));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(3, harness.ServerCalls);
        Assert.All(harness.Server.LogEntries, e => Assert.Equal("{\"name\":\"Ada\"}", e.RequestMessage!.Body));
    }

    [Fact]
    public async Task Post_marked_through_a_boxed_option_like_Refit_property_is_retried()
    {
        await using var harness = new ResilienceHarness().Respond(503);
        using var request = new HttpRequestMessage(HttpMethod.Post, "records") { Content = new StringContent("{}") };
        // Refit stores [Property("Concord.Idempotent")] bool idempotent as a boxed object under the name.
        request.Options.Set(new HttpRequestOptionsKey<object?>(ConcordHttpRequest.IdempotentPropertyName), true);

        using var response = await harness.DriveAsync(harness.Client.SendAsync(request));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(2, harness.ServerCalls);
    }

    [Theory]
    [InlineData(400)]
    [InlineData(401)]
    [InlineData(404)]
    [InlineData(409)]
    [InlineData(501)]
    public async Task Non_transient_status_is_returned_without_retry(int status)
    {
        await using var harness = new ResilienceHarness().Respond(status);

        using var response = await harness.DriveAsync(harness.Client.GetAsync("records/1"));

        Assert.Equal(status, (int)response.StatusCode);
        Assert.Equal(1, harness.ServerCalls);
    }

    [Fact]
    public async Task Retries_exhausted_on_5xx_return_the_last_response_for_the_connector_to_classify()
    {
        await using var harness = new ResilienceHarness(o => o.MaxRetryAttempts = 2).Respond(502, 502, 502, 200);

        using var response = await harness.DriveAsync(harness.Client.GetAsync("records/1"));

        Assert.Equal(HttpStatusCode.BadGateway, response.StatusCode);
        Assert.Equal(3, harness.ServerCalls);
    }
}
