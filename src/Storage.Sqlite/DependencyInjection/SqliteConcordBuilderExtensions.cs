using Concord.Canonical.DependencyInjection;
using Concord.Storage.Sqlite;
using Concord.Storage.Sqlite.ConnectorState;
using Concord.Storage.Sqlite.DependencyInjection.Internal;
using Concord.Storage.Sqlite.Idempotency;
using Concord.Storage.Sqlite.Infrastructure;
using Concord.Storage.Sqlite.Retention;
using Concord.Storage.Sqlite.State;
using Concord.Sync.Retention;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Keeps Concord's state in one SQLite file instead of process memory.</summary>
public static class SqliteConcordBuilderExtensions
{
    /// <summary>
    /// Stores Concord's state in the SQLite file at <paramref name="path"/>, replacing the in-memory stores
    /// <c>AddSync</c> registers. The file, its folder and its tables are created on first use.
    /// </summary>
    /// <param name="builder">The Concord builder.</param>
    /// <param name="path">The database file's path.</param>
    /// <returns>The builder.</returns>
    public static IConcordBuilder UseSqlite(this IConcordBuilder builder, string path)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        return builder.UseSqlite(options => options.DatabasePath = path);
    }

    /// <summary>
    /// Stores Concord's state in a SQLite file configured by <paramref name="configure"/>, replacing the in-memory stores
    /// <c>AddSync</c> registers. The options are validated when the host starts.
    /// </summary>
    /// <param name="builder">The Concord builder.</param>
    /// <param name="configure">Sets <see cref="SqliteStorageOptions.DatabasePath"/> and, if needed, the other options.</param>
    /// <returns>The builder.</returns>
    public static IConcordBuilder UseSqlite(this IConcordBuilder builder, Action<SqliteStorageOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(configure);

        var services = builder.AddSync().Services;
        services.AddOptions<SqliteStorageOptions>().Configure(configure).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<SqliteStorageOptions>, SqliteStorageOptionsValidator>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<SqliteStorageOptions>, SqliteStorageOptionsCustomValidator>());
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<SqliteDatabase>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, SqliteHeartbeatService>()); // an idle host keeps its claim on the file

        // One line per store this package implements: its schema, and its store in place of the in-memory default.
        SqliteIdempotencyServices.Add(services);
        SqliteEngineStateServices.Add(services);
        SqliteConnectorStateServices.Add(services); // what connectors keep about records they read (IConnectorStateStore)
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IStatePurger, SqliteStatePurger>()); // retention (StateRetentionOptions)

        return builder;
    }
}
