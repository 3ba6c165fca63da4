using Concord.Canonical.Errors;
using Concord.Sync.Flows;

namespace Concord.Sync.Engine;

/// <summary>The counters and decisions of one run, shared by its pages.</summary>
internal sealed class RunState(string flow, string correlationId, DateTimeOffset startedAt)
{
    public string Flow { get; } = flow;

    public string CorrelationId { get; } = correlationId;

    /// <summary>Reconciliation repair: write even when the identity map says the target has this version.</summary>
    public bool ForceWrite { get; init; }

    public DateTimeOffset StartedAt { get; } = startedAt;

    /// <summary>Targets found unavailable in this run (their later records are deferred without a call).</summary>
    public HashSet<string> UnavailableTargets { get; } = new(StringComparer.Ordinal);

    /// <summary>Targets that answered at least one call in this run (a paused one among them resumes).</summary>
    public HashSet<string> AnsweredTargets { get; } = new(StringComparer.Ordinal);

    /// <summary>The leases of the wave being written, renewed while it lasts (null between waves).</summary>
    public LeaseKeeper? Leases { get; set; }

    /// <summary>The feed lease a change-feed read runs under (every commit carries it, and is refused once it was taken over), or null.</summary>
    public Storage.FeedLease? FeedLease { get; set; }

    /// <summary>Whether the feed was not read because another instance holds its lease.</summary>
    public bool FeedHeldElsewhere { get; set; }

    public int Read { get; set; }

    public int Created { get; set; }

    public int Updated { get; set; }

    public int Unchanged { get; set; }

    public int Refused { get; set; }

    public int DeadLettered { get; set; }

    public int Deferred { get; set; }

    public int DuplicatesAvoided { get; set; }

    public int Skipped { get; set; }

    /// <summary>Records named by webhook hints that hold what Concord itself wrote there (not handled again).</summary>
    public int EchoesSuppressed { get; set; }

    public bool Stopped { get; private set; }

    public string? StopReason { get; private set; }

    /// <summary>The failure that stopped the run (a source that cannot be read, a paused target), or null.</summary>
    public ErrorCategory? StopCategory { get; private set; }

    /// <summary>Whether the run stopped because a target is paused (already reported when the pause began).</summary>
    public bool StoppedByPause { get; private set; }

    public void Stop(string reason, ErrorCategory? category = null, bool byPause = false)
    {
        if (!Stopped)
        {
            Stopped = true;
            StopReason = reason;
            StopCategory = category;
            StoppedByPause = byPause;
        }
    }

    public FlowRunSummary ToSummary(TimeSpan elapsed) => new()
    {
        Flow = Flow,
        CorrelationId = CorrelationId,
        StartedAt = StartedAt,
        Elapsed = elapsed,
        Read = Read,
        Created = Created,
        Updated = Updated,
        Unchanged = Unchanged,
        RefusedByOwnership = Refused,
        DeadLettered = DeadLettered,
        Deferred = Deferred,
        DuplicatesAvoided = DuplicatesAvoided,
        Skipped = Skipped,
        EchoesSuppressed = EchoesSuppressed,
        Stopped = Stopped,
        FeedHeldElsewhere = FeedHeldElsewhere,
        StopReason = StopReason,
        StopCategory = StopCategory,
    };
}
