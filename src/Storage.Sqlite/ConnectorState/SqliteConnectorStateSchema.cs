using Concord.Storage.Sqlite.Infrastructure;

namespace Concord.Storage.Sqlite.ConnectorState;

/// <summary>
/// The <c>concord_connector_state</c> table: what a connector keeps about records it has read (Zendesk: the organization
/// each user was read in; Salesforce: the Account each Contact was read under), one row per (connector, key).
/// </summary>
internal sealed class SqliteConnectorStateSchema : ISqliteSchema
{
    public const string Table = "concord_connector_state";

    public string Component => "connector_state";

    public IReadOnlyList<SqliteMigration> Migrations { get; } =
    [
        new(1, $"create {Table}", $"""
            CREATE TABLE {Table} (
                connector  TEXT NOT NULL,
                key        TEXT NOT NULL,
                value      TEXT NOT NULL,
                updated_at TEXT NOT NULL,
                PRIMARY KEY (connector, key)
            ) WITHOUT ROWID;
            """),
    ];
}
