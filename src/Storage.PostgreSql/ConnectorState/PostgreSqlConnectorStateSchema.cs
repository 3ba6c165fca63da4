using Concord.Storage.PostgreSql.Infrastructure;

namespace Concord.Storage.PostgreSql.ConnectorState;

/// <summary>
/// The <c>concord_connector_state</c> table: what a connector keeps about records it has read (Zendesk: the organization
/// each user was read in; Salesforce: the Account each Contact was read under), one row per (connector, key).
/// </summary>
internal sealed class PostgreSqlConnectorStateSchema : IPostgreSqlSchema
{
    public const string Table = "{schema}.concord_connector_state";

    public string Component => "connector_state";

    public IReadOnlyList<PostgreSqlMigration> Migrations { get; } =
    [
        new(1, "create concord_connector_state", $"""
            CREATE TABLE {Table} (
                connector  text        NOT NULL,
                key        text        NOT NULL,
                value      text        NOT NULL,
                updated_at timestamptz NOT NULL,
                PRIMARY KEY (connector, key)
            );
            """),
    ];
}
