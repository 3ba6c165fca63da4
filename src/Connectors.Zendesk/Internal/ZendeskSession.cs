using System.Globalization;
using System.Net;
using Concord.Connectors.Zendesk.Auth;
using Concord.Connectors.Zendesk.Limits;

namespace Concord.Connectors.Zendesk.Internal;

/// <summary>
/// What one connector instance shares between its HTTP handlers and itself: the token manager (OAuth), the per-minute
/// request gate sized from the plan and resized from <c>X-Rate-Limit</c>, the incremental family's gate, the single
/// user-write pace, the per-record gate and the account's job slots.
/// </summary>
internal sealed class ZendeskSession : IDisposable
{
    /// <summary>Zendesk's per-record limit: 5 updates a minute per organization and per user.</summary>
    public const int PerRecordUpdatesPerMinute = 5;

    private static readonly TimeSpan Minute = TimeSpan.FromMinutes(1);

    // One second of slack on top of the vendor's windows: requests granted 60.000 s apart may arrive 59.99 s apart.
    private static readonly TimeSpan Slack = TimeSpan.FromSeconds(1);

    private readonly double _headroom;
    private int _learnedLimit;

    public ZendeskSession(ZendeskConnectorOptions options, TimeProvider time, ZendeskTokenManager? tokens)
    {
        _headroom = options.RateLimitHeadroom;
        Tokens = tokens;
        Time = time;
        Requests = new RequestGate(Budget((int)options.Plan), Minute, time);
        Incremental = new RequestGate(options.IncrementalRequestsPerMinute, Minute + Slack, time);
        SingleUserWrites = new RequestGate(1, TimeSpan.FromSeconds(1) + TimeSpan.FromMilliseconds(50), time);
        Records = new PerRecordGate(PerRecordUpdatesPerMinute, Minute + Slack, time);
        Jobs = new JobSlots(options.MaxJobsInFlight, time);
    }

    public ZendeskTokenManager? Tokens { get; }

    public TimeProvider Time { get; }

    public RequestGate Requests { get; }

    public RequestGate Incremental { get; }

    public RequestGate SingleUserWrites { get; }

    public PerRecordGate Records { get; }

    public JobSlots Jobs { get; }

    public void Dispose() => Jobs.Dispose();

    /// <summary>The minute budget the account announced in <c>X-Rate-Limit</c>, or 0 before the first answer.</summary>
    public int LearnedLimit => Volatile.Read(ref _learnedLimit);

    /// <summary>Reads the budget, remaining and job headers of one answer, and the wait a 429 asks for.</summary>
    public void Observe(HttpRequestMessage request, HttpResponseMessage response)
    {
        var headers = response.Headers;
        if ((Number(headers, "X-Rate-Limit") ?? Number(headers, "ratelimit-limit")) is { } limit && limit > 0 && limit != _learnedLimit)
        {
            Volatile.Write(ref _learnedLimit, (int)limit);
            Requests.Resize(Budget((int)limit));
        }

        var remaining = Number(headers, "X-Rate-Limit-Remaining") ?? Number(headers, "ratelimit-remaining");
        var reset = Number(headers, "ratelimit-reset");
        var retryAfter = headers.RetryAfter?.Delta;
        var incremental = request.RequestUri?.AbsolutePath.Contains("/incremental/", StringComparison.Ordinal) == true;
        if (response.StatusCode == HttpStatusCode.TooManyRequests && retryAfter is { } wait)
        {
            // The budget is spent (remaining 0), or the incremental family's: everyone waits. A per-record 429 only
            // concerns that record, which the per-record gate already paces.
            if (incremental)
            {
                Incremental.PauseFor(wait);
            }
            else if (remaining is 0)
            {
                Requests.PauseFor(wait);
            }
        }
        else if (remaining is 0)
        {
            Requests.PauseFor(TimeSpan.FromSeconds(Math.Max(1, reset ?? 1)));
        }

        if (headers.TryGetValues("zendesk-ratelimit-inflight-jobs", out var inflight))
        {
            Jobs.Observe(inflight.FirstOrDefault());
        }
    }

    private int Budget(int perMinute) => Math.Max(1, (int)Math.Floor(perMinute * (1 - _headroom)));

    private static long? Number(System.Net.Http.Headers.HttpResponseHeaders headers, string name) =>
        headers.TryGetValues(name, out var values) && long.TryParse(values.FirstOrDefault(), NumberStyles.None, CultureInfo.InvariantCulture, out var value) ? value : null;
}

/// <summary>Reads every answer's rate-limit and job headers (retries and replays included), inside the resilience pipeline.</summary>
internal sealed class ZendeskLimitsHandler(ZendeskSession session) : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var response = await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
        session.Observe(request, response);
        return response;
    }
}
