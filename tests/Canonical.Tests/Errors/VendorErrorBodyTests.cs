using Concord.Canonical.Errors;
using Xunit;

namespace Concord.Canonical.Tests.Errors;

/// <summary>The vendor's code and words are read from each platform's error shape, masked and cut; anything else reads as nothing.</summary>
public sealed class VendorErrorBodyTests
{
    [Theory]
    [InlineData("""[{"message":"ConcurrentRequests (Concurrent API Requests) Limit exceeded.","errorCode":"REQUEST_LIMIT_EXCEEDED"}]""", "REQUEST_LIMIT_EXCEEDED", "ConcurrentRequests (Concurrent API Requests) Limit exceeded.")]
    [InlineData("""{"status":"error","message":"You have reached your ten_secondly_rolling limit.","errorType":"RATE_LIMIT","correlationId":"c-1","policyName":"TEN_SECONDLY_ROLLING"}""", "RATE_LIMIT", "You have reached your ten_secondly_rolling limit.")]
    [InlineData("""{"errors":[{"code":"TooManyRequests","title":"Too Many Requests","detail":"Number of allowed API requests per minute exceeded"}]}""", "TooManyRequests", "Number of allowed API requests per minute exceeded")]
    [InlineData("""{"error":"TooManyJobs","description":"Number of allowed concurrent jobs exceeded."}""", "TooManyJobs", "Number of allowed concurrent jobs exceeded.")]
    [InlineData("""{"error":"invalid_grant","error_description":"expired access/refresh token"}""", "invalid_grant", "expired access/refresh token")]
    [InlineData("""{"jsonrpc":"2.0","error":{"code":200,"message":"Odoo Server Error","data":{"name":"odoo.exceptions.AccessDenied","message":"Access Denied"}}}""", "odoo.exceptions.AccessDenied", "Access Denied")]
    [InlineData("""{"name":"werkzeug.exceptions.TooManyRequests","message":"429 Too Many Requests"}""", "werkzeug.exceptions.TooManyRequests", "429 Too Many Requests")]
    public void Each_platforms_error_shape_gives_its_code_and_text(string body, string code, string text)
    {
        Assert.True(VendorErrorBody.TryRead(body, out var readCode, out var readText));

        Assert.Equal(code, readCode);
        Assert.Equal(text, readText);
    }

    [Fact]
    public void Personal_data_in_the_text_is_masked_and_long_text_is_cut()
    {
        var body = $$"""[{"errorCode":"INVALID_EMAIL_ADDRESS","message":"Email: invalid email address: ada.lovelace@example.org {{new string('x', 400)}}"}]""";

        Assert.True(VendorErrorBody.TryRead(body, out _, out var text));

        Assert.DoesNotContain("ada.lovelace@", text, StringComparison.Ordinal);
        Assert.Contains("a***@example.org", text, StringComparison.Ordinal);
        Assert.Equal(VendorErrorBody.MaxTextLength, text!.Length);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("<html><body>Too Many Requests</body></html>")]
    [InlineData("{\"status\":429}")]
    [InlineData("[1, 2]")]
    [InlineData("{not json")]
    public void Bodies_without_a_vendor_error_read_as_nothing(string? body)
    {
        Assert.False(VendorErrorBody.TryRead(body, out var code, out var text));
        Assert.Null(code);
        Assert.Null(text);
    }
}
