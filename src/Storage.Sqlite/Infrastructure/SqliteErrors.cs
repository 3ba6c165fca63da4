using Concord.Canonical.Errors;
using Microsoft.Data.Sqlite;

namespace Concord.Storage.Sqlite.Infrastructure;

/// <summary>Maps SQLite failures into Concord's error taxonomy.</summary>
internal static class SqliteErrors
{
    public const string System = "sqlite";

    private const int Busy = 5;
    private const int LockedCode = 6;
    private const int ReadOnly = 8;
    private const int Corrupt = 11;
    private const int CantOpen = 14;
    private const int Permission = 3;
    private const int NotADatabase = 26;

    /// <summary>Whether another connection holds the lock: the transaction can be tried again.</summary>
    public static bool IsBusy(SqliteException exception) => exception.SqliteErrorCode is Busy or LockedCode;

    public static ConcordException Locked(string operation, string database, int attempts, TimeSpan busyTimeout, SqliteException cause) =>
        new(
            ErrorCategory.Transient,
            $"The SQLite database '{database}' stayed locked by another connection during {operation}: gave up after {attempts} attempt(s) of {busyTimeout.TotalSeconds:0.###} s each. Another process may hold a long write transaction.",
            cause)
        {
            System = System,
            Operation = operation,
            VendorErrorCode = Name(cause),
        };

    public static ConcordException Translate(string operation, string database, SqliteException cause)
    {
        var category = cause.SqliteErrorCode switch
        {
            ReadOnly or CantOpen or Permission or NotADatabase or Corrupt => ErrorCategory.Configuration,
            _ => ErrorCategory.Transient,
        };
        var hint = category == ErrorCategory.Configuration
            ? " Check that the path is a writable SQLite file on a local disk (WAL needs shared memory, so network file systems do not work)."
            : string.Empty;
        return new ConcordException(category, $"SQLite failed during {operation} on '{database}': {cause.Message.TrimEnd('.')}.{hint}", cause)
        {
            System = System,
            Operation = operation,
            VendorErrorCode = Name(cause),
        };
    }

    // Primary and extended result codes, e.g. 5/517 (SQLITE_BUSY_SNAPSHOT).
    private static string Name(SqliteException exception) => $"{exception.SqliteErrorCode}/{exception.SqliteExtendedErrorCode}";
}
