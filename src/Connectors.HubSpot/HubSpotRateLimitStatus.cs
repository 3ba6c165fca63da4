namespace Concord.Connectors.HubSpot;

/// <summary>What HubSpot's <c>X-HubSpot-RateLimit-*</c> headers said last, and whether the daily guard holds non-urgent work.</summary>
public sealed record HubSpotRateLimitStatus
{
    /// <summary>The requests allowed in one window (<c>X-HubSpot-RateLimit-Max</c>), or null before HubSpot said.</summary>
    public int? WindowMax { get; init; }

    /// <summary>The requests left in the current window (<c>X-HubSpot-RateLimit-Remaining</c>).</summary>
    public int? WindowRemaining { get; init; }

    /// <summary>The permits the connector's own limiter allows per window (the limit minus headroom).</summary>
    public int LimiterPermits { get; init; }

    /// <summary>The daily allowance (<c>X-HubSpot-RateLimit-Daily</c>; not sent to OAuth apps).</summary>
    public long? Daily { get; init; }

    /// <summary>The requests left today (<c>X-HubSpot-RateLimit-Daily-Remaining</c>).</summary>
    public long? DailyRemaining { get; init; }

    /// <summary>Until when non-urgent calls are refused by the daily guard, or null when they are not.</summary>
    public DateTimeOffset? PausedUntil { get; init; }

    /// <summary>When the headers were read.</summary>
    public DateTimeOffset? ObservedAt { get; init; }
}
