namespace Concord.Sync.Reconciliation;

/// <summary>What a reconciliation compares and whether it repairs.</summary>
public sealed record ReconciliationOptions
{
    /// <summary>Whether to write the flow's merged value to every target that drifted (through the idempotent write path).</summary>
    /// <value>The default value is false (report only).</value>
    public bool Repair { get; init; }

    /// <summary>The most source records to compare.</summary>
    /// <value>The default value is 100,000.</value>
    public int MaxRecords { get; init; } = 100_000;
}
