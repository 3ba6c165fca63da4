using Concord.Storage.PostgreSql.Infrastructure;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Concord.Storage.PostgreSql.DependencyInjection.Internal;

/// <summary>The data source the host passed to <c>UsePostgreSql(NpgsqlDataSource)</c>; the host owns and disposes it.</summary>
internal sealed class PostgreSqlExternalDataSource(NpgsqlDataSource dataSource)
{
    public NpgsqlDataSource DataSource { get; } = dataSource;
}

/// <summary>
/// Opens the one <see cref="PostgreSqlDatabase"/> of the container: on the host's data source, or on one built from
/// <see cref="PostgreSqlStorageOptions.ConnectionString"/> (owned, and disposed with the container).
/// </summary>
internal sealed class PostgreSqlDataSourceProvider : IAsyncDisposable
{
    private readonly NpgsqlDataSource? _owned;

    public PostgreSqlDataSourceProvider(IOptions<PostgreSqlStorageOptions> options, IEnumerable<IPostgreSqlSchema> schemas, TimeProvider timeProvider, ILogger<PostgreSqlDatabase>? logger = null, PostgreSqlExternalDataSource? external = null)
    {
        var value = options.Value;
        var source = external?.DataSource ?? (_owned = NpgsqlDataSource.Create(value.ConnectionString!));
        Database = new PostgreSqlDatabase(source, value.Schema, schemas, timeProvider, logger);
    }

    public PostgreSqlDatabase Database { get; }

    public ValueTask DisposeAsync()
    {
        Database.Dispose();
        return _owned?.DisposeAsync() ?? ValueTask.CompletedTask;
    }
}
