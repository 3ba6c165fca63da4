using Concord.Storage.Sqlite.Infrastructure;

namespace Concord.Storage.Sqlite.Writes;

/// <summary>
/// The write ledger's tables. <c>concord_write_ledger</c>: one row per (canonical id, target) with its lease, the last
/// version written from each source, the record Concord last wrote, and the pending intent (metadata, payload, the
/// target's record before the write, and the vendor's answer once known). <c>concord_write_locks</c>: one row per
/// (target, match key) locked by a lease. A file created before the ledger existed gets both tables at its next open.
/// </summary>
internal sealed class SqliteWriteLedgerSchema : ISqliteSchema
{
    public const string Table = "concord_write_ledger";
    public const string Locks = "concord_write_locks";

    public string Component => "writes";

    public IReadOnlyList<SqliteMigration> Migrations { get; } =
    [
        new(1, $"create {Table} and {Locks}", $"""
            CREATE TABLE {Table} (
                canonical_id        TEXT NOT NULL,
                target              TEXT NOT NULL,
                lease_token         TEXT,
                lease_expires_at    TEXT,
                locked_keys         TEXT,
                versions            TEXT NOT NULL,
                written_payload     TEXT,
                pending             TEXT,
                pending_payload     TEXT,
                pending_before      TEXT,
                pending_external_id TEXT,
                pending_result      TEXT,
                updated_at          TEXT NOT NULL,
                PRIMARY KEY (canonical_id, target),
                CHECK ((lease_token IS NULL) = (lease_expires_at IS NULL)),
                CHECK (pending IS NULL OR pending_payload IS NOT NULL)
            );
            CREATE TABLE {Locks} (
                target       TEXT NOT NULL,
                match_key    TEXT NOT NULL,
                canonical_id TEXT NOT NULL,
                lease_token  TEXT NOT NULL,
                expires_at   TEXT NOT NULL,
                PRIMARY KEY (target, match_key)
            ) WITHOUT ROWID;
            CREATE INDEX ix_{Locks}_token ON {Locks} (lease_token);
            """),
    ];
}
