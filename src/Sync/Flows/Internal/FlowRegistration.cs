namespace Concord.Sync.Flows.Internal;

/// <summary>A flow declared with <c>AddFlow</c>; one singleton instance per flow, in declaration order.</summary>
internal sealed record FlowRegistration(string Name);
