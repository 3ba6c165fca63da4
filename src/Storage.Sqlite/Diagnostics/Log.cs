using Microsoft.Extensions.Logging;

namespace Concord.Storage.Sqlite.Diagnostics;

/// <summary>Source-generated log messages of the SQLite stores.</summary>
internal static partial class Log
{
    [LoggerMessage(1, LogLevel.Information, "Opened SQLite database '{Database}' (journal mode {JournalMode}, synchronous {Synchronous}).")]
    public static partial void DatabaseOpened(ILogger logger, string database, string journalMode, string synchronous);

    [LoggerMessage(2, LogLevel.Information, "Applied SQLite migration {Component} v{Version} ({Name}) to '{Database}'.")]
    public static partial void MigrationApplied(ILogger logger, string component, int version, string name, string database);

    [LoggerMessage(3, LogLevel.Debug, "SQLite database '{Database}' was locked during {Operation} (attempt {Attempt} of {MaxAttempts}); trying again in {Delay}.")]
    public static partial void WriteBusy(ILogger logger, string database, string operation, int attempt, int maxAttempts, TimeSpan delay);

    [LoggerMessage(4, LogLevel.Warning, "Idempotency key {Key}: the lease of claim {PreviousToken} ended at {LeaseExpiredAt} without a completion; attempt {Attempt} takes the key over. The earlier holder may have written already.")]
    public static partial void LeaseTakenOver(ILogger logger, string key, Guid previousToken, DateTimeOffset leaseExpiredAt, int attempt);

    [LoggerMessage(5, LogLevel.Error, "SQLite database '{Database}': renewing this host's heartbeat failed ({Category}): {Reason}")]
    public static partial void HeartbeatFailed(ILogger logger, string database, Concord.Canonical.Errors.ErrorCategory category, string reason);
}
