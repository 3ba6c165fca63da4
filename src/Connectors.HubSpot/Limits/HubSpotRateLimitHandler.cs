using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using Concord.Connectors.HubSpot.Diagnostics;
using Microsoft.Extensions.Logging;

namespace Concord.Connectors.HubSpot.Limits;

/// <summary>
/// Inside the resilience pipeline, so every attempt passes it: takes a permit from the (portal, app) window limiter (or
/// the search limiter for <c>…/search</c>), reads <c>X-HubSpot-RateLimit-*</c> from every answer (resizing the window
/// from <c>-Max</c>/<c>-Interval-Milliseconds</c>, counting other users of the app from <c>-Remaining</c>, feeding the daily
/// guard from <c>-Daily</c>/<c>-Daily-Remaining</c>), and gives a 429 without <c>Retry-After</c> the wait its
/// <c>policyName</c> calls for (facts §8): the window's interval for <c>TEN_SECONDLY_ROLLING</c>, 1 s for
/// <c>SECONDLY</c>, the portal's midnight for <c>DAILY</c> (longer than the pipeline waits, so it surfaces as
/// RateLimited with that delay).
/// </summary>
internal sealed class HubSpotRateLimitHandler(PortalLimits limits, string connectorName, TimeProvider time, ILogger logger) : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var search = request.RequestUri?.AbsolutePath.EndsWith("/search", StringComparison.Ordinal) == true;
        HttpResponseMessage response;
        using (await (search ? limits.Search : limits.Window).AcquireAsync(cancellationToken).ConfigureAwait(false))
        {
            // The permit is held until the answer is back: HubSpot may count the request any time until then.
            response = await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
        }

        Observe(response);
        if (response.StatusCode == HttpStatusCode.TooManyRequests)
        {
            await OnThrottledAsync(response, search, cancellationToken).ConfigureAwait(false);
        }

        return response;
    }

    private void Observe(HttpResponseMessage response)
    {
        var max = Int(response, "X-HubSpot-RateLimit-Max");
        var remaining = Int(response, "X-HubSpot-RateLimit-Remaining");
        var interval = Int(response, "X-HubSpot-RateLimit-Interval-Milliseconds");
        if (max is { } m)
        {
            limits.Window.Observe(
                PortalLimits.Permits(m, limits.Headroom),
                interval is > 0 ? TimeSpan.FromMilliseconds(interval.Value) : limits.Window.Window,
                remaining is { } r ? m - r : null);
            limits.LastMax = m;
            limits.LastRemaining = remaining;
            limits.ObservedAt = time.GetUtcNow();
        }

        if (Long(response, "X-HubSpot-RateLimit-Daily") is { } daily && Long(response, "X-HubSpot-RateLimit-Daily-Remaining") is { } left
            && limits.Daily.Observe(daily, left))
        {
            Log.DailyGuardEngaged(logger, connectorName, left, daily, limits.Daily.PausedUntil ?? time.GetUtcNow());
        }
    }

    private async Task OnThrottledAsync(HttpResponseMessage response, bool search, CancellationToken cancellationToken)
    {
        await response.Content.LoadIntoBufferAsync(cancellationToken).ConfigureAwait(false);
        var body = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        var policy = HubSpotErrorClassifier.Parse(body)?.PolicyName ?? (search ? "SECONDLY" : "TEN_SECONDLY_ROLLING");
        TimeSpan wait;
        switch (policy)
        {
            case "DAILY":
                wait = limits.Daily.ExhaustedForToday();
                break;
            case "SECONDLY":
                limits.Search.Exhaust();
                wait = TimeSpan.FromSeconds(1);
                break;
            default:
                limits.Window.Exhaust();
                wait = Int(response, "X-HubSpot-RateLimit-Interval-Milliseconds") is { } ms and > 0 ? TimeSpan.FromMilliseconds(ms) : TimeSpan.FromSeconds(10);
                break;
        }

        if (response.Headers.RetryAfter is null)
        {
            response.Headers.RetryAfter = new RetryConditionHeaderValue(TimeSpan.FromSeconds(Math.Max(1, Math.Ceiling(wait.TotalSeconds))));
        }

        Log.Throttled(logger, connectorName, policy, response.Headers.RetryAfter.Delta ?? wait);
    }

    private static int? Int(HttpResponseMessage response, string header) =>
        Long(response, header) is { } value && value is >= 0 and <= int.MaxValue ? (int)value : null;

    private static long? Long(HttpResponseMessage response, string header) =>
        response.Headers.TryGetValues(header, out var values)
        && long.TryParse(values.FirstOrDefault(), NumberStyles.None, CultureInfo.InvariantCulture, out var value) ? value : null;
}
