using System.Net;
using Concord.Canonical.Errors;
using Concord.Connectors.Salesforce.Diagnostics;

namespace Concord.Connectors.Salesforce.Limits;

/// <summary>
/// Salesforce signals "too many long requests in flight" as 403 <c>REQUEST_LIMIT_EXCEEDED</c> with
/// <c>ConcurrentRequests</c> in the message, not as a 429. This handler, inside the resilience pipeline, re-states that
/// one answer as a 429 with a short <c>Retry-After</c>, so the shared pipeline backs off and retries it like any throttle
/// (and reports it as <see cref="ErrorCategory.RateLimited"/> if retries run out). The daily-limit variant
/// (<c>TotalRequests</c>) is left a 403: retrying it would only spend more.
/// </summary>
internal sealed class SalesforceConcurrencyLimitHandler : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var response = await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
        if (response.StatusCode != HttpStatusCode.Forbidden)
        {
            return response;
        }

        await response.Content.LoadIntoBufferAsync(cancellationToken).ConfigureAwait(false);
        var body = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        if (!body.Contains(SalesforceErrorClassifier.RequestLimitExceeded, StringComparison.Ordinal)
            || !body.Contains("ConcurrentRequests", StringComparison.OrdinalIgnoreCase))
        {
            return response;
        }

        response.StatusCode = HttpStatusCode.TooManyRequests;
        response.ReasonPhrase = "REQUEST_LIMIT_EXCEEDED ConcurrentRequests (Salesforce 403)";
        response.Headers.RetryAfter = new System.Net.Http.Headers.RetryConditionHeaderValue(SalesforceErrorClassifier.ConcurrentLimitBackoff);
        return response;
    }
}
