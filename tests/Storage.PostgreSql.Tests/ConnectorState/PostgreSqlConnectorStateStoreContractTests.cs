using Concord.Canonical.Connectors;
using Concord.Storage.PostgreSql.ConnectorState;
using Concord.Storage.PostgreSql.Infrastructure;
using Concord.Storage.PostgreSql.Tests.TestSupport;
using Concord.StoreContracts.Tests;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Npgsql;

namespace Concord.Storage.PostgreSql.Tests.ConnectorState;

/// <summary>
/// The connector state store contract, kept by the store <c>UsePostgreSql</c> registers: every instance is the store of
/// another container (its own data source) on the test's schema, and a restart disposes every container before building a new one.
/// </summary>
public sealed class PostgreSqlConnectorStateStoreContractTests : ConnectorStateStoreContractTests
{
    private readonly string _schema = PostgreSqlServer.NewSchemaName();
    private readonly List<ServiceProvider> _containers = [];

    [Fact]
    public async Task UsePostgreSql_registers_the_store_in_place_of_the_in_memory_one_whatever_the_order()
    {
        var before = new ServiceCollection();
        before.TryAddSingleton<IConnectorStateStore, InMemoryConnectorStateStore>(); // what AddZendeskConnector and AddSalesforceConnector do
        before.AddConcord().UsePostgreSql("Host=127.0.0.1;Database=unused");
        var after = new ServiceCollection();
        after.AddConcord().UsePostgreSql("Host=127.0.0.1;Database=unused");
        after.TryAddSingleton<IConnectorStateStore, InMemoryConnectorStateStore>();

        await using var first = before.BuildServiceProvider();
        await using var second = after.BuildServiceProvider();

        Assert.IsType<PostgreSqlConnectorStateStore>(Assert.Single(first.GetServices<IConnectorStateStore>()));
        Assert.IsType<PostgreSqlConnectorStateStore>(Assert.Single(second.GetServices<IConnectorStateStore>()));
        Assert.Contains(first.GetServices<IPostgreSqlSchema>(), s => s.Component == "connector_state");
    }

    [Fact]
    public async Task The_entries_are_rows_of_concord_connector_state_in_the_configured_schema()
    {
        await Open().SaveAsync("zendesk", new Dictionary<string, string> { ["user-org:1"] = "10@2026-11-23T12:00:00Z" });

        await using var source = NpgsqlDataSource.Create(PostgreSqlServer.ConnectionString);
        await using var command = source.CreateCommand($"SELECT connector || '|' || key || '|' || value FROM {_schema}.concord_connector_state;");

        Assert.Equal("zendesk|user-org:1|10@2026-11-23T12:00:00Z", await command.ExecuteScalarAsync());
    }

    public override async ValueTask DisposeAsync()
    {
        await CloseAllAsync();
        await PostgreSqlServer.DropSchemaAsync(_schema);
        await base.DisposeAsync();
    }

    protected override IConnectorStateStore Open()
    {
        var services = new ServiceCollection();
        services.AddConcord().UsePostgreSql(o => { o.ConnectionString = PostgreSqlServer.ConnectionString; o.Schema = _schema; });
        var container = services.BuildServiceProvider();
        _containers.Add(container);
        return container.GetRequiredService<IConnectorStateStore>();
    }

    protected override async ValueTask<IConnectorStateStore> RestartAsync()
    {
        await CloseAllAsync();
        return Open();
    }

    private async Task CloseAllAsync()
    {
        foreach (var container in _containers)
        {
            await container.DisposeAsync();
        }

        _containers.Clear();
    }
}
