using Concord.Storage.Sqlite.Infrastructure;

namespace Concord.Storage.Sqlite.Inbox;

/// <summary>
/// The <c>concord_webhook_inbox</c> table: verified webhook events in the order received (<c>sequence</c>), unique on
/// (<c>sender</c>, <c>key</c>) so a sender's retries add nothing, <c>completed_at</c> set once a flow handled the event
/// (the row stays until retention purges it, so later retries are still recognised). One partial index covers the pending
/// rows, the other (v2) the purge of completed ones.
/// </summary>
internal sealed class SqliteWebhookInboxSchema : ISqliteSchema
{
    public const string Table = "concord_webhook_inbox";

    public string Component => "webhook-inbox";

    public IReadOnlyList<SqliteMigration> Migrations { get; } =
    [
        new(1, $"create {Table}", $"""
            CREATE TABLE {Table} (
                sequence      INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
                sender        TEXT    NOT NULL,
                key           TEXT    NOT NULL,
                event_type    TEXT,
                object_type   TEXT,
                object_id     TEXT,
                occurred_at   TEXT,
                change_source TEXT,
                received_at   TEXT    NOT NULL,
                payload       TEXT    NOT NULL,
                completed_at  TEXT,
                UNIQUE (sender, key)
            );
            CREATE INDEX ix_{Table}_pending ON {Table} (sender, sequence) WHERE completed_at IS NULL;
            """),
        new(2, $"index completed {Table} rows for retention", $"""
            CREATE INDEX ix_{Table}_completed ON {Table} (completed_at) WHERE completed_at IS NOT NULL;
            """),
    ];
}
