using Concord.Storage.PostgreSql.Idempotency;
using Concord.Storage.PostgreSql.Infrastructure;
using Concord.Storage.PostgreSql.State;
using Npgsql;

namespace Concord.Storage.PostgreSql.Tests.TestSupport;

/// <summary>
/// The PostgreSQL server the tests run against, named by the one environment variable <c>CONCORD_POSTGRES</c> (an Npgsql
/// connection string). Without it every test fails, with a message saying how to start a server: these tests are never skipped.
/// </summary>
internal static class PostgreSqlServer
{
    public const string Variable = "CONCORD_POSTGRES";

    public static string ConnectionString
    {
        get
        {
            var value = Environment.GetEnvironmentVariable(Variable);
            if (string.IsNullOrWhiteSpace(value))
            {
                throw new InvalidOperationException(
                    $"{Variable} is not set: the PostgreSQL store tests need a PostgreSQL server. Start one and create the test role with " +
                    $"`eval \"$(sudo bash .ci/postgres.sh)\"` (installs Debian's postgresql if missing, starts it on 127.0.0.1 and prints the export), " +
                    $"or set {Variable} to an Npgsql connection string of a database where the user may create schemas.");
            }

            // Small pools: many schemas are open at once while test classes run in parallel, and max_connections is 100 by default.
            return new NpgsqlConnectionStringBuilder(value) { MaxPoolSize = 8, Timeout = 30, CommandTimeout = 60 }.ConnectionString;
        }
    }

    /// <summary>A new schema name, unique to this run and test (<c>t_</c> and 24 hex characters).</summary>
    public static string NewSchemaName() => "t_" + Guid.NewGuid().ToString("N")[..24];

    public static async Task DropSchemaAsync(string schema)
    {
        await using var dataSource = NpgsqlDataSource.Create(ConnectionString);
        await using var command = dataSource.CreateCommand($"DROP SCHEMA IF EXISTS {schema} CASCADE;");
        await command.ExecuteNonQueryAsync();
    }

    /// <summary>Every schema the package registers.</summary>
    public static IPostgreSqlSchema[] AllSchemas() => [new PostgreSqlIdempotencySchema(), .. PostgreSqlEngineStateServices.Schemas()];
}

/// <summary>One test's own schema on the test server: opens <see cref="PostgreSqlDatabase"/> handles on it (each with its own data source, as another process would have) and drops it afterwards.</summary>
internal sealed class TestSchema : IDisposable
{
    private readonly List<(NpgsqlDataSource Source, PostgreSqlDatabase Database)> _opened = [];

    public string Name { get; } = PostgreSqlServer.NewSchemaName();

    public PostgreSqlDatabase Open(TimeProvider timeProvider, IEnumerable<IPostgreSqlSchema>? schemas = null)
    {
        var source = NpgsqlDataSource.Create(PostgreSqlServer.ConnectionString);
        var database = new PostgreSqlDatabase(source, Name, schemas ?? PostgreSqlServer.AllSchemas(), timeProvider);
        lock (_opened)
        {
            _opened.Add((source, database));
        }

        return database;
    }

    public void Dispose()
    {
        foreach (var (source, database) in _opened)
        {
            database.Dispose();
            source.Dispose();
        }

        PostgreSqlServer.DropSchemaAsync(Name).GetAwaiter().GetResult();
    }
}
