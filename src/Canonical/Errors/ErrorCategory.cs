namespace Concord.Canonical.Errors;

/// <summary>The one error taxonomy every connector maps vendor failures into.</summary>
public enum ErrorCategory
{
    /// <summary>A technical failure that may succeed when tried again (network, 5xx, lock, timeout, open circuit).</summary>
    Transient,

    /// <summary>The vendor (or the client-side limiter) refused for rate or quota; <see cref="ConcordException.RetryAfter"/> says when to come back.</summary>
    RateLimited,

    /// <summary>Credentials are missing, wrong or expired.</summary>
    Authentication,

    /// <summary>The credentials are valid but lack the right to do this.</summary>
    Authorization,

    /// <summary>The vendor refused the data by a business rule; <see cref="ConcordException.FieldErrors"/> says which fields.</summary>
    Validation,

    /// <summary>The record does not exist (any more) in the target system.</summary>
    NotFound,

    /// <summary>A duplicate, several matches for one key, or an idempotency key reused with another payload.</summary>
    Conflict,

    /// <summary>Concord or a connector is configured wrongly.</summary>
    Configuration,

    /// <summary>The vendor answered something the connector does not understand.</summary>
    ContractViolation,
}
