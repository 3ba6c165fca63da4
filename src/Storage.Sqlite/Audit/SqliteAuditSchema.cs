using Concord.Storage.Sqlite.Infrastructure;

namespace Concord.Storage.Sqlite.Audit;

/// <summary>The <c>concord_audit</c> table: append-only, in append order (<c>seq</c>); the changed and refused fields are JSON arrays.</summary>
internal sealed class SqliteAuditSchema : ISqliteSchema
{
    public const string Table = "concord_audit";

    public string Component => "audit";

    public IReadOnlyList<SqliteMigration> Migrations { get; } =
    [
        new(1, $"create {Table}", $"""
            CREATE TABLE {Table} (
                seq                INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
                id                 TEXT    NOT NULL UNIQUE,
                at                 TEXT    NOT NULL,
                flow               TEXT    NOT NULL,
                source_system      TEXT    NOT NULL,
                source_external_id TEXT,
                target_system      TEXT,
                target_external_id TEXT,
                canonical_id       TEXT,
                actor              TEXT    NOT NULL,
                correlation_id     TEXT    NOT NULL,
                outcome            TEXT    NOT NULL,
                fields_changed     TEXT,
                fields_refused     TEXT,
                detail             TEXT
            );
            CREATE INDEX ix_{Table}_canonical ON {Table} (canonical_id, seq);
            CREATE INDEX ix_{Table}_correlation ON {Table} (correlation_id, seq);
            """),
    ];
}
