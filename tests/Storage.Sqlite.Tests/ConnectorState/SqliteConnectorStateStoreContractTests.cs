using Concord.Canonical.Connectors;
using Concord.Storage.Sqlite.ConnectorState;
using Concord.Storage.Sqlite.Infrastructure;
using Concord.Storage.Sqlite.Tests.TestSupport;
using Concord.StoreContracts.Tests;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Concord.Storage.Sqlite.Tests.ConnectorState;

/// <summary>
/// The connector state store contract, kept by the store <c>UseSqlite</c> registers: every instance is the store of another
/// container on the same file, and a restart disposes every container before building a new one.
/// </summary>
public sealed class SqliteConnectorStateStoreContractTests : ConnectorStateStoreContractTests
{
    private readonly TempDatabaseFolder _folder = new();
    private readonly List<ServiceProvider> _containers = [];

    [Fact]
    public async Task UseSqlite_registers_the_store_in_place_of_the_in_memory_one_whatever_the_order()
    {
        var before = new ServiceCollection();
        before.TryAddSingleton<IConnectorStateStore, InMemoryConnectorStateStore>(); // what AddZendeskConnector and AddSalesforceConnector do
        before.AddConcord().UseSqlite(_folder.DatabasePath);
        var after = new ServiceCollection();
        after.AddConcord().UseSqlite(_folder.DatabasePath);
        after.TryAddSingleton<IConnectorStateStore, InMemoryConnectorStateStore>();

        await using var first = before.BuildServiceProvider();
        await using var second = after.BuildServiceProvider();

        Assert.IsType<SqliteConnectorStateStore>(Assert.Single(first.GetServices<IConnectorStateStore>()));
        Assert.IsType<SqliteConnectorStateStore>(Assert.Single(second.GetServices<IConnectorStateStore>()));
        Assert.Contains(first.GetServices<ISqliteSchema>(), s => s.Component == "connector_state");
    }

    [Fact]
    public async Task The_entries_are_rows_of_concord_connector_state()
    {
        await Open().SaveAsync("zendesk", new Dictionary<string, string> { ["user-org:1"] = "10@2026-11-23T12:00:00Z" });

        using var raw = new RawSqlite(_folder.DatabasePath);

        Assert.Equal(["zendesk|user-org:1|10@2026-11-23T12:00:00Z"], raw.Rows("SELECT connector, key, value FROM concord_connector_state;"));
    }

    public override async ValueTask DisposeAsync()
    {
        await CloseAllAsync();
        _folder.Dispose();
        await base.DisposeAsync();
    }

    protected override IConnectorStateStore Open()
    {
        var services = new ServiceCollection();
        services.AddConcord().UseSqlite(_folder.DatabasePath);
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
