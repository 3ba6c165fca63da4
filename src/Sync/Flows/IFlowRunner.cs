namespace Concord.Sync.Flows;

/// <summary>The flows the host declared with <c>AddFlow</c>.</summary>
public interface IFlowRunner
{
    /// <summary>Every declared flow, in declaration order.</summary>
    IReadOnlyList<IFlow> Flows { get; }

    /// <summary>Returns the flow named <paramref name="name"/>.</summary>
    /// <param name="name">The flow name.</param>
    /// <returns>The flow.</returns>
    /// <exception cref="KeyNotFoundException">No flow has that name.</exception>
    IFlow GetFlow(string name);
}
