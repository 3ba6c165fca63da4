using Concord.Storage.PostgreSql.Infrastructure;

namespace Concord.Storage.PostgreSql.Cursors;

/// <summary>The <c>concord_cursors</c> table: one checkpoint per (flow, source).</summary>
internal sealed class PostgreSqlCursorSchema : IPostgreSqlSchema
{
    public const string Table = "{schema}.concord_cursors";

    public string Component => "cursors";

    public IReadOnlyList<PostgreSqlMigration> Migrations { get; } =
    [
        new(1, "create concord_cursors", $"""
            CREATE TABLE {Table} (
                flow            text        NOT NULL,
                source          text        NOT NULL,
                cursor          text        NOT NULL,
                checkpointed_at timestamptz NOT NULL,
                last_change_at  timestamptz,
                PRIMARY KEY (flow, source)
            );
            """),
    ];
}
