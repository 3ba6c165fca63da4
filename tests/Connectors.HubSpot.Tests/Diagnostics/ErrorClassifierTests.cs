using System.Net;
using Concord.Canonical.Errors;
using Concord.Connectors.HubSpot.Diagnostics;

namespace Concord.Connectors.HubSpot.Tests.Diagnostics;

/// <summary>Every row of the facts page's error classification table.</summary>
public sealed class ErrorClassifierTests
{
    public static TheoryData<int, string?, ErrorCategory, bool> Table() => new()
    {
        { 429, """{"status":"error","message":"You have reached your ten_secondly_rolling limit.","errorType":"RATE_LIMIT","policyName":"TEN_SECONDLY_ROLLING"}""", ErrorCategory.RateLimited, true },
        { 429, """{"status":"error","message":"You have reached your daily limit.","errorType":"RATE_LIMIT","policyName":"DAILY"}""", ErrorCategory.RateLimited, true },
        { 429, """{"status":"error","message":"You have reached your secondly limit.","errorType":"RATE_LIMIT","policyName":"SECONDLY"}""", ErrorCategory.RateLimited, true },
        { 423, """{"status":"error","message":"locked","category":"LOCKED"}""", ErrorCategory.Transient, true },
        { 477, """{"status":"error","message":"migration in progress"}""", ErrorCategory.Transient, true },
        { 500, """{"status":"error","message":"internal error"}""", ErrorCategory.Transient, true },
        { 502, null, ErrorCategory.Transient, true },
        { 503, null, ErrorCategory.Transient, true },
        { 504, null, ErrorCategory.Transient, true },
        { 521, null, ErrorCategory.Transient, true },
        { 523, null, ErrorCategory.Transient, true },
        { 524, null, ErrorCategory.Transient, true },
        { 401, """{"status":"error","message":"Authentication credentials not found.","category":"INVALID_AUTHENTICATION"}""", ErrorCategory.Authentication, false },
        { 401, """{"status":"error","message":"The OAuth token used to make this call expired 5 second(s) ago.","category":"EXPIRED_AUTHENTICATION"}""", ErrorCategory.Authentication, false },
        { 403, """{"status":"error","message":"This app hasn't been granted all required scopes.","category":"MISSING_SCOPES","errors":[{"message":"One or more of the following scopes are required.","context":{"requiredGranularScopes":["crm.objects.companies.write"]}}]}""", ErrorCategory.Authorization, false },
        { 400, """{"status":"error","message":"Property values were not valid","category":"VALIDATION_ERROR","errors":[{"message":"x was not one of the allowed options","code":"INVALID_OPTION","in":"industry"}]}""", ErrorCategory.Validation, false },
        { 404, """{"status":"error","message":"Object not found.","category":"OBJECT_NOT_FOUND"}""", ErrorCategory.NotFound, false },
        { 409, """{"status":"error","message":"Contact already exists. Existing ID: 12345","category":"CONFLICT"}""", ErrorCategory.Conflict, false },
        { 414, null, ErrorCategory.Validation, false },
        { 522, null, ErrorCategory.Transient, false },
        { 525, null, ErrorCategory.Transient, false },
        { 526, null, ErrorCategory.Transient, false },
    };

    [Theory]
    [MemberData(nameof(Table))]
    public void Each_row_of_the_error_table_maps_to_its_category(int status, string? body, ErrorCategory category, bool retryable)
    {
        var error = HubSpotErrorClassifier.FromResponse((HttpStatusCode)status, body, null, "hubspot", "upsert-many", "2 companies");

        Assert.Equal(category, error.Category);
        Assert.Equal(retryable, error.IsRetryable);
        Assert.Equal(status, error.StatusCode);
    }

    [Fact]
    public void Missing_scopes_are_named_and_validation_errors_become_field_errors()
    {
        var scopes = HubSpotErrorClassifier.FromResponse(HttpStatusCode.Forbidden, """{"category":"MISSING_SCOPES","errors":[{"context":{"requiredGranularScopes":["crm.schemas.companies.write"]}}]}""", null, "hubspot", "set-up", "property");
        var invalid = HubSpotErrorClassifier.FromResponse(HttpStatusCode.BadRequest, """{"category":"VALIDATION_ERROR","correlationId":"c-1","errors":[{"message":"NaN was not a valid number.","code":"INVALID_INTEGER","in":"numberofemployees"}]}""", null, "hubspot", "upsert", "1 companies");

        Assert.Contains("crm.schemas.companies.write", scopes.Message, StringComparison.Ordinal);
        Assert.Equal(new FieldError("numberofemployees", "NaN was not a valid number.", "INVALID_INTEGER"), Assert.Single(invalid.FieldErrors));
        Assert.Equal("c-1", invalid.CorrelationId);
    }

    [Fact]
    public void A_423_asks_for_the_two_second_lock_and_a_477_for_its_retry_after()
    {
        var locked = HubSpotErrorClassifier.FromResponse((HttpStatusCode)423, null, null, "hubspot", "upsert", "x");
        var migrating = HubSpotErrorClassifier.FromResponse((HttpStatusCode)477, null, TimeSpan.FromHours(3), "hubspot", "upsert", "x");

        Assert.Equal(TimeSpan.FromSeconds(2), locked.RetryAfter);
        Assert.Equal(TimeSpan.FromHours(3), migrating.RetryAfter);
    }

    [Theory]
    [InlineData("Contact already exists. Existing ID: 12345", "12345")]
    [InlineData("A company with the unique value for property 'concord_external_id' already exists. Existing ID: 987", "987")]
    [InlineData("Conflict without an id", null)]
    public void The_existing_id_is_read_from_a_conflict_message(string message, string? id)
    {
        Assert.Equal(id, HubSpotErrorClassifier.ExistingId(message));
    }

    [Fact]
    public void An_oauth_invalid_grant_is_authentication_and_says_to_re_authorize()
    {
        var error = HubSpotErrorClassifier.FromOAuth(new Api.Dtos.OAuthError { Error = "invalid_grant", Description = "missing or unknown refresh token", Status = "BAD_REFRESH_TOKEN" }, 400, "hubspot", "api.hubapi.com");

        Assert.Equal(ErrorCategory.Authentication, error.Category);
        Assert.Equal("invalid_grant", error.VendorErrorCode);
        Assert.Contains("re-authorize", error.Message, StringComparison.Ordinal);
    }
}
