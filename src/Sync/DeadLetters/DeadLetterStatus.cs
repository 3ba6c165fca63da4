namespace Concord.Sync.DeadLetters;

/// <summary>Where a parked record stands.</summary>
public enum DeadLetterStatus
{
    /// <summary>A technical failure (transient, rate-limited, target unavailable): the engine retries it on the next run, a bounded number of times.</summary>
    Deferred,

    /// <summary>A business failure, or a deferral that ran out of attempts: it waits for a person to fix and replay it.</summary>
    DeadLettered,

    /// <summary>Handled since: replayed successfully, or the source sent a version that went through.</summary>
    Resolved,

    /// <summary>Dropped on purpose by an operator.</summary>
    Discarded,
}
