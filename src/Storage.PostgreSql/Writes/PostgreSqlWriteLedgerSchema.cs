using Concord.Storage.PostgreSql.Infrastructure;

namespace Concord.Storage.PostgreSql.Writes;

/// <summary>
/// The write ledger's tables. <c>concord_write_ledger</c>: one row per (canonical id, target) with its lease, the last
/// version written from each source, the record Concord last wrote, and the pending intent (metadata as JSON, payload, the
/// target's record before the write, and the vendor's answer once known). <c>concord_write_locks</c>: one row per
/// (target, match key) locked by a lease.
/// </summary>
internal sealed class PostgreSqlWriteLedgerSchema : IPostgreSqlSchema
{
    public const string Table = "{schema}.concord_write_ledger";
    public const string Locks = "{schema}.concord_write_locks";

    public string Component => "writes";

    public IReadOnlyList<PostgreSqlMigration> Migrations { get; } =
    [
        new(1, "create concord_write_ledger and concord_write_locks", $"""
            CREATE TABLE {Table} (
                canonical_id        text        NOT NULL,
                target              text        NOT NULL,
                lease_token         uuid,
                lease_expires_at    timestamptz,
                locked_keys         text[],
                versions            text        NOT NULL,
                written_payload     text,
                pending             text,
                pending_payload     text,
                pending_before      text,
                pending_external_id text,
                pending_result      text,
                updated_at          timestamptz NOT NULL,
                PRIMARY KEY (canonical_id, target),
                CHECK ((lease_token IS NULL) = (lease_expires_at IS NULL)),
                CHECK (pending IS NULL OR pending_payload IS NOT NULL)
            );
            CREATE INDEX ix_concord_write_ledger_pending ON {Table} (target, canonical_id) WHERE pending IS NOT NULL;
            CREATE TABLE {Locks} (
                target       text        NOT NULL,
                match_key    text        NOT NULL,
                canonical_id text        NOT NULL,
                lease_token  uuid        NOT NULL,
                expires_at   timestamptz NOT NULL,
                PRIMARY KEY (target, match_key)
            );
            CREATE INDEX ix_concord_write_locks_token ON {Locks} (lease_token);
            """),
    ];
}
