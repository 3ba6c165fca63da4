using Concord.Canonical.Errors;
using Xunit;

namespace Concord.Canonical.Tests.Errors;

public sealed class ConcordExceptionTests
{
    public static TheoryData<ErrorCategory> Categories() => [.. Enum.GetValues<ErrorCategory>()];

    [Fact]
    public void The_taxonomy_has_the_nine_categories_of_the_contract()
    {
        Assert.Equal(
            ["Transient", "RateLimited", "Authentication", "Authorization", "Validation", "NotFound", "Conflict", "Configuration", "ContractViolation"],
            Enum.GetNames<ErrorCategory>());
    }

    [Theory]
    [MemberData(nameof(Categories))]
    public void Only_transient_and_rate_limited_failures_are_retryable_by_default(ErrorCategory category)
    {
        var error = new ConcordException(category, "failed");

        Assert.Equal(category is ErrorCategory.Transient or ErrorCategory.RateLimited, error.IsRetryable);
    }

    [Theory]
    [MemberData(nameof(Categories))]
    public void Record_level_failures_are_about_the_data_not_the_system(ErrorCategory category)
    {
        var error = new ConcordException(category, "failed");

        Assert.Equal(category is ErrorCategory.Validation or ErrorCategory.Conflict or ErrorCategory.NotFound or ErrorCategory.Authorization, error.IsRecordLevel);
    }

    [Fact]
    public void A_connector_can_say_a_rate_limit_is_not_worth_retrying()
    {
        var spentQuota = new ConcordException(ErrorCategory.RateLimited, "Daily API request limit exceeded.") { IsRetryable = false };
        var lockedRow = new ConcordException(ErrorCategory.Conflict, "Row locked.") { IsRetryable = true };

        Assert.False(spentQuota.IsRetryable);
        Assert.True(lockedRow.IsRetryable);
        Assert.True(lockedRow.IsRecordLevel);
    }

    [Fact]
    public void The_facts_a_caller_needs_are_carried()
    {
        var cause = new HttpRequestException("boom");
        var error = new ConcordException(ErrorCategory.RateLimited, "Salesforce refused the upsert.", cause)
        {
            System = "salesforce",
            Operation = "upsert",
            VendorErrorCode = "REQUEST_LIMIT_EXCEEDED",
            StatusCode = 429,
            CorrelationId = "run-42",
            RetryAfter = TimeSpan.FromSeconds(2),
            FieldErrors = [new FieldError("$.name", "Required.", "required")],
        };

        Assert.Equal(ErrorCategory.RateLimited, error.Category);
        Assert.Equal("Salesforce refused the upsert.", error.Message);
        Assert.Same(cause, error.InnerException);
        Assert.Equal(("salesforce", "upsert", "REQUEST_LIMIT_EXCEEDED", 429, "run-42"), (error.System, error.Operation, error.VendorErrorCode, error.StatusCode, error.CorrelationId));
        Assert.Equal(TimeSpan.FromSeconds(2), error.RetryAfter);
        Assert.Equal("$.name", Assert.Single(error.FieldErrors).Field);
    }

    [Fact]
    public void Standard_constructors_default_to_transient()
    {
        Assert.Equal(ErrorCategory.Transient, new ConcordException().Category);
        Assert.Equal(ErrorCategory.Transient, new ConcordException("x").Category);
        var inner = new InvalidOperationException();
        var error = new ConcordException("x", inner);
        Assert.Equal(ErrorCategory.Transient, error.Category);
        Assert.Same(inner, error.InnerException);
        Assert.False(string.IsNullOrEmpty(new ConcordException().Message));
    }

    [Fact]
    public void Field_errors_are_empty_not_default_when_not_set()
    {
        Assert.Empty(new ConcordException(ErrorCategory.Validation, "x").FieldErrors);
        Assert.Empty(new ConcordException(ErrorCategory.Validation, "x") { FieldErrors = default }.FieldErrors);
    }

    [Fact]
    public void The_vendor_message_is_stored_with_personal_data_masked()
    {
        var error = new ConcordException(ErrorCategory.Validation, "Odoo refused the partner.")
        {
            VendorMessage = "Duplicate: ada.lovelace@example.com already used by partner with phone +49 30 1234567 and VAT DE123456789",
        };

        Assert.DoesNotContain("ada.lovelace", error.VendorMessage, StringComparison.Ordinal);
        Assert.DoesNotContain("1234567", error.VendorMessage, StringComparison.Ordinal);
        Assert.DoesNotContain("123456789", error.VendorMessage, StringComparison.Ordinal);
        Assert.Contains("a***@example.com", error.VendorMessage, StringComparison.Ordinal);
        Assert.StartsWith("Duplicate:", error.VendorMessage, StringComparison.Ordinal);
        Assert.Null(new ConcordException(ErrorCategory.Transient, "x") { VendorMessage = null }.VendorMessage);
    }

    [Fact]
    public void Field_error_is_a_value()
    {
        Assert.Equal(new FieldError("$.a", "m", "c"), new FieldError("$.a", "m", "c"));
        Assert.Null(new FieldError("$.a", "m").Code);
    }
}
