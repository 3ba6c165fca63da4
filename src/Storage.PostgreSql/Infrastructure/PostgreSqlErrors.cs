using Concord.Canonical.Errors;
using Npgsql;

namespace Concord.Storage.PostgreSql.Infrastructure;

/// <summary>Maps PostgreSQL and Npgsql failures into Concord's error taxonomy.</summary>
internal static class PostgreSqlErrors
{
    public const string System = "postgresql";

    /// <summary>A serialization failure or a deadlock: the whole transaction can be tried again.</summary>
    public static bool IsRetryable(Exception exception) =>
        exception is PostgresException { SqlState: PostgresErrorCodes.SerializationFailure or PostgresErrorCodes.DeadlockDetected };

    public static ConcordException Translate(string operation, Exception cause)
    {
        var (category, code) = cause switch
        {
            PostgresException pg => (Categorize(pg.SqlState), pg.SqlState),
            NpgsqlException npgsql => (npgsql.IsTransient ? ErrorCategory.Transient : ErrorCategory.Configuration, null),
            _ => (ErrorCategory.Transient, null),
        };
        var hint = category == ErrorCategory.Configuration
            ? " Check the connection string (host, database, user, password) and that the user may create the schema and its tables."
            : string.Empty;
        return new ConcordException(category, $"PostgreSQL failed during {operation}: {cause.Message.TrimEnd('.')}.{hint}", cause)
        {
            System = System,
            Operation = operation,
            VendorErrorCode = code,
        };
    }

    private static ErrorCategory Categorize(string sqlState) => sqlState switch
    {
        // 28: invalid authorization; 3D: invalid catalog name; 42501: insufficient privilege; 3F: invalid schema name.
        _ when sqlState.StartsWith("28", StringComparison.Ordinal) => ErrorCategory.Configuration,
        _ when sqlState.StartsWith("3D", StringComparison.Ordinal) => ErrorCategory.Configuration,
        _ when sqlState.StartsWith("3F", StringComparison.Ordinal) => ErrorCategory.Configuration,
        PostgresErrorCodes.InsufficientPrivilege => ErrorCategory.Configuration,
        _ => ErrorCategory.Transient,
    };
}
