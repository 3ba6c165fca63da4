using Concord.Storage.Sqlite.Infrastructure;
using Concord.Sync.Idempotency;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Concord.Storage.Sqlite.Idempotency;

/// <summary>Registers the SQLite idempotency store in place of the in-memory one, and its schema.</summary>
internal static class SqliteIdempotencyServices
{
    public static void Add(IServiceCollection services)
    {
        services.TryAddEnumerable(ServiceDescriptor.Singleton<ISqliteSchema, SqliteIdempotencySchema>());
        services.RemoveAll<IIdempotencyStore>();
        services.AddSingleton<IIdempotencyStore, SqliteIdempotencyStore>();
    }
}
