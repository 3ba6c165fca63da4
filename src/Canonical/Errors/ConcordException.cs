using System.Collections.Immutable;
using Concord.Canonical.Privacy;

namespace Concord.Canonical.Errors;

/// <summary>
/// The one exception Concord throws for a failed operation: a category from the shared taxonomy plus the
/// facts a caller needs (system, operation, vendor code, correlation id, retry delay, field errors).
/// Vendor messages are masked for personal data before they are stored here.
/// </summary>
public class ConcordException : Exception
{
    private readonly string? _vendorMessage;

    /// <summary>Creates an exception of <paramref name="category"/> with <paramref name="message"/>.</summary>
    /// <param name="category">The taxonomy category.</param>
    /// <param name="message">What failed and where; never a secret or personal data.</param>
    /// <param name="innerException">The cause, when there is one.</param>
    public ConcordException(ErrorCategory category, string message, Exception? innerException = null)
        : base(message, innerException)
    {
        Category = category;
    }

    /// <summary>Creates a <see cref="ErrorCategory.Transient"/> exception.</summary>
    public ConcordException()
        : this(ErrorCategory.Transient, "A Concord operation failed.")
    {
    }

    /// <summary>Creates a <see cref="ErrorCategory.Transient"/> exception with <paramref name="message"/>.</summary>
    /// <param name="message">The message.</param>
    public ConcordException(string message)
        : this(ErrorCategory.Transient, message)
    {
    }

    /// <summary>Creates a <see cref="ErrorCategory.Transient"/> exception with <paramref name="message"/> and a cause.</summary>
    /// <param name="message">The message.</param>
    /// <param name="innerException">The cause.</param>
    public ConcordException(string message, Exception innerException)
        : this(ErrorCategory.Transient, message, innerException)
    {
    }

    /// <summary>The taxonomy category.</summary>
    public ErrorCategory Category { get; }

    /// <summary>The connector name of the system involved (<c>odoo</c>, <c>salesforce</c>, ...), when there is one.</summary>
    public string? System { get; init; }

    /// <summary>The operation that failed (<c>upsert</c>, <c>read-changes</c>, <c>authenticate</c>, ...).</summary>
    public string? Operation { get; init; }

    /// <summary>The vendor's own error code or name (<c>INVALID_SESSION_ID</c>, <c>odoo.exceptions.ValidationError</c>).</summary>
    public string? VendorErrorCode { get; init; }

    /// <summary>The HTTP status code of the vendor's answer, when there was one.</summary>
    public int? StatusCode { get; init; }

    /// <summary>The correlation id of the flow run or request.</summary>
    public string? CorrelationId { get; init; }

    /// <summary>How long to wait before trying again, when the vendor or limiter said so.</summary>
    public TimeSpan? RetryAfter { get; init; }

    /// <summary>Field-level details of a validation failure.</summary>
    public ImmutableArray<FieldError> FieldErrors
    {
        get => _fieldErrors;
        init => _fieldErrors = value.IsDefault ? [] : value;
    }

    private readonly ImmutableArray<FieldError> _fieldErrors = [];

    /// <summary>
    /// For a <see cref="ErrorCategory.Conflict"/>: the ids, in the system named by <see cref="System"/>, of the existing
    /// records the failed write collided with (a duplicate rule's matches, the records that share the upsert key), so
    /// that a caller can adopt one or say which to merge. Empty when the vendor named none.
    /// </summary>
    public ImmutableArray<string> MatchedExternalIds
    {
        get => _matchedExternalIds;
        init => _matchedExternalIds = value.IsDefault ? [] : value;
    }

    private readonly ImmutableArray<string> _matchedExternalIds = [];

    /// <summary>The vendor's message with emails, phone numbers and long digit runs masked.</summary>
    public string? VendorMessage
    {
        get => _vendorMessage;
        init => _vendorMessage = value is null ? null : PersonalDataMasker.Mask(value);
    }

    /// <summary>
    /// Whether trying the same operation again may succeed: true for <see cref="ErrorCategory.Transient"/>
    /// and <see cref="ErrorCategory.RateLimited"/> unless the connector said otherwise (a spent daily quota).
    /// </summary>
    public bool IsRetryable
    {
        get => _isRetryable ?? Category is ErrorCategory.Transient or ErrorCategory.RateLimited;
        init => _isRetryable = value;
    }

    private readonly bool? _isRetryable;

    /// <summary>Whether the failure is about this record's data rather than about the system (validation, conflict, not found, authorization).</summary>
    public bool IsRecordLevel => Category is ErrorCategory.Validation or ErrorCategory.Conflict or ErrorCategory.NotFound or ErrorCategory.Authorization;
}
