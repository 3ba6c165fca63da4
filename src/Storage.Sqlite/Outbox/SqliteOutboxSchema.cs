using Concord.Storage.Sqlite.Infrastructure;

namespace Concord.Storage.Sqlite.Outbox;

/// <summary>
/// The <c>concord_outbox</c> table: events in enqueue order (<c>sequence</c>), unique by event id, claimed with a lease
/// (<c>lease_token</c>, <c>lease_expires_at</c>) and kept with <c>delivered_at</c> once delivered. The partial indexes cover
/// only undelivered rows, so claims stay fast however many delivered events the table keeps. <c>trace_parent</c> (version 2)
/// holds the W3C trace context of the run that produced the event.
/// </summary>
internal sealed class SqliteOutboxSchema : ISqliteSchema
{
    public const string Table = "concord_outbox";

    public string Component => "outbox";

    public IReadOnlyList<SqliteMigration> Migrations { get; } =
    [
        new(1, $"create {Table}", $"""
            CREATE TABLE {Table} (
                sequence         INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
                id               TEXT    NOT NULL UNIQUE,
                partition_key    TEXT    NOT NULL,
                type             TEXT    NOT NULL,
                source           TEXT    NOT NULL,
                subject          TEXT,
                time             TEXT    NOT NULL,
                correlation_id   TEXT    NOT NULL,
                data             TEXT    NOT NULL,
                attempts         INTEGER NOT NULL DEFAULT 0,
                lease_token      TEXT,
                lease_expires_at TEXT,
                enqueued_at      TEXT    NOT NULL,
                delivered_at     TEXT
            );
            CREATE INDEX ix_{Table}_pending ON {Table} (sequence) WHERE delivered_at IS NULL;
            CREATE INDEX ix_{Table}_pending_partition ON {Table} (partition_key, sequence) WHERE delivered_at IS NULL;
            """),
        new(2, $"add {Table}.trace_parent", $"ALTER TABLE {Table} ADD COLUMN trace_parent TEXT;"),
    ];
}
