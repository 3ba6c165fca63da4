namespace Concord.Sync.Flows;

/// <summary>Where a flow's records come from.</summary>
public enum FlowSourceKind
{
    /// <summary>A connector's change feed, read from a checkpointed cursor on every run.</summary>
    ChangeFeed,

    /// <summary>Records the host submits through <see cref="IFlow.SubmitAsync"/> (a webhook, an API call, an import).</summary>
    Host,
}
