using Concord.Canonical.Errors;
using Microsoft.Extensions.Logging;

namespace Concord.Sync.Diagnostics;

/// <summary>The feed lease's log messages (one reader per change feed across host instances).</summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 6201, Level = LogLevel.Information,
        Message = "Flow {Flow} run {CorrelationId} holds the lease on feed {Source} as {Holder} (token {Token})")]
    public static partial void FeedLeaseAcquired(ILogger logger, string flow, string correlationId, string source, string holder, long token);

    [LoggerMessage(EventId = 6202, Level = LogLevel.Debug,
        Message = "Flow {Flow} run {CorrelationId}: feed {Source} is read by another instance; this run reads nothing from it")]
    public static partial void FeedLeaseHeldElsewhere(ILogger logger, string flow, string correlationId, string source);

    [LoggerMessage(EventId = 6203, Level = LogLevel.Warning,
        Message = "Flow {Flow} run {CorrelationId}: the lease on feed {Source} (token {Token}) was taken over by another instance; this instance stops reading and tries to acquire it again on its next run")]
    public static partial void FeedLeaseLost(ILogger logger, string flow, string correlationId, string source, long token);

    [LoggerMessage(EventId = 6204, Level = LogLevel.Warning,
        Message = "Flow {Flow}: renewing the lease on feed {Source} failed ({Category}: {Reason}); the next renewal tries again")]
    public static partial void FeedLeaseRenewalFailed(ILogger logger, string flow, string source, ErrorCategory category, string reason);
}
