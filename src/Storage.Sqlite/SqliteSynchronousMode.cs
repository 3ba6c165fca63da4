namespace Concord.Storage.Sqlite;

/// <summary>How hard SQLite works to keep a committed transaction across a power loss (<c>PRAGMA synchronous</c>; the database always runs in WAL mode).</summary>
public enum SqliteSynchronousMode
{
    /// <summary>
    /// The write-ahead log is flushed to disk at checkpoints, not at every commit (<c>NORMAL</c>). A commit survives a
    /// crash of the process, and the database is never corrupted; after a power loss or an operating-system crash the
    /// last commits may be rolled back, all together and in order, so state falls back to an earlier consistent point
    /// and the changes after it are read and written again. The default: about sixty times cheaper per commit than
    /// <see cref="Full"/> on the team's machines, and safe with connectors that write by natural upsert.
    /// </summary>
    Normal,

    /// <summary>
    /// Every commit is flushed to disk before it returns (<c>FULL</c>): a commit survives a power loss. Choose it when a
    /// target has no natural upsert, so that a write repeated after a power loss would create a duplicate.
    /// </summary>
    Full,
}
