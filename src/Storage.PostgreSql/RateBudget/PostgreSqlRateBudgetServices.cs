using Concord.Canonical.Resilience;
using Concord.Storage.PostgreSql.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Concord.Storage.PostgreSql.RateBudget;

/// <summary>Registers the shared rate budget's schema and its store in place of the in-memory one.</summary>
internal static class PostgreSqlRateBudgetServices
{
    public static void Add(IServiceCollection services)
    {
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IPostgreSqlSchema, PostgreSqlRateBudgetSchema>());
        services.RemoveAll<IRateBudgetStore>();
        services.AddSingleton<IRateBudgetStore, PostgreSqlRateBudgetStore>();
    }
}
