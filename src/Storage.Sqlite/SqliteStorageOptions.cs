using System.ComponentModel.DataAnnotations;

namespace Concord.Storage.Sqlite;

/// <summary>Where and how Concord keeps its state in one SQLite file. Validated when the host starts.</summary>
public sealed class SqliteStorageOptions
{
    /// <summary>The path of the database file; created with its folder, schema and tables on first use.</summary>
    /// <value>Required. Relative paths are resolved against the current directory when the store first opens the file.</value>
    [Required]
    public string DatabasePath { get; set; } = string.Empty;

    /// <summary>How long a write waits for another process (or connection) that holds the database's write lock before it is retried.</summary>
    /// <value>The default value is 5 seconds. Between 0 and 10 minutes.</value>
    public TimeSpan BusyTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>How many times a write transaction is tried when the database stays locked beyond <see cref="BusyTimeout"/>.</summary>
    /// <value>The default value is 5. Between 1 and 100.</value>
    [Range(1, 100)]
    public int MaxWriteAttempts { get; set; } = 5;

    /// <summary>How hard SQLite works to keep a commit across a power loss.</summary>
    /// <value>The default value is <see cref="SqliteSynchronousMode.Normal"/>.</value>
    public SqliteSynchronousMode Synchronous { get; set; } = SqliteSynchronousMode.Normal;
}
