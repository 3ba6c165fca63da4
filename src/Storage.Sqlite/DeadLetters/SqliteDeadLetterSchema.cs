using Concord.Storage.Sqlite.Infrastructure;

namespace Concord.Storage.Sqlite.DeadLetters;

/// <summary>The <c>concord_dead_letters</c> table: one row per (flow, source record), replaced by a later failure of the same record;
/// v2: the instance that claimed an open entry to retry or replay it, and until when.</summary>
internal sealed class SqliteDeadLetterSchema : ISqliteSchema
{
    public const string Table = "concord_dead_letters";

    public string Component => "dead_letters";

    public IReadOnlyList<SqliteMigration> Migrations { get; } =
    [
        new(1, $"create {Table}", $"""
            CREATE TABLE {Table} (
                id                 TEXT    NOT NULL PRIMARY KEY,
                flow               TEXT    NOT NULL,
                source_system      TEXT    NOT NULL,
                source_external_id TEXT    NOT NULL,
                canonical_id       TEXT,
                target_system      TEXT,
                category           TEXT    NOT NULL,
                reason             TEXT    NOT NULL,
                payload            TEXT    NOT NULL,
                correlation_id     TEXT    NOT NULL,
                status             TEXT    NOT NULL CHECK (status IN ('deferred', 'dead_lettered', 'resolved', 'discarded')),
                attempts           INTEGER NOT NULL CHECK (attempts >= 0),
                first_failed_at    TEXT    NOT NULL,
                last_failed_at     TEXT    NOT NULL,
                resolved_at        TEXT
            ) WITHOUT ROWID;
            CREATE INDEX ix_{Table}_listing ON {Table} (first_failed_at, id);
            CREATE INDEX ix_{Table}_flow_status ON {Table} (flow, status, first_failed_at, id);
            """),
        new(2, $"claims on {Table}", $"""
            ALTER TABLE {Table} ADD COLUMN claimed_by TEXT;
            ALTER TABLE {Table} ADD COLUMN claimed_until TEXT;
            """),
    ];
}
