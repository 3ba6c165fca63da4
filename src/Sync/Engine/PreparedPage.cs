namespace Concord.Sync.Engine;

/// <summary>A page whose records are normalised and validated (<see cref="FlowEngine.Prepare"/>), waiting for the stateful stage.</summary>
internal sealed class PreparedPage(List<RecordWork> works)
{
    /// <summary>The records, in feed order.</summary>
    public List<RecordWork> Works { get; } = works;
}
