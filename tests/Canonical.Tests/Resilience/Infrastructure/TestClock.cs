using Microsoft.Extensions.Time.Testing;

namespace Concord.Canonical.Tests.Resilience.Infrastructure;

/// <summary>
/// A <see cref="FakeTimeProvider"/> that knows which timers are armed, so a test can jump straight to the next
/// retry delay or limiter wake-up instead of sleeping or guessing. Timers whose due time <see cref="Ignore"/>
/// selects (the pipeline's own timeouts) are not waited for.
/// </summary>
internal sealed class TestClock(Signal signal) : TimeProvider
{
    private readonly Lock _gate = new();
    private readonly HashSet<TrackedTimer> _armed = [];

    public FakeTimeProvider Fake { get; } = new(new DateTimeOffset(2026, 11, 23, 12, 0, 0, TimeSpan.Zero));

    public Func<TimeSpan, bool> Ignore { get; set; } = _ => false;

    public override TimeZoneInfo LocalTimeZone => TimeZoneInfo.Utc;

    public override long TimestampFrequency => Fake.TimestampFrequency;

    public override DateTimeOffset GetUtcNow() => Fake.GetUtcNow();

    public override long GetTimestamp() => Fake.GetTimestamp();

    public void Advance(TimeSpan delta) => Fake.Advance(delta);

    /// <summary>The earliest due time of an armed, not ignored timer.</summary>
    public DateTimeOffset? NextDue
    {
        get
        {
            lock (_gate)
            {
                return _armed.Count == 0 ? null : _armed.Min(t => t.DueAt);
            }
        }
    }

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        var tracked = new TrackedTimer(this);
        tracked.Arm(dueTime, period);
        tracked.Inner = Fake.CreateTimer(
            s =>
            {
                tracked.Fired();
                callback(s);
            },
            state,
            dueTime,
            period);
        return tracked;
    }

    private void Update(TrackedTimer timer, bool armed)
    {
        lock (_gate)
        {
            if (armed)
            {
                _armed.Add(timer);
            }
            else
            {
                _armed.Remove(timer);
            }
        }

        signal.Raise();
    }

    private sealed class TrackedTimer(TestClock clock) : ITimer
    {
        private TimeSpan _period = Timeout.InfiniteTimeSpan;

        public ITimer? Inner { get; set; }

        public DateTimeOffset DueAt { get; private set; }

        public void Arm(TimeSpan dueTime, TimeSpan period)
        {
            _period = period;
            var armed = dueTime != Timeout.InfiniteTimeSpan && dueTime > TimeSpan.Zero && !clock.Ignore(dueTime);
            DueAt = clock.GetUtcNow() + (armed ? dueTime : TimeSpan.Zero);
            clock.Update(this, armed);
        }

        public void Fired()
        {
            if (_period == Timeout.InfiniteTimeSpan || _period <= TimeSpan.Zero)
            {
                clock.Update(this, armed: false);
            }
            else
            {
                DueAt = clock.GetUtcNow() + _period;
                clock.Update(this, armed: true);
            }
        }

        public bool Change(TimeSpan dueTime, TimeSpan period)
        {
            Arm(dueTime, period);
            return Inner!.Change(dueTime, period);
        }

        public void Dispose()
        {
            clock.Update(this, armed: false);
            Inner?.Dispose();
        }

        public ValueTask DisposeAsync()
        {
            Dispose();
            return ValueTask.CompletedTask;
        }
    }
}
