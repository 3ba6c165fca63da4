using Concord.Storage.PostgreSql.Infrastructure;
using Concord.Sync.Idempotency;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Concord.Storage.PostgreSql.Idempotency;

/// <summary>Registers the PostgreSQL idempotency store in place of the in-memory one, and its schema.</summary>
internal static class PostgreSqlIdempotencyServices
{
    public static void Add(IServiceCollection services)
    {
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IPostgreSqlSchema, PostgreSqlIdempotencySchema>());
        services.RemoveAll<IIdempotencyStore>();
        services.AddSingleton<IIdempotencyStore, PostgreSqlIdempotencyStore>();
    }
}
