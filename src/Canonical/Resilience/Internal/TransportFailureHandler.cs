using System.Net;
using Concord.Canonical.Diagnostics;
using Concord.Canonical.Errors;

namespace Concord.Canonical.Resilience.Internal;

/// <summary>
/// The outermost handler <c>AddConcordResilience</c> adds: whatever leaves the pipeline as an exception, or as a
/// 429 that was not (or no longer) retried, leaves as a <see cref="ConcordException"/>.
/// </summary>
internal sealed class TransportFailureHandler(string system, TimeProvider timeProvider, Func<HttpResponseMessage, TimeSpan?>? vendorDelay) : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        HttpResponseMessage response;
        try
        {
            response = await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (!(ex is OperationCanceledException && cancellationToken.IsCancellationRequested)
            && TransportFailure.TryTranslate(ex, system, ConcordHttpRequest.GetOperation(request), out var failure))
        {
            throw failure;
        }

        if (response.StatusCode != HttpStatusCode.TooManyRequests)
        {
            return response;
        }

        ConcordMetrics.Throttles.Add(1, new KeyValuePair<string, object?>(ConcordTelemetry.SystemTag, system));
        var retryAfter = RetryAfter.Read(response, timeProvider, vendorDelay);
        var operation = ConcordHttpRequest.GetOperation(request);
        response.Dispose();
        throw new ConcordException(
            ErrorCategory.RateLimited,
            $"{(operation is null ? $"A request to {system}" : $"The {operation} request to {system}")} was throttled (HTTP 429){(retryAfter is { } wait ? $"; retry after {wait}" : string.Empty)}.")
        {
            System = system,
            Operation = operation,
            StatusCode = 429,
            RetryAfter = retryAfter,
        };
    }
}
