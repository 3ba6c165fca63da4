using System.Globalization;
using Concord.Canonical.Errors;

namespace Concord.Connectors.HubSpot.Limits;

/// <summary>
/// Holds non-urgent work when <c>X-HubSpot-RateLimit-Daily-Remaining</c> falls below the reserve, or after a
/// <c>DAILY</c> 429, and lifts by itself: as soon as an answer shows the budget back, at midnight in the portal's time
/// zone, or after the recheck interval, when one call is let through to read the headers again. It never holds until a
/// restart.
/// </summary>
internal sealed class DailyBudgetGuard(double reserveShare, TimeSpan recheck, TimeZoneInfo portalZone, TimeProvider time)
{
    private static readonly AsyncLocal<int> UrgentDepth = new();
    private readonly Lock _gate = new();
    private long? _daily;
    private long? _remaining;
    private DateTimeOffset? _pausedUntil;

    public static bool IsUrgent => UrgentDepth.Value > 0;

    public long? Daily => _daily;

    public long? Remaining => _remaining;

    public DateTimeOffset? PausedUntil
    {
        get
        {
            lock (_gate)
            {
                return _pausedUntil is { } until && until > time.GetUtcNow() ? until : null;
            }
        }
    }

    public static IDisposable BeginUrgent()
    {
        UrgentDepth.Value++;
        return new UrgentScope();
    }

    /// <summary>Reads the daily headers of an answer: engages below the reserve, lifts above it. Returns whether it just engaged.</summary>
    public bool Observe(long daily, long remaining)
    {
        lock (_gate)
        {
            _daily = daily;
            _remaining = remaining;
            if (reserveShare <= 0 || daily <= 0 || remaining >= daily * reserveShare)
            {
                _pausedUntil = null;
                return false;
            }

            var engaged = _pausedUntil is null || _pausedUntil <= time.GetUtcNow();
            var now = time.GetUtcNow();
            var midnight = NextMidnight(now);
            _pausedUntil = now + recheck < midnight ? now + recheck : midnight;
            return engaged;
        }
    }

    /// <summary>After a <c>DAILY</c> 429: hold until the portal's midnight. Returns the wait.</summary>
    public TimeSpan ExhaustedForToday()
    {
        lock (_gate)
        {
            var now = time.GetUtcNow();
            var midnight = NextMidnight(now);
            _pausedUntil = midnight;
            _remaining = 0;
            return midnight - now;
        }
    }

    /// <summary>The time until the next midnight in the portal's time zone.</summary>
    public TimeSpan UntilMidnight()
    {
        var now = time.GetUtcNow();
        return NextMidnight(now) - now;
    }

    /// <summary>Throws <see cref="ErrorCategory.RateLimited"/> while the guard holds and the call is not urgent; once the hold ends, lets calls through.</summary>
    public void EnsureWithinBudget(string connectorName, string operation)
    {
        DateTimeOffset until;
        lock (_gate)
        {
            if (IsUrgent || _pausedUntil is null)
            {
                return;
            }

            var now = time.GetUtcNow();
            if (_pausedUntil <= now)
            {
                // The hold is over: let calls through; their answers say whether to hold again.
                _pausedUntil = null;
                return;
            }

            until = _pausedUntil.Value;
        }

        var wait = until - time.GetUtcNow();
        throw new ConcordException(
            ErrorCategory.RateLimited,
            string.Create(
                CultureInfo.InvariantCulture,
                $"HubSpot's daily allowance is nearly spent ({_remaining} of {_daily} left, reserve {reserveShare:P0} = HubSpotConnectorOptions.DailyReserveShare); '{operation}' was not sent and non-urgent work pauses until {until:O}."))
        {
            System = connectorName,
            Operation = operation,
            RetryAfter = wait > TimeSpan.Zero ? wait : TimeSpan.Zero,
        };
    }

    private DateTimeOffset NextMidnight(DateTimeOffset now)
    {
        var local = TimeZoneInfo.ConvertTime(now, portalZone);
        var midnight = DateTime.SpecifyKind(local.Date.AddDays(1), DateTimeKind.Unspecified);
        while (portalZone.IsInvalidTime(midnight))
        {
            midnight = midnight.AddMinutes(30);
        }

        return new DateTimeOffset(midnight, portalZone.GetUtcOffset(midnight));
    }

    private sealed class UrgentScope : IDisposable
    {
        private bool _disposed;

        public void Dispose()
        {
            if (!_disposed)
            {
                _disposed = true;
                UrgentDepth.Value--;
            }
        }
    }
}
