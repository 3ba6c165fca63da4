using System.Net;
using Concord.Canonical.Errors;
using Concord.Connectors.Salesforce.Api.Dtos;
using Concord.Connectors.Salesforce.Diagnostics;

namespace Concord.Connectors.Salesforce.Tests.Diagnostics;

/// <summary>Every row of the facts page's error tables (§1.4, §6, §10).</summary>
public sealed class ErrorClassifierTests
{
    [Theory]
    [InlineData(401, "INVALID_SESSION_ID", "Session expired or invalid", ErrorCategory.Authentication)]
    [InlineData(403, "REQUEST_LIMIT_EXCEEDED", "TotalRequests Limit exceeded.", ErrorCategory.RateLimited)]
    [InlineData(403, "REQUEST_LIMIT_EXCEEDED", "ConcurrentRequests (Concurrent API Requests) Limit exceeded.", ErrorCategory.RateLimited)]
    [InlineData(403, "API_DISABLED_FOR_ORG", "API is not enabled for this Organization or Partner", ErrorCategory.Authorization)]
    [InlineData(400, "INSUFFICIENT_ACCESS_OR_READONLY", "insufficient access rights on object id", ErrorCategory.Authorization)]
    [InlineData(400, "INSUFFICIENT_ACCESS_ON_CROSS_REFERENCE_ENTITY", "insufficient access rights on cross-reference id", ErrorCategory.Authorization)]
    [InlineData(403, null, null, ErrorCategory.Authorization)]
    [InlineData(400, "INVALID_FIELD", "No such column 'Foo__c' on entity 'Account'", ErrorCategory.Configuration)] // issue 17 §11
    [InlineData(404, "NOT_FOUND", "Provided external ID field does not exist or is not accessible: Missing_Id__c", ErrorCategory.Configuration)]
    [InlineData(400, "INVALID_QUERY_LOCATOR", "invalid query locator", ErrorCategory.Transient)]
    [InlineData(400, "INVALID_TYPE", "sObject type 'Acount' is not supported", ErrorCategory.Validation)]
    [InlineData(400, "MALFORMED_QUERY", "unexpected token", ErrorCategory.Validation)]
    [InlineData(400, "JSON_PARSER_ERROR", "Unexpected character", ErrorCategory.Validation)]
    [InlineData(400, "REQUIRED_FIELD_MISSING", "Required fields are missing: [LastName]", ErrorCategory.Validation)]
    [InlineData(400, "FIELD_CUSTOM_VALIDATION_EXCEPTION", "VAT must be set", ErrorCategory.Validation)]
    [InlineData(400, "FIELD_INTEGRITY_EXCEPTION", "There's a problem with this state", ErrorCategory.Validation)]
    [InlineData(400, "INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST", "bad value for restricted picklist field", ErrorCategory.Validation)]
    [InlineData(400, "STRING_TOO_LONG", "Name: data value too large", ErrorCategory.Validation)]
    [InlineData(400, "INVALID_FIELD_FOR_INSERT_UPDATE", "Unable to create/update fields: Name", ErrorCategory.Validation)]
    [InlineData(400, "INVALID_CROSS_REFERENCE_KEY", "invalid cross reference id", ErrorCategory.Validation)]
    [InlineData(400, "MALFORMED_ID", "malformed id 001", ErrorCategory.Validation)]
    [InlineData(400, "DUPLICATE_VALUE", "duplicate value found: Concord_Id__c duplicates value on record with id: 001", ErrorCategory.Conflict)]
    [InlineData(400, "DUPLICATES_DETECTED", "Use one of these records?", ErrorCategory.Conflict)]
    [InlineData(400, "ENTITY_IS_DELETED", "entity is deleted", ErrorCategory.NotFound)]
    [InlineData(404, "NOT_FOUND", "The requested resource does not exist", ErrorCategory.NotFound)]
    [InlineData(400, "UNABLE_TO_LOCK_ROW", "unable to obtain exclusive access to this record", ErrorCategory.Transient)]
    [InlineData(400, "CANNOT_INSERT_UPDATE_ACTIVATE_ENTITY", "MyTrigger: execution of AfterInsert caused by: System.DmlException", ErrorCategory.Validation)]
    [InlineData(400, "CANNOT_INSERT_UPDATE_ACTIVATE_ENTITY", "MyTrigger: UNABLE_TO_LOCK_ROW, unable to obtain exclusive access", ErrorCategory.Transient)]
    [InlineData(400, "QUERY_TIMEOUT", "Your query request was running for too long.", ErrorCategory.Transient)]
    [InlineData(503, "SERVER_UNAVAILABLE", "Server unavailable", ErrorCategory.Transient)]
    [InlineData(500, null, null, ErrorCategory.Transient)]
    [InlineData(502, null, null, ErrorCategory.Transient)]
    [InlineData(503, null, null, ErrorCategory.Transient)]
    [InlineData(300, null, null, ErrorCategory.Conflict)]
    [InlineData(412, null, null, ErrorCategory.Conflict)]
    [InlineData(409, null, null, ErrorCategory.Conflict)]
    [InlineData(400, "SOME_NEW_CODE", "other 400", ErrorCategory.Validation)]
    [InlineData(410, null, null, ErrorCategory.Configuration)]
    public void Rest_error_is_classified_per_the_facts_page(int status, string? code, string? message, ErrorCategory expected)
    {
        var body = code is null ? "<html>edge</html>" : $"[{{\"message\":\"{message}\",\"errorCode\":\"{code}\",\"fields\":[]}}]";

        var error = SalesforceErrorClassifier.FromResponse((HttpStatusCode)status, body, "salesforce", "upsert", "Account");

        Assert.Equal(expected, error.Category);
        Assert.Equal(status, error.StatusCode);
        if (code is not null)
        {
            Assert.Equal(code, error.VendorErrorCode);
        }
    }

    [Fact]
    public void Total_requests_limit_is_not_retryable_but_concurrent_requests_is_with_a_short_delay()
    {
        var total = SalesforceErrorClassifier.FromResponse(HttpStatusCode.Forbidden, "[{\"message\":\"TotalRequests Limit exceeded.\",\"errorCode\":\"REQUEST_LIMIT_EXCEEDED\"}]", "salesforce", "upsert", "Account");
        var concurrent = SalesforceErrorClassifier.FromResponse(HttpStatusCode.Forbidden, "[{\"message\":\"ConcurrentRequests (Concurrent API Requests) Limit exceeded.\",\"errorCode\":\"REQUEST_LIMIT_EXCEEDED\"}]", "salesforce", "upsert", "Account");

        Assert.False(total.IsRetryable);
        Assert.True(concurrent.IsRetryable);
        Assert.Equal(SalesforceErrorClassifier.ConcurrentLimitBackoff, concurrent.RetryAfter);
    }

    [Theory]
    [InlineData("invalid_grant", 400, ErrorCategory.Authentication)]
    [InlineData("invalid_client", 400, ErrorCategory.Authentication)]
    [InlineData("invalid_client_id", 400, ErrorCategory.Authentication)]
    [InlineData("unsupported_grant_type", 400, ErrorCategory.Authentication)]
    [InlineData("inactive_user", 400, ErrorCategory.Authentication)]
    [InlineData("inactive_org", 400, ErrorCategory.Authentication)]
    [InlineData("invalid_request", 400, ErrorCategory.Validation)]
    [InlineData("rate_limit_exceeded", 400, ErrorCategory.RateLimited)]
    [InlineData(null, 503, ErrorCategory.Transient)]
    public void OAuth_error_is_classified_per_the_facts_page(string? oauthError, int status, ErrorCategory expected)
    {
        var error = SalesforceErrorClassifier.FromOAuthError(new OAuthError { Error = oauthError, Description = "x" }, status, "salesforce", "acme.my.salesforce.com");

        Assert.Equal(expected, error.Category);
        Assert.Equal("authenticate", error.Operation);
    }

    [Fact]
    public void Per_record_errors_keep_every_field_and_mask_personal_data()
    {
        var error = SalesforceErrorClassifier.FromSaveErrors(
            [new SaveError { StatusCode = "REQUIRED_FIELD_MISSING", Message = "Required fields are missing: [LastName] for bob@example.com", Fields = ["LastName", "Email"] }],
            "salesforce",
            "upsert-many",
            "Contact record 0 of 1");

        Assert.Equal(ErrorCategory.Validation, error.Category);
        Assert.Equal(["LastName", "Email"], error.FieldErrors.Select(f => f.Field));
        Assert.All(error.FieldErrors, f => Assert.DoesNotContain("bob@example.com", f.Message, StringComparison.Ordinal));
        Assert.True(error.IsRecordLevel);
    }
}
