using Concord.Storage.PostgreSql.Infrastructure;

namespace Concord.Storage.PostgreSql.Outbox;

/// <summary>
/// The <c>concord_outbox</c> table: events in enqueue order (<c>sequence</c>), unique by event id, claimed with a lease and
/// kept with <c>delivered_at</c> once delivered. The partial indexes cover only undelivered rows.
/// </summary>
internal sealed class PostgreSqlOutboxSchema : IPostgreSqlSchema
{
    public const string Table = "{schema}.concord_outbox";

    public string Component => "outbox";

    public IReadOnlyList<PostgreSqlMigration> Migrations { get; } =
    [
        new(1, "create concord_outbox", $"""
            CREATE TABLE {Table} (
                sequence         bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
                id               text        NOT NULL UNIQUE,
                partition_key    text        NOT NULL,
                type             text        NOT NULL,
                source           text        NOT NULL,
                subject          text,
                time             timestamptz NOT NULL,
                correlation_id   text        NOT NULL,
                trace_parent     text,
                data             text        NOT NULL,
                attempts         integer     NOT NULL DEFAULT 0,
                lease_token      uuid,
                lease_expires_at timestamptz,
                enqueued_at      timestamptz NOT NULL,
                delivered_at     timestamptz
            );
            CREATE INDEX ix_concord_outbox_pending ON {Table} (sequence) WHERE delivered_at IS NULL;
            CREATE INDEX ix_concord_outbox_pending_partition ON {Table} (partition_key, sequence) WHERE delivered_at IS NULL;
            CREATE INDEX ix_concord_outbox_delivered ON {Table} (delivered_at) WHERE delivered_at IS NOT NULL;
            """),
    ];
}
