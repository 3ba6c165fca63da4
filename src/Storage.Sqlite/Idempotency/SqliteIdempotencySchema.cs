using Concord.Storage.Sqlite.Infrastructure;

namespace Concord.Storage.Sqlite.Idempotency;

/// <summary>The <c>concord_idempotency</c> table: one row per key, the state of its latest claim.</summary>
internal sealed class SqliteIdempotencySchema : ISqliteSchema
{
    public const string Table = "concord_idempotency";

    public string Component => "idempotency";

    public IReadOnlyList<SqliteMigration> Migrations { get; } =
    [
        new(1, $"create {Table}", $"""
            CREATE TABLE {Table} (
                key              TEXT    NOT NULL PRIMARY KEY,
                fingerprint      TEXT    NOT NULL,
                state            TEXT    NOT NULL CHECK (state IN ('started', 'completed', 'failed')),
                claim_token      TEXT    NOT NULL,
                lease_expires_at TEXT    NOT NULL,
                attempts         INTEGER NOT NULL CHECK (attempts > 0),
                external_id      TEXT,
                outcome          TEXT,
                result_payload   TEXT,
                failure_reason   TEXT,
                created_at       TEXT    NOT NULL,
                updated_at       TEXT    NOT NULL,
                CHECK (state <> 'completed' OR (external_id IS NOT NULL AND outcome IS NOT NULL))
            ) WITHOUT ROWID;
            """),
    ];
}
