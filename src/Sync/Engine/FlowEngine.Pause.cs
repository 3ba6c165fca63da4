using Concord.Canonical.Connectors;
using Concord.Canonical.Errors;
using Concord.Sync.Diagnostics;
using Concord.Sync.Flows;

namespace Concord.Sync.Engine;

/// <summary>
/// Outages pause a flow for a target; they do not dead-letter its backlog. A system-level failure of a whole call
/// (wrong credentials, missing rights, a configuration the vendor refuses, an open circuit, a spent quota, an outage
/// that outlasted the retries) or a connector reporting itself down pauses the target: no record uses up a delivery
/// attempt for it. A change-feed record that reached no target yet is left unhandled (the cursor stays before it, the
/// source keeps it); a record already written to an earlier target, submitted by the host or taken from a dead letter
/// waits as a deferred entry whose attempts do not grow. Once <see cref="FlowOptions.ProbeInterval"/> has passed, the
/// next call to the target is the probe: its success resumes the target. Pausing and resuming are logged once each,
/// measured (<c>concord.flow.target.paused</c>) and reported by the <c>concord</c> health check.
/// </summary>
internal sealed partial class FlowEngine
{
    /// <summary>The engine's health state, shared with the gauges and the health check.</summary>
    public required SyncMonitor Monitor { get; init; }

    /// <summary>
    /// Stops <paramref name="run"/> before it reads anything when the flow's first target is paused and not due for a
    /// probe: every record would stop there, so reading the source or the deferred entries would only rewrite them.
    /// </summary>
    /// <returns>Whether the run was stopped.</returns>
    public bool StopIfPaused(RunState run)
    {
        if (_targets.Count == 0)
        {
            return false;
        }

        var (target, connector) = _targets[0];
        if (CheckPause(target, connector, run) is not { } pause)
        {
            return false;
        }

        run.Stop(PausedReason(pause), pause.Category, byPause: true);
        return true;
    }

    /// <summary>
    /// Whether <paramref name="target"/> is to be left alone in this call: paused earlier in this run, paused by a
    /// failure and not yet due for a probe, or reporting itself down. Returns the pause, or null to go ahead (which,
    /// for a paused target due for a probe, makes the next call the probe).
    /// </summary>
    private TargetPause? CheckPause(string target, ICustomerConnector connector, RunState run)
    {
        var pause = Monitor.PauseOf(_flow, target);
        if (connector is ITargetHealth health)
        {
            if (!health.IsAvailable)
            {
                if (pause is null || !run.UnavailableTargets.Contains(target))
                {
                    var reason = $"{target} reports itself unavailable: {health.UnavailableReason ?? "no reason given"}.";
                    pause = Paused(target, new ConcordException(ErrorCategory.Transient, reason) { System = target, Operation = "health" }, run, fromHealthSignal: true);
                }

                return pause;
            }

            if (pause is { FromHealthSignal: true })
            {
                Resumed(target, run);
                return null;
            }
        }

        if (pause is null)
        {
            return null;
        }

        return run.UnavailableTargets.Contains(target) || _time.GetUtcNow() < pause.NextProbeAt ? pause : null;
    }

    /// <summary>A call to <paramref name="target"/> went through without a system-level failure: a paused target resumes.</summary>
    private void TargetAnswered(string target, RunState run)
    {
        if (run.AnsweredTargets.Contains(target) && !run.UnavailableTargets.Contains(target) && Monitor.PauseOf(_flow, target) is not null)
        {
            Resumed(target, run);
        }
    }

    /// <summary>
    /// A system-level failure of <paramref name="target"/>: pause it (or note a failed probe) and leave its records
    /// waiting. Their leases are settled with the wave (released, not committed): an intent recorded before the failed
    /// call stays for the next writer to complete with its real outcome.
    /// </summary>
    private void TargetUnavailable(string target, ConcordException error, List<RecordWork> affected, RunState run)
    {
        var pause = Paused(target, error, run, fromHealthSignal: false);
        Wait(target, pause, affected, run);
    }

    /// <summary>Leaves the records of a paused target waiting, without a call, and stops the run when nothing more can move.</summary>
    private void Wait(string target, TargetPause pause, List<RecordWork> affected, RunState run)
    {
        var reason = PausedReason(pause);
        foreach (var work in affected)
        {
            if (work.Incoming.Cursor is not null && work.Incoming.FromDeadLetter is null && work.Outcomes.Count == 0)
            {
                work.Unhandled = true;
            }
            else
            {
                work.Fail(new RecordFailure(pause.Category, reason, target, Retryable: true) { CountsAsAttempt = false });
            }
        }

        // Every record meets the first target first: when it is paused nothing can move, so the run stops (the cursor
        // stays before the first record left in the source). A later target paused under Defer lets the earlier ones stay current.
        var isFirst = string.Equals(_targets[0].Key, target, StringComparison.Ordinal);
        if (isFirst || _options.WhenTargetUnavailable == TargetPolicy.Stop)
        {
            run.Stop(reason, pause.Category, byPause: true);
        }
    }

    private TargetPause Paused(string target, ConcordException error, RunState run, bool fromHealthSignal)
    {
        run.UnavailableTargets.Add(target);
        var (pause, isNew) = Monitor.Pause(_flow, target, error.Category, Reason(error), _options.ProbeInterval, error.RetryAfter, fromHealthSignal);
        if (isNew)
        {
            Log.TargetPaused(_logger, _flow, run.CorrelationId, target, error.Category, pause.Reason, pause.NextProbeAt);
        }
        else
        {
            Log.TargetProbeFailed(_logger, _flow, run.CorrelationId, target, error.Category, pause.FailedProbes, pause.NextProbeAt);
        }

        return pause;
    }

    private void Resumed(string target, RunState run)
    {
        if (Monitor.Resume(_flow, target) is { } ended)
        {
            var pausedSeconds = (long)(_time.GetUtcNow() - ended.Since).TotalSeconds;
            Log.TargetResumed(_logger, _flow, run.CorrelationId, target, pausedSeconds);
        }
    }

    private static string PausedReason(TargetPause pause) =>
        $"{pause.Target} is paused ({pause.Category}) since {pause.Since:O}; the next probe is due at {pause.NextProbeAt:O}: {pause.Reason}";

    /// <summary>A failure of a whole call that pauses the target; one record's failure (its own result) never does.</summary>
    private static bool PausesTarget(ErrorCategory category) => IsTargetLevel(category) || category == ErrorCategory.Authorization;
}
