using Concord.Canonical.Resilience;
using Concord.Storage.PostgreSql.Infrastructure;
using Concord.Storage.PostgreSql.RateBudget;
using Concord.Storage.PostgreSql.Tests.TestSupport;
using Concord.StoreContracts.Tests;
using Microsoft.Extensions.DependencyInjection;

namespace Concord.Storage.PostgreSql.Tests.RateBudget;

/// <summary>
/// The rate budget store contract, kept by the PostgreSQL store; <see cref="OpenAgain"/> opens another data source and
/// database handle on the same schema, as another host instance would.
/// </summary>
public sealed class PostgreSqlRateBudgetStoreTests : RateBudgetStoreContractTests, IDisposable
{
    private readonly List<TestSchema> _schemas = [];
    private readonly Dictionary<IRateBudgetStore, TestSchema> _owners = [];

    public void Dispose() => _schemas.ForEach(s => s.Dispose());

    [Fact]
    public async Task UsePostgreSql_puts_the_shared_store_behind_every_connector_pipeline_whatever_the_order()
    {
        var before = new ServiceCollection();
        before.AddHttpClient("Concord.hubspot").AddConcordResilience("hubspot", _ => new ConnectorResilienceOptions { SharedRateBudget = true });
        before.AddConcord().UsePostgreSql("Host=127.0.0.1;Database=unused");
        var after = new ServiceCollection();
        after.AddConcord().UsePostgreSql("Host=127.0.0.1;Database=unused");
        after.AddHttpClient("Concord.hubspot").AddConcordResilience("hubspot", _ => new ConnectorResilienceOptions { SharedRateBudget = true });

        await using var first = before.BuildServiceProvider();
        await using var second = after.BuildServiceProvider();

        Assert.IsType<PostgreSqlRateBudgetStore>(first.GetRequiredService<IRateBudgetStore>());
        Assert.IsType<PostgreSqlRateBudgetStore>(second.GetRequiredService<IRateBudgetStore>());
        Assert.Contains(first.GetServices<IPostgreSqlSchema>(), s => s.Component == "rate_budget");
    }

    protected override IRateBudgetStore CreateStore()
    {
        var schema = new TestSchema();
        _schemas.Add(schema);
        var store = new PostgreSqlRateBudgetStore(schema.Open(TimeProvider.System, [new PostgreSqlRateBudgetSchema()]));
        _owners[store] = schema;
        return store;
    }

    protected override IRateBudgetStore OpenAgain(IRateBudgetStore store) =>
        new PostgreSqlRateBudgetStore(_owners[store].Open(TimeProvider.System, [new PostgreSqlRateBudgetSchema()]));
}
