using System.Diagnostics.Metrics;
using Concord.Canonical.Diagnostics;
using Concord.Canonical.Errors;

namespace Concord.Sync.Diagnostics;

/// <summary>
/// What the engine knows about its own health between runs, for the health check and the observable gauges: which
/// targets are paused for which flow (and until when), how long ago each flow was last caught up with its source, and
/// how many events wait in the outbox. One per container; thread-safe.
/// </summary>
internal sealed class SyncMonitor : IDisposable
{
    /// <summary>After this many failed probes the wait between probes stops growing (16 times the probe interval).</summary>
    private const int MaxBackoffDoublings = 4;

    private readonly Lock _gate = new();
    private readonly Dictionary<(string Flow, string Target), TargetPause?> _targets = [];
    private readonly Dictionary<string, DateTimeOffset> _caughtUp = new(StringComparer.Ordinal);
    private readonly TimeProvider _time;
    private readonly Meter _meter;
    private long _pendingEvents = -1;

    public SyncMonitor(TimeProvider time, IMeterFactory? meterFactory = null)
    {
        _time = time;
        var version = typeof(SyncMonitor).Assembly.GetName().Version?.ToString();
        _meter = meterFactory?.Create(new MeterOptions(ConcordTelemetry.Name) { Version = version }) ?? new Meter(ConcordTelemetry.Name, version);
        _meter.CreateObservableGauge("concord.flow.target.paused", ObservePaused, "{target}", "Whether a flow is paused for a target (1) or not (0), tagged with the flow and the target system.");
        _meter.CreateObservableGauge("concord.flow.cursor.lag", ObserveLag, "s", "Seconds since the flow was last caught up with its source: the start of its last run that read the change feed to the end, else the last change it checkpointed.");
        _meter.CreateObservableGauge("concord.outbox.pending", ObservePending, "{event}", "Events in the outbox not yet delivered to a publisher.");
    }

    /// <summary>Makes the targets of a flow known, so that the gauge reports them (as 0) before any pause.</summary>
    public void Register(string flow, IEnumerable<string> targets)
    {
        lock (_gate)
        {
            foreach (var target in targets)
            {
                _targets.TryAdd((flow, target), null);
            }
        }
    }

    /// <summary>The pause of <paramref name="target"/> for <paramref name="flow"/>, or null when it is not paused.</summary>
    public TargetPause? PauseOf(string flow, string target)
    {
        lock (_gate)
        {
            return _targets.GetValueOrDefault((flow, target));
        }
    }

    /// <summary>Every current pause.</summary>
    public IReadOnlyList<TargetPause> Pauses()
    {
        lock (_gate)
        {
            return [.. _targets.Values.OfType<TargetPause>().OrderBy(p => p.Flow, StringComparer.Ordinal).ThenBy(p => p.Target, StringComparer.Ordinal)];
        }
    }

    /// <summary>
    /// Pauses the target, or records a failed probe of a paused one: the next probe waits <paramref name="probeInterval"/>,
    /// doubled after each failed probe (up to 16 times), and at least as long as the vendor asked (<paramref name="retryAfter"/>).
    /// </summary>
    /// <returns>The pause, and whether it is new (a state change, to be logged) rather than a failed probe.</returns>
    public (TargetPause Pause, bool IsNew) Pause(string flow, string target, ErrorCategory category, string reason, TimeSpan probeInterval, TimeSpan? retryAfter, bool fromHealthSignal)
    {
        var now = _time.GetUtcNow();
        lock (_gate)
        {
            var previous = _targets.GetValueOrDefault((flow, target));
            var failedProbes = previous is null ? 0 : previous.FailedProbes + 1;
            var wait = probeInterval * (1 << Math.Min(failedProbes, MaxBackoffDoublings));
            if (retryAfter is { } vendorWait && vendorWait > wait)
            {
                wait = vendorWait;
            }

            var pause = new TargetPause(flow, target, category, reason, previous?.Since ?? now, now + wait, failedProbes, fromHealthSignal);
            _targets[(flow, target)] = pause;
            return (pause, previous is null);
        }
    }

    /// <summary>Ends the pause of the target; returns it when there was one (a state change, to be logged).</summary>
    public TargetPause? Resume(string flow, string target)
    {
        lock (_gate)
        {
            var previous = _targets.GetValueOrDefault((flow, target));
            if (previous is not null)
            {
                _targets[(flow, target)] = null;
            }

            return previous;
        }
    }

    /// <summary>Notes that <paramref name="flow"/> had handled every change made before <paramref name="at"/>.</summary>
    public void CaughtUp(string flow, DateTimeOffset at)
    {
        lock (_gate)
        {
            if (!_caughtUp.TryGetValue(flow, out var known) || at > known)
            {
                _caughtUp[flow] = at;
            }
        }
    }

    /// <summary>Notes the newest pending-event count the dispatcher saw.</summary>
    public void PendingEvents(long count) => Interlocked.Exchange(ref _pendingEvents, count);

    public void Dispose() => _meter.Dispose();

    private IEnumerable<Measurement<int>> ObservePaused()
    {
        List<Measurement<int>> readings;
        lock (_gate)
        {
            readings = [.. _targets.Select(t => new Measurement<int>(
                t.Value is null ? 0 : 1,
                new KeyValuePair<string, object?>(ConcordTelemetry.FlowTag, t.Key.Flow),
                new KeyValuePair<string, object?>(ConcordTelemetry.SystemTag, t.Key.Target)))];
        }

        return readings;
    }

    private IEnumerable<Measurement<double>> ObserveLag()
    {
        var now = _time.GetUtcNow();
        List<Measurement<double>> readings;
        lock (_gate)
        {
            readings = [.. _caughtUp.Select(f => new Measurement<double>(
                Math.Max(0, (now - f.Value).TotalSeconds),
                new KeyValuePair<string, object?>(ConcordTelemetry.FlowTag, f.Key)))];
        }

        return readings;
    }

    private IEnumerable<Measurement<long>> ObservePending()
    {
        var pending = Interlocked.Read(ref _pendingEvents);
        return pending < 0 ? [] : [new Measurement<long>(pending)];
    }
}

/// <summary>A target a flow does not call for now.</summary>
/// <param name="Flow">The flow.</param>
/// <param name="Target">The target connector.</param>
/// <param name="Category">The failure that paused it.</param>
/// <param name="Reason">Why, personal data masked.</param>
/// <param name="Since">When it was paused.</param>
/// <param name="NextProbeAt">When the next call may try it again.</param>
/// <param name="FailedProbes">Probes that failed since it was paused.</param>
/// <param name="FromHealthSignal">Paused because the connector reported itself unavailable (it resumes when it reports itself available).</param>
internal sealed record TargetPause(string Flow, string Target, ErrorCategory Category, string Reason, DateTimeOffset Since, DateTimeOffset NextProbeAt, int FailedProbes, bool FromHealthSignal);
