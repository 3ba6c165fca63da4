using System.Globalization;

namespace Concord.Testing.HubSpot.Internal;

/// <summary>
/// The limits of facts page §8 as the simulator enforces them: the app's rolling window (<c>TEN_SECONDLY_ROLLING</c>),
/// the account's daily allowance for static tokens (<c>DAILY</c>, reset at midnight in the portal's zone), and search's
/// own per-second limit (<c>SECONDLY</c>). Search counts toward the daily total, not toward the window (both unverified).
/// </summary>
internal sealed class PortalLimits(HubSpotSimulatorOptions options)
{
    private static readonly TimeSpan Second = TimeSpan.FromSeconds(1);
    private readonly Queue<DateTimeOffset> _window = new();
    private readonly Queue<DateTimeOffset> _searches = new();
    private DateTime _day;

    public long DailyUsed { get; set; }

    /// <summary>The highest number of requests seen in one window so far.</summary>
    public int PeakWindowCount { get; private set; }

    /// <summary>Counts the request, or names the policy it breaks (and then does not count it).</summary>
    public HubSpotRateLimitPolicy? Admit(bool search, bool daily, DateTimeOffset now)
    {
        Prune(now);
        if (options.EnforceRateLimits)
        {
            if (search && _searches.Count >= options.SearchRequestsPerSecond)
            {
                return HubSpotRateLimitPolicy.Secondly;
            }

            if (daily && DailyUsed >= options.DailyLimit)
            {
                return HubSpotRateLimitPolicy.Daily;
            }

            if (!search && _window.Count >= options.TenSecondlyLimit)
            {
                return HubSpotRateLimitPolicy.TenSecondlyRolling;
            }
        }

        DailyUsed++;
        if (search)
        {
            _searches.Enqueue(now);
        }
        else
        {
            _window.Enqueue(now);
            PeakWindowCount = Math.Max(PeakWindowCount, _window.Count);
        }

        return null;
    }

    public SimulatorResponse WithHeaders(SimulatorResponse response, bool daily, DateTimeOffset now, bool exhausted = false)
    {
        Prune(now);
        var remaining = exhausted ? 0 : Math.Max(0, options.TenSecondlyLimit - _window.Count);
        var secondly = Math.Max(1, options.TenSecondlyLimit / Math.Max(1, (int)Math.Round(options.RateLimitWindow.TotalSeconds)));
        var lastSecond = _window.Count(t => now - t < Second);
        response = response
            .WithHeader("X-HubSpot-RateLimit-Interval-Milliseconds", ((long)options.RateLimitWindow.TotalMilliseconds).ToString(CultureInfo.InvariantCulture))
            .WithHeader("X-HubSpot-RateLimit-Max", options.TenSecondlyLimit.ToString(CultureInfo.InvariantCulture))
            .WithHeader("X-HubSpot-RateLimit-Remaining", remaining.ToString(CultureInfo.InvariantCulture))
            .WithHeader("X-HubSpot-RateLimit-Secondly", secondly.ToString(CultureInfo.InvariantCulture))
            .WithHeader("X-HubSpot-RateLimit-Secondly-Remaining", Math.Max(0, secondly - lastSecond).ToString(CultureInfo.InvariantCulture));
        if (daily)
        {
            response = response
                .WithHeader("X-HubSpot-RateLimit-Daily", options.DailyLimit.ToString(CultureInfo.InvariantCulture))
                .WithHeader("X-HubSpot-RateLimit-Daily-Remaining", Math.Max(0, options.DailyLimit - DailyUsed).ToString(CultureInfo.InvariantCulture));
        }

        return response;
    }

    private void Prune(DateTimeOffset now)
    {
        var day = TimeZoneInfo.ConvertTime(now, options.PortalTimeZone).Date;
        if (day != _day)
        {
            if (_day != default)
            {
                DailyUsed = 0;
            }

            _day = day;
        }

        while (_window.Count > 0 && now - _window.Peek() >= options.RateLimitWindow)
        {
            _window.Dequeue();
        }

        while (_searches.Count > 0 && now - _searches.Peek() >= Second)
        {
            _searches.Dequeue();
        }
    }
}
