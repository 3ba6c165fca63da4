using Microsoft.Extensions.Logging;

namespace Concord.Canonical.Resilience.Internal;

internal static partial class Log
{
    [LoggerMessage(1, LogLevel.Debug, "Retrying {Method} {Operation} to {System}: attempt {Attempt} in {Delay} after {Reason}.")]
    public static partial void Retrying(ILogger logger, string system, string method, string operation, int attempt, TimeSpan delay, string reason);

    [LoggerMessage(2, LogLevel.Warning, "The circuit to {System} opened for {BreakDuration} after {Reason}; calls fail fast until then.")]
    public static partial void CircuitOpened(ILogger logger, string system, TimeSpan breakDuration, string reason);

    [LoggerMessage(3, LogLevel.Information, "The circuit to {System} closed.")]
    public static partial void CircuitClosed(ILogger logger, string system);

    [LoggerMessage(4, LogLevel.Warning, "The client-side rate limiter of {System} refused a request: its queue is full.")]
    public static partial void LimiterRejected(ILogger logger, string system);
}
