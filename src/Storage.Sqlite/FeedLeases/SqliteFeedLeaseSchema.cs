using Concord.Storage.Sqlite.Infrastructure;

namespace Concord.Storage.Sqlite.FeedLeases;

/// <summary>The <c>concord_feed_leases</c> table: one lease per change feed (flow, source), with its fencing token.</summary>
internal sealed class SqliteFeedLeaseSchema : ISqliteSchema
{
    public const string Table = "concord_feed_leases";

    public string Component => "feed_leases";

    public IReadOnlyList<SqliteMigration> Migrations { get; } =
    [
        new(1, $"create {Table}", $"""
            CREATE TABLE {Table} (
                flow        TEXT    NOT NULL,
                source      TEXT    NOT NULL,
                holder      TEXT    NOT NULL,
                token       INTEGER NOT NULL,
                acquired_at TEXT    NOT NULL,
                expires_at  TEXT    NOT NULL,
                PRIMARY KEY (flow, source)
            ) WITHOUT ROWID;
            """),
    ];
}
