using Microsoft.Extensions.Logging;

namespace Concord.Storage.PostgreSql.Diagnostics;

/// <summary>Source-generated log messages of the PostgreSQL stores.</summary>
internal static partial class Log
{
    [LoggerMessage(1, LogLevel.Information, "PostgreSQL schema '{Schema}' is ready ({Applied} migration(s) applied by this instance).")]
    public static partial void SchemaReady(ILogger logger, string schema, int applied);

    [LoggerMessage(2, LogLevel.Information, "Applied PostgreSQL migration {Component} v{Version} ({Name}) to schema '{Schema}'.")]
    public static partial void MigrationApplied(ILogger logger, string component, int version, string name, string schema);

    [LoggerMessage(3, LogLevel.Debug, "PostgreSQL {Operation} hit a serialization failure or deadlock (attempt {Attempt} of {MaxAttempts}); trying again in {Delay}.")]
    public static partial void WriteRetried(ILogger logger, string operation, int attempt, int maxAttempts, TimeSpan delay);

    [LoggerMessage(4, LogLevel.Warning, "Idempotency key {Key}: the lease of claim {PreviousToken} ended at {LeaseExpiredAt} without a completion; attempt {Attempt} takes the key over. The earlier holder may have written already.")]
    public static partial void LeaseTakenOver(ILogger logger, string key, Guid previousToken, DateTimeOffset leaseExpiredAt, int attempt);
}
