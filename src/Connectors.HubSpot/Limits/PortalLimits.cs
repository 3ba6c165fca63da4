using System.Security.Cryptography;
using System.Text;

namespace Concord.Connectors.HubSpot.Limits;

/// <summary>
/// The limits of one (portal, app): the 10-second window, search's per-second limit and the daily guard. Shared by
/// every connector instance that talks to the same portal with the same credentials (<see cref="PortalLimitsRegistry"/>).
/// </summary>
internal sealed class PortalLimits
{
    public PortalLimits(HubSpotConnectorOptions options, TimeZoneInfo zone, TimeProvider time)
    {
        Headroom = options.RateLimitHeadroom;
        Window = new WindowLimiter(Permits(options.TenSecondlyLimit, Headroom), TimeSpan.FromSeconds(10), time);
        // A permit is held while its request is in flight and counts for a window after, so HubSpot, counting arrivals,
        // never sees more than the limit in a window: search's window needs no margin of its own.
        Search = new WindowLimiter(options.SearchRequestsPerSecond, SearchWindow, time);
        Daily = new DailyBudgetGuard(options.DailyReserveShare, options.DailyBudgetRecheck, zone, time);
    }

    /// <summary>Search's one-second window.</summary>
    public static readonly TimeSpan SearchWindow = TimeSpan.FromSeconds(1);

    public double Headroom { get; }

    public WindowLimiter Window { get; }

    public WindowLimiter Search { get; }

    public DailyBudgetGuard Daily { get; }

    public int? LastMax { get; set; }

    public int? LastRemaining { get; set; }

    public DateTimeOffset? ObservedAt { get; set; }

    public static int Permits(int limit, double headroom) => Math.Max(1, (int)Math.Floor(limit * (1 - headroom)));

    /// <summary>The (portal, app) key: the base URL and a fingerprint of the credentials (never the credentials themselves).</summary>
    public static string KeyOf(HubSpotConnectorOptions options)
    {
        var credential = options.AuthMode == HubSpotAuthMode.OAuth
            ? "oauth:" + options.ClientId + ":" + options.RefreshToken
            : "static:" + options.AccessToken;
        var fingerprint = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(credential)))[..16];
        return options.BaseAddress!.GetLeftPart(UriPartial.Authority) + "|" + fingerprint;
    }
}

/// <summary>One <see cref="PortalLimits"/> per (portal, app) for the whole container.</summary>
internal sealed class PortalLimitsRegistry
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, PortalLimits> _limits = new(StringComparer.Ordinal);

    public PortalLimits For(HubSpotConnectorOptions options, TimeZoneInfo zone, TimeProvider time)
    {
        var key = PortalLimits.KeyOf(options);
        lock (_gate)
        {
            if (!_limits.TryGetValue(key, out var limits))
            {
                _limits[key] = limits = new PortalLimits(options, zone, time);
            }

            return limits;
        }
    }
}
