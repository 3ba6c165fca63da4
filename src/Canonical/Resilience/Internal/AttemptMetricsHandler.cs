using Concord.Canonical.Diagnostics;

namespace Concord.Canonical.Resilience.Internal;

/// <summary>
/// Sits inside the resilience pipeline, so it sees every attempt: counts vendor requests by outcome (<c>2xx</c> to
/// <c>5xx</c>, or <c>error</c> when no answer came) and records their duration on the container's clock.
/// </summary>
internal sealed class AttemptMetricsHandler(string system, TimeProvider timeProvider) : DelegatingHandler
{
    private readonly KeyValuePair<string, object?> _systemTag = new(ConcordTelemetry.SystemTag, system);

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var started = timeProvider.GetTimestamp();
        var outcome = "error";
        try
        {
            var response = await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
            outcome = $"{(int)response.StatusCode / 100}xx";
            return response;
        }
        finally
        {
            ConcordMetrics.VendorRequests.Add(1, _systemTag, new KeyValuePair<string, object?>(ConcordTelemetry.OutcomeTag, outcome));
            ConcordMetrics.VendorRequestDuration.Record(timeProvider.GetElapsedTime(started).TotalSeconds, _systemTag);
        }
    }
}
