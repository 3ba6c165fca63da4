using System.Diagnostics.CodeAnalysis;
using Concord.Canonical.Errors;
using Polly.CircuitBreaker;
using Polly.RateLimiting;
using Polly.Timeout;

namespace Concord.Canonical.Resilience;

/// <summary>
/// Turns failures of the transport and of the resilience pipeline (open circuit, full limiter queue, timeouts,
/// network errors) into <see cref="ConcordException"/>, the same way for every connector. Vendor answers (a 400 with
/// a body) are not transport failures: each connector classifies those itself.
/// </summary>
/// <remarks>
/// Internal on purpose: it runs once, in the outermost handler <c>AddConcordResilience</c> adds to every connector's
/// client, so a connector never translates transport failures itself; it finds the <see cref="ConcordException"/> the
/// client threw (Refit may wrap it) and classifies vendor answers.
/// </remarks>
internal static class TransportFailure
{
    /// <summary>Translates <paramref name="exception"/> when it is a transport or pipeline failure.</summary>
    /// <param name="exception">What was thrown.</param>
    /// <param name="system">The system name for the error (<c>odoo</c>, <c>salesforce</c>).</param>
    /// <param name="operation">The operation for the error (<c>upsert</c>), when known.</param>
    /// <param name="concordException">The translation: the exception itself when it already is a <see cref="ConcordException"/>.</param>
    /// <returns>
    /// <see langword="true"/> for <see cref="ConcordException"/>, an open circuit (Transient), a full limiter queue
    /// (RateLimited), a timeout (Transient) and a network error (Transient); <see langword="false"/> for anything else,
    /// including the caller's own cancellation.
    /// </returns>
    public static bool TryTranslate(Exception exception, string system, string? operation, [NotNullWhen(true)] out ConcordException? concordException)
    {
        ArgumentNullException.ThrowIfNull(exception);
        ArgumentException.ThrowIfNullOrWhiteSpace(system);
        var what = operation is null ? $"A request to {system}" : $"The {operation} request to {system}";
        concordException = exception switch
        {
            ConcordException concord => concord,
            BrokenCircuitException broken => Failure(
                ErrorCategory.Transient,
                $"{what} failed fast: the circuit is open after repeated failures{(broken.RetryAfter is { } wait ? $" and closes to a trial call in {wait}" : string.Empty)}.",
                retryAfter: broken.RetryAfter),
            RateLimiterRejectedException rejected => Failure(
                ErrorCategory.RateLimited,
                $"{what} was refused by the client-side rate limiter: its queue is full.",
                retryAfter: rejected.RetryAfter),
            TimeoutRejectedException timeout => Failure(ErrorCategory.Transient, $"{what} timed out after {timeout.Timeout}."),
            HttpRequestException network => Failure(
                ErrorCategory.Transient,
                $"{what} failed in transport ({network.HttpRequestError}).",
                statusCode: network.StatusCode is { } status ? (int)status : null),
            IOException => Failure(ErrorCategory.Transient, $"{what} failed in transport (I/O error)."),
            OperationCanceledException { InnerException: TimeoutException } => Failure(ErrorCategory.Transient, $"{what} timed out (HttpClient.Timeout)."),
            _ => null,
        };
        return concordException is not null;

        ConcordException Failure(ErrorCategory category, string message, TimeSpan? retryAfter = null, int? statusCode = null) =>
            new(category, message, exception)
            {
                System = system,
                Operation = operation,
                RetryAfter = retryAfter,
                StatusCode = statusCode,
            };
    }
}
