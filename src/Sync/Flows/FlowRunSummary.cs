using Concord.Canonical.Errors;

namespace Concord.Sync.Flows;

/// <summary>
/// What one run (or submission, or replay) of a flow did. <see cref="Read"/>, <see cref="DeadLettered"/>, <see cref="Deferred"/>
/// and <see cref="Skipped"/> count records; <see cref="Created"/>, <see cref="Updated"/> and <see cref="Unchanged"/> count
/// writes per target (a record written to two targets counts twice).
/// </summary>
public sealed record FlowRunSummary
{
    /// <summary>The flow name.</summary>
    public required string Flow { get; init; }

    /// <summary>The correlation id every log, span, event and audit entry of the run carries.</summary>
    public required string CorrelationId { get; init; }

    /// <summary>When the run started.</summary>
    public required DateTimeOffset StartedAt { get; init; }

    /// <summary>How long it took.</summary>
    public TimeSpan Elapsed { get; init; }

    /// <summary>Records read (from the feed, submitted, or retried from earlier deferrals).</summary>
    public int Read { get; init; }

    /// <summary>Records created in a target.</summary>
    public int Created { get; init; }

    /// <summary>Records updated in a target (adopted matches included).</summary>
    public int Updated { get; init; }

    /// <summary>Writes skipped because the target already had this version.</summary>
    public int Unchanged { get; init; }

    /// <summary>Field changes the ownership policy (or survivorship rule) refused.</summary>
    public int RefusedByOwnership { get; init; }

    /// <summary>Records dead-lettered.</summary>
    public int DeadLettered { get; init; }

    /// <summary>Records deferred to the next run.</summary>
    public int Deferred { get; init; }

    /// <summary>Creates avoided because a matching record already existed in the target (adopted), or because the match belonged to another customer (a source duplicate, dead-lettered as a conflict).</summary>
    public int DuplicatesAvoided { get; init; }

    /// <summary>Changes not handled: deletions (not propagated).</summary>
    public int Skipped { get; init; }

    /// <summary>Records named by webhook hints that were left alone because they hold exactly what Concord itself last wrote there: echoes of Concord's own writes (not counted in <see cref="Read"/>).</summary>
    public int EchoesSuppressed { get; init; }

    /// <summary>
    /// Whether the run stopped early: the source could not be read (what was read before is committed), or a target is
    /// paused after a system-level failure (see <see cref="FlowOptions.ProbeInterval"/>). The next run resumes from the
    /// cursor; no record used up a delivery attempt for it.
    /// </summary>
    public bool Stopped { get; init; }

    /// <summary>
    /// Whether the run read nothing from its change feed because another host instance holds the feed's lease (one reader
    /// per feed, see <see cref="FlowOptions.FeedLease"/>); deferred records were still retried.
    /// </summary>
    public bool FeedHeldElsewhere { get; init; }

    /// <summary>Why the run stopped early.</summary>
    public string? StopReason { get; init; }

    /// <summary>The category of the failure that stopped the run (<see cref="ErrorCategory.Authentication"/> for wrong credentials, ...), or null.</summary>
    public ErrorCategory? StopCategory { get; init; }
}
