namespace Concord.Sync.Idempotency;

/// <summary>Where a write stands in the idempotency store.</summary>
public enum IdempotencyState
{
    /// <summary>Claimed by a worker whose lease has not expired; the write may be under way.</summary>
    Started,

    /// <summary>Written; the stored result is returned to every later claim.</summary>
    Completed,

    /// <summary>The last attempt failed; the key can be claimed again.</summary>
    Failed,
}
