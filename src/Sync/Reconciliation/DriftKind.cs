namespace Concord.Sync.Reconciliation;

/// <summary>How a target disagrees with the source.</summary>
public enum DriftKind
{
    /// <summary>The source record has no counterpart in the target (not linked, or linked but gone).</summary>
    Missing,

    /// <summary>The identity map links a target record whose source record is gone.</summary>
    Extra,

    /// <summary>A field group differs between source and target where the flow would write the source's value.</summary>
    Differs,
}
