using Concord.Storage.PostgreSql.Infrastructure;

namespace Concord.Storage.PostgreSql.DeadLetters;

/// <summary>The <c>concord_dead_letters</c> table: one row per (flow, source record), replaced by a later failure of the same record;
/// v2: the instance that claimed an open entry to retry or replay it, and until when.</summary>
internal sealed class PostgreSqlDeadLetterSchema : IPostgreSqlSchema
{
    public const string Table = "{schema}.concord_dead_letters";

    public string Component => "dead_letters";

    public IReadOnlyList<PostgreSqlMigration> Migrations { get; } =
    [
        new(1, "create concord_dead_letters", $"""
            CREATE TABLE {Table} (
                id                 text COLLATE "C" NOT NULL PRIMARY KEY,
                flow               text        NOT NULL,
                source_system      text        NOT NULL,
                source_external_id text        NOT NULL,
                canonical_id       text,
                target_system      text,
                category           text        NOT NULL,
                reason             text        NOT NULL,
                payload            text        NOT NULL,
                correlation_id     text        NOT NULL,
                status             text        NOT NULL CHECK (status IN ('deferred', 'dead_lettered', 'resolved', 'discarded')),
                attempts           integer     NOT NULL CHECK (attempts >= 0),
                first_failed_at    timestamptz NOT NULL,
                last_failed_at     timestamptz NOT NULL,
                resolved_at        timestamptz
            );
            CREATE INDEX ix_concord_dead_letters_listing ON {Table} (first_failed_at, id);
            CREATE INDEX ix_concord_dead_letters_flow_status ON {Table} (flow, status, first_failed_at, id);
            """),
        new(2, "claims on concord_dead_letters", $"""
            ALTER TABLE {Table} ADD COLUMN claimed_by text, ADD COLUMN claimed_until timestamptz;
            """),
    ];
}
