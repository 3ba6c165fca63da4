using Concord.Canonical.Resilience;
using Xunit;

namespace Concord.Canonical.Tests.Resilience;

public sealed class IdempotencyMarkTests
{
    [Theory]
    [InlineData("GET", true)]
    [InlineData("HEAD", true)]
    [InlineData("OPTIONS", true)]
    [InlineData("DELETE", true)]
    [InlineData("POST", false)]
    [InlineData("PATCH", false)]
    [InlineData("PUT", false)]
    public void Unmarked_requests_are_retryable_only_for_safe_or_idempotent_methods(string method, bool retryable)
    {
        using var request = new HttpRequestMessage(new HttpMethod(method), "http://127.0.0.1/x");

        Assert.Equal(retryable, request.IsRetryable());
    }

    [Theory]
    [InlineData("POST")]
    [InlineData("PATCH")]
    [InlineData("PUT")]
    public void Marked_writes_are_retryable(string method)
    {
        using var request = new HttpRequestMessage(new HttpMethod(method), "http://127.0.0.1/x").MarkIdempotent();

        Assert.True(request.IsMarkedIdempotent());
        Assert.True(request.IsRetryable());
    }

    [Fact]
    public void A_false_mark_does_not_make_a_post_retryable()
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "http://127.0.0.1/x");
        request.Options.Set(new HttpRequestOptionsKey<object?>(ConcordHttpRequest.IdempotentPropertyName), false);

        Assert.False(request.IsRetryable());
    }
}
