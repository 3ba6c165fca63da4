using Concord.Canonical.Errors;
using Concord.Storage.PostgreSql.Infrastructure;
using Concord.Storage.PostgreSql.Tests.TestSupport;
using Concord.Sync.Cursors;
using Concord.Canonical.Connectors;
using Concord.Storage.PostgreSql.Cursors;
using Npgsql;

namespace Concord.Storage.PostgreSql.Tests.Infrastructure;

public sealed class PostgreSqlMigrationTests : IDisposable
{
    private readonly TestSchema _schema = new();

    public void Dispose() => _schema.Dispose();

    [Fact]
    public async Task Four_instances_starting_together_on_a_new_schema_migrate_it_once()
    {
        var instances = Enumerable.Range(0, 4).Select(_ => _schema.Open(TimeProvider.System)).ToList();

        await Task.WhenAll(instances.Select(database => Task.Run(() => database.InitializeAsync())));

        var expected = PostgreSqlServer.AllSchemas().Sum(s => s.Migrations.Count);
        Assert.Equal(expected, instances.Sum(d => d.AppliedMigrations));
        Assert.Single(instances, d => d.AppliedMigrations == expected);
        Assert.Equal(expected, await CountAsync($"SELECT count(*) FROM {_schema.Name}.concord_schema_migrations;"));
    }

    [Fact]
    public async Task The_schema_and_its_tables_are_created_on_first_use_in_the_configured_schema_only()
    {
        var database = _schema.Open(TimeProvider.System);
        var cursors = new PostgreSqlCursorStore(database);

        await cursors.SaveAsync(new CursorCheckpoint { Flow = "f", Source = "s", Cursor = new ChangeCursor("c-1"), CheckpointedAt = DateTimeOffset.UnixEpoch });

        Assert.Equal(1, await CountAsync($"SELECT count(*) FROM {_schema.Name}.concord_cursors;"));
        Assert.Equal(0, await CountAsync($"SELECT count(*) FROM information_schema.tables WHERE table_name = 'concord_cursors' AND table_schema = 'public';"));
    }

    [Fact]
    public async Task A_migration_whose_sql_changed_after_it_was_applied_is_refused_as_configuration()
    {
        await _schema.Open(TimeProvider.System, [new TestComponent("CREATE TABLE {schema}.concord_probe (id int);")]).InitializeAsync();

        var changed = _schema.Open(TimeProvider.System, [new TestComponent("CREATE TABLE {schema}.concord_probe (id bigint);")]);
        var error = await Assert.ThrowsAsync<ConcordException>(() => changed.InitializeAsync());

        Assert.Equal(ErrorCategory.Configuration, error.Category);
        Assert.Contains("probe v1", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_database_that_does_not_exist_fails_as_configuration_naming_the_operation()
    {
        var wrong = new NpgsqlConnectionStringBuilder(PostgreSqlServer.ConnectionString) { Database = "concord_missing_" + Guid.NewGuid().ToString("N")[..8], Timeout = 5 };
        await using var source = NpgsqlDataSource.Create(wrong.ConnectionString);
        using var database = new PostgreSqlDatabase(source, _schema.Name, PostgreSqlServer.AllSchemas(), TimeProvider.System);

        var error = await Assert.ThrowsAsync<ConcordException>(() => database.InitializeAsync());

        Assert.Equal(ErrorCategory.Configuration, error.Category);
        Assert.Equal("migrate", error.Operation);
    }

    private async Task<long> CountAsync(string sql)
    {
        await using var source = NpgsqlDataSource.Create(PostgreSqlServer.ConnectionString);
        await using var command = source.CreateCommand(sql);
        return (long)(await command.ExecuteScalarAsync())!;
    }

    private sealed class TestComponent(string sql) : IPostgreSqlSchema
    {
        public string Component => "probe";

        public IReadOnlyList<PostgreSqlMigration> Migrations { get; } = [new(1, "create concord_probe", sql)];
    }
}
