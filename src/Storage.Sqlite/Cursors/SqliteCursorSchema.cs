using Concord.Storage.Sqlite.Infrastructure;

namespace Concord.Storage.Sqlite.Cursors;

/// <summary>The <c>concord_cursors</c> table: one checkpoint per (flow, source).</summary>
internal sealed class SqliteCursorSchema : ISqliteSchema
{
    public const string Table = "concord_cursors";

    public string Component => "cursors";

    public IReadOnlyList<SqliteMigration> Migrations { get; } =
    [
        new(1, $"create {Table}", $"""
            CREATE TABLE {Table} (
                flow            TEXT NOT NULL,
                source          TEXT NOT NULL,
                cursor          TEXT NOT NULL,
                checkpointed_at TEXT NOT NULL,
                last_change_at  TEXT,
                PRIMARY KEY (flow, source)
            ) WITHOUT ROWID;
            """),
    ];
}
