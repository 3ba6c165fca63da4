namespace Concord.Sync.Audit;

/// <summary>What a flow did with one change for one target.</summary>
public enum AuditOutcome
{
    /// <summary>A new record was created in the target.</summary>
    Created,

    /// <summary>An existing record was updated (including one adopted by match keys).</summary>
    Updated,

    /// <summary>Nothing to write: the target already had this version.</summary>
    Unchanged,

    /// <summary>Deferred to a later run after a technical failure.</summary>
    Deferred,

    /// <summary>Dead-lettered: a business failure, or a deferral out of attempts.</summary>
    DeadLettered,

    /// <summary>Not written: the target already received a newer version of the record from the same source.</summary>
    Superseded,
}
