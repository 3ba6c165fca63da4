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

        // The vendor's own code and words (masked) stay in the failure: which limit, and what the vendor says to do.
        string? code = null;
        string? text = null;
        using (response)
        {
            if (response.Content.Headers.ContentLength is null or <= VendorErrorBody.MaxBodyLength)
            {
                try
                {
                    VendorErrorBody.TryRead(await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false), out code, out text);
                }
                catch (Exception ex) when (ex is HttpRequestException or IOException or InvalidOperationException)
                {
                    // A body that cannot be read leaves the failure without the vendor's words, nothing more.
                }
            }
        }

        throw new ConcordException(
            ErrorCategory.RateLimited,
            $"{(operation is null ? $"A request to {system}" : $"The {operation} request to {system}")} was throttled (HTTP 429{VendorErrorBody.Describe(code, text)}){(retryAfter is { } wait ? $"; retry after {wait}" : string.Empty)}.")
        {
            System = system,
            Operation = operation,
            StatusCode = 429,
            RetryAfter = retryAfter,
            VendorErrorCode = code,
            VendorMessage = text,
        };
    }
}
