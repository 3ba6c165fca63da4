using Concord.Canonical.Errors;

namespace Concord.Sync.DeadLetters;

/// <summary>
/// A record a flow could not deliver: what it was, where it failed, why, and the payload to replay. There is one entry
/// per (flow, source record): a later failure of the same record updates it and counts the attempt.
/// </summary>
public sealed record DeadLetter
{
    /// <summary>The entry id, derived from the flow, the source system and the source record's id.</summary>
    public required string Id { get; init; }

    /// <summary>The flow name.</summary>
    public required string Flow { get; init; }

    /// <summary>The source connector name (or the host-declared source of submitted records).</summary>
    public required string SourceSystem { get; init; }

    /// <summary>The record's id in the source system.</summary>
    public required string SourceExternalId { get; init; }

    /// <summary>The canonical id, when identity resolution got that far.</summary>
    public string? CanonicalId { get; init; }

    /// <summary>The target the write failed on, or null when the record failed before any target (validation, identity conflict).</summary>
    public string? TargetSystem { get; init; }

    /// <summary>The failure's category.</summary>
    public required ErrorCategory Category { get; init; }

    /// <summary>Why it failed, personal data masked.</summary>
    public required string Reason { get; init; }

    /// <summary>The source record as canonical JSON (what a replay feeds back into the flow).</summary>
    public required string Payload { get; init; }

    /// <summary>The correlation id of the run that last failed it.</summary>
    public required string CorrelationId { get; init; }

    /// <summary>Deferred, dead-lettered, resolved or discarded.</summary>
    public required DeadLetterStatus Status { get; init; }

    /// <summary>How many times the record has failed.</summary>
    public required int Attempts { get; init; }

    /// <summary>When it first failed.</summary>
    public required DateTimeOffset FirstFailedAt { get; init; }

    /// <summary>When it last failed.</summary>
    public required DateTimeOffset LastFailedAt { get; init; }

    /// <summary>When it was resolved or discarded.</summary>
    public DateTimeOffset? ResolvedAt { get; init; }
}
