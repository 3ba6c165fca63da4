using Concord.Storage.PostgreSql.Infrastructure;

namespace Concord.Storage.PostgreSql.FeedLeases;

/// <summary>The <c>concord_feed_leases</c> table: one lease per change feed (flow, source), with its fencing token.</summary>
internal sealed class PostgreSqlFeedLeaseSchema : IPostgreSqlSchema
{
    public const string Table = "{schema}.concord_feed_leases";

    public string Component => "feed_leases";

    public IReadOnlyList<PostgreSqlMigration> Migrations { get; } =
    [
        new(1, "create concord_feed_leases", $"""
            CREATE TABLE {Table} (
                flow        text        NOT NULL,
                source      text        NOT NULL,
                holder      text        NOT NULL,
                token       bigint      NOT NULL,
                acquired_at timestamptz NOT NULL,
                expires_at  timestamptz NOT NULL,
                PRIMARY KEY (flow, source)
            );
            """),
    ];
}
