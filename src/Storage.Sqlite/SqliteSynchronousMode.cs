namespace Concord.Storage.Sqlite;

/// <summary>How hard SQLite works to keep a committed transaction across a power loss (<c>PRAGMA synchronous</c>).</summary>
public enum SqliteSynchronousMode
{
    /// <summary>
    /// Every commit is flushed to disk before it returns (<c>FULL</c>): a commit survives a power loss or an operating
    /// system crash. The default, because an idempotency record lost after it was reported completed lets the same
    /// vendor write run again.
    /// </summary>
    Full,

    /// <summary>
    /// The write-ahead log is flushed at checkpoints only (<c>NORMAL</c>): a commit survives a crash of the process but
    /// the last commits may roll back after a power loss (the database stays consistent). Faster for write-heavy hosts
    /// that can afford to repeat a few writes after a power loss.
    /// </summary>
    Normal,
}
