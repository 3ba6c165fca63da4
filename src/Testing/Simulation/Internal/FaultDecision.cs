namespace Concord.Testing;

/// <summary>What the fault plan decided for one request.</summary>
internal readonly record struct FaultDecision(FaultKind? Kind, int StatusCode, TimeSpan? RetryAfter, TimeSpan Latency);
