using Concord.Storage.PostgreSql.Infrastructure;

namespace Concord.Storage.PostgreSql.Inbox;

/// <summary>
/// The <c>concord_webhook_inbox</c> table: verified webhook events in the order received (<c>sequence</c>), unique on
/// (<c>sender</c>, <c>key</c>) so a sender's retries add nothing, <c>completed_at</c> set once a flow handled the event
/// (the row stays until retention purges it, so later retries are still recognised). The partial index covers only
/// pending rows; the second one serves the purge of completed rows.
/// </summary>
internal sealed class PostgreSqlWebhookInboxSchema : IPostgreSqlSchema
{
    public const string Table = "{schema}.concord_webhook_inbox";

    public string Component => "webhook-inbox";

    public IReadOnlyList<PostgreSqlMigration> Migrations { get; } =
    [
        new(1, "create concord_webhook_inbox", $"""
            CREATE TABLE {Table} (
                sequence      bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
                sender        text        NOT NULL,
                key           text        NOT NULL,
                event_type    text,
                object_type   text,
                object_id     text,
                occurred_at   timestamptz,
                change_source text,
                received_at   timestamptz NOT NULL,
                payload       text        NOT NULL,
                completed_at  timestamptz,
                UNIQUE (sender, key)
            );
            CREATE INDEX ix_concord_webhook_inbox_pending ON {Table} (sender, sequence) WHERE completed_at IS NULL;
            CREATE INDEX ix_concord_webhook_inbox_completed ON {Table} (completed_at) WHERE completed_at IS NOT NULL;
            """),
    ];
}
