using Concord.Canonical.DependencyInjection;
using Concord.Storage.PostgreSql;
using Concord.Storage.PostgreSql.ConnectorState;
using Concord.Storage.PostgreSql.DependencyInjection.Internal;
using Concord.Storage.PostgreSql.Idempotency;
using Concord.Storage.PostgreSql.Infrastructure;
using Concord.Storage.PostgreSql.RateBudget;
using Concord.Storage.PostgreSql.Retention;
using Concord.Storage.PostgreSql.State;
using Concord.Sync.Retention;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Keeps Concord's state in a PostgreSQL database that several host instances share.</summary>
public static class PostgreSqlConcordBuilderExtensions
{
    /// <summary>
    /// Stores Concord's state in the PostgreSQL database <paramref name="connectionString"/> names, replacing the in-memory
    /// stores <c>AddSync</c> registers. The schema (<c>concord</c>) and its tables are created on first use.
    /// </summary>
    /// <param name="builder">The Concord builder.</param>
    /// <param name="connectionString">The Npgsql connection string.</param>
    /// <returns>The builder.</returns>
    public static IConcordBuilder UsePostgreSql(this IConcordBuilder builder, string connectionString)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        return builder.UsePostgreSql(options => options.ConnectionString = connectionString);
    }

    /// <summary>
    /// Stores Concord's state in the database of <paramref name="dataSource"/>, which the host owns (and disposes), replacing
    /// the in-memory stores <c>AddSync</c> registers.
    /// </summary>
    /// <param name="builder">The Concord builder.</param>
    /// <param name="dataSource">The Npgsql data source.</param>
    /// <param name="configure">Sets the other options (the schema name), or null.</param>
    /// <returns>The builder.</returns>
    public static IConcordBuilder UsePostgreSql(this IConcordBuilder builder, NpgsqlDataSource dataSource, Action<PostgreSqlStorageOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(dataSource);
        builder.Services.RemoveAll<PostgreSqlExternalDataSource>();
        builder.Services.AddSingleton(new PostgreSqlExternalDataSource(dataSource));
        return builder.UsePostgreSql(configure ?? (_ => { }));
    }

    /// <summary>
    /// Stores Concord's state in a PostgreSQL database configured by <paramref name="configure"/>, replacing the in-memory
    /// stores <c>AddSync</c> registers. The options are validated when the host starts.
    /// </summary>
    /// <param name="builder">The Concord builder.</param>
    /// <param name="configure">Sets <see cref="PostgreSqlStorageOptions.ConnectionString"/> and, if needed, the schema.</param>
    /// <returns>The builder.</returns>
    public static IConcordBuilder UsePostgreSql(this IConcordBuilder builder, Action<PostgreSqlStorageOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(configure);

        var services = builder.AddSync().Services;
        services.AddOptions<PostgreSqlStorageOptions>().Configure(configure).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<PostgreSqlStorageOptions>, PostgreSqlStorageOptionsValidator>());
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<PostgreSqlDataSourceProvider>();
        services.TryAddSingleton(sp => sp.GetRequiredService<PostgreSqlDataSourceProvider>().Database);

        // One line per store this package implements: its schema, and its store in place of the in-memory default.
        PostgreSqlIdempotencyServices.Add(services);
        PostgreSqlEngineStateServices.Add(services);
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IStatePurger, PostgreSqlStatePurger>()); // retention (StateRetentionOptions)
        PostgreSqlRateBudgetServices.Add(services); // the shared rate budget (Resilience:SharedRateBudget)
        PostgreSqlConnectorStateServices.Add(services); // what connectors keep about records they read (IConnectorStateStore)

        return builder;
    }
}
