using Concord.Storage.PostgreSql.Infrastructure;

namespace Concord.Storage.PostgreSql.Idempotency;

/// <summary>The <c>concord_idempotency</c> table: one row per key, the state of its latest claim.</summary>
internal sealed class PostgreSqlIdempotencySchema : IPostgreSqlSchema
{
    public const string Table = "{schema}.concord_idempotency";

    public string Component => "idempotency";

    public IReadOnlyList<PostgreSqlMigration> Migrations { get; } =
    [
        new(1, "create concord_idempotency", $"""
            CREATE TABLE {Table} (
                key              text        NOT NULL PRIMARY KEY,
                fingerprint      text        NOT NULL,
                state            text        NOT NULL CHECK (state IN ('started', 'completed', 'failed')),
                claim_token      uuid        NOT NULL,
                lease_expires_at timestamptz NOT NULL,
                attempts         integer     NOT NULL CHECK (attempts > 0),
                external_id      text,
                outcome          text,
                result_payload   text,
                failure_reason   text,
                created_at       timestamptz NOT NULL,
                updated_at       timestamptz NOT NULL,
                CHECK (state <> 'completed' OR (external_id IS NOT NULL AND outcome IS NOT NULL))
            );
            CREATE INDEX ix_concord_idempotency_purge ON {Table} (updated_at) WHERE state <> 'started';
            """),
    ];
}
