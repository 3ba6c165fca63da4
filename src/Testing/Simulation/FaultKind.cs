namespace Concord.Testing;

/// <summary>The kinds of fault a <see cref="FaultPlan"/> injects.</summary>
public enum FaultKind
{
    /// <summary>An error status (5xx) instead of the handler's answer; the handler does not run.</summary>
    Status,

    /// <summary>A 429 with <c>Retry-After</c>; the handler does not run.</summary>
    Throttle,

    /// <summary>The answer comes after an added delay; the handler runs normally.</summary>
    Latency,

    /// <summary>The handler runs and its write is applied, then the connection is dropped before the answer.</summary>
    LostResponse,
}
