namespace Concord.Sync.Flows;

/// <summary>What a flow does when a target is unavailable (its circuit is open, or it keeps failing for technical reasons after retries).</summary>
public enum TargetPolicy
{
    /// <summary>Defer the target's records to the next run and keep delivering to the other targets and the rest of the feed.</summary>
    Defer,

    /// <summary>Stop the run; the cursor stays before the first record not delivered, so the next run starts there.</summary>
    Stop,
}
