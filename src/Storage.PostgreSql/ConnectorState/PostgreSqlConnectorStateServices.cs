using Concord.Canonical.Connectors;
using Concord.Storage.PostgreSql.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Concord.Storage.PostgreSql.ConnectorState;

/// <summary>
/// Registers the PostgreSQL connector state store and its schema in place of the in-memory one. Connectors add the in-memory
/// store with <c>TryAdd</c> when they are registered, so this replaces it when they came first and keeps them from adding it
/// when they come after.
/// </summary>
internal static class PostgreSqlConnectorStateServices
{
    public static void Add(IServiceCollection services)
    {
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IPostgreSqlSchema, PostgreSqlConnectorStateSchema>());
        services.RemoveAll<IConnectorStateStore>();
        services.AddSingleton<IConnectorStateStore, PostgreSqlConnectorStateStore>();
    }
}
