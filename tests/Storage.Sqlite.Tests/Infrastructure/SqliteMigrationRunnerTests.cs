using Concord.Canonical.Errors;
using Concord.Storage.Sqlite.Infrastructure;
using Concord.Storage.Sqlite.Tests.TestSupport;

namespace Concord.Storage.Sqlite.Tests.Infrastructure;

public sealed class SqliteMigrationRunnerTests : IDisposable
{
    private const string AddNoteAuthor = "ALTER TABLE test_notes ADD COLUMN author TEXT;";

    private readonly TempDatabaseFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public async Task First_use_creates_the_file_in_WAL_mode_and_records_each_migration()
    {
        var path = Path.Combine(_folder.Folder, "nested", "folder", "concord.db");
        var database = _folder.Open(TimeProvider.System, o => o.DatabasePath = path);

        await database.ReadAsync("test.read", (_, _) => Task.FromResult(0));

        using var raw = new RawSqlite(path);
        Assert.Equal("wal", raw.Scalar("PRAGMA journal_mode;"));
        Assert.Equal(["idempotency|1|create concord_idempotency"], raw.Rows("SELECT component, version, name FROM concord_schema_migrations WHERE component <> 'hosts';"));
        Assert.Equal(0L, raw.Scalar("SELECT count(*) FROM concord_idempotency;"));
    }

    [Fact]
    public async Task A_new_migration_version_is_applied_once_when_the_file_is_next_opened()
    {
        await Migrate(TestSchema.Notes());

        await Migrate(new TestSchema(new(1, "create test_notes", TestSchema.CreateNotes), new(2, "add author", AddNoteAuthor)));
        await Migrate(new TestSchema(new(1, "create test_notes", TestSchema.CreateNotes), new(2, "add author", AddNoteAuthor)));

        using var raw = new RawSqlite(_folder.DatabasePath);
        Assert.Equal(["test|1", "test|2"], raw.Rows("SELECT component, version FROM concord_schema_migrations WHERE component <> 'hosts' ORDER BY version;"));
        raw.Execute("INSERT INTO test_notes (id, text, author) VALUES (1, 'hello', 'ada');");
    }

    [Fact]
    public async Task Components_number_their_migrations_independently()
    {
        await Migrate(TestSchema.Notes(), new TestSchema(new SqliteMigration(1, "create other", "CREATE TABLE test_other (id INTEGER PRIMARY KEY);")) { Component = "other" });

        using var raw = new RawSqlite(_folder.DatabasePath);
        Assert.Equal(["other|1", "test|1"], raw.Rows("SELECT component, version FROM concord_schema_migrations WHERE component <> 'hosts' ORDER BY component;"));
    }

    [Fact]
    public async Task A_released_migration_whose_SQL_changed_is_refused_as_configuration()
    {
        await Migrate(TestSchema.Notes());

        var error = await Assert.ThrowsAsync<ConcordException>(() =>
            Migrate(new TestSchema(new SqliteMigration(1, "create test_notes", "CREATE TABLE test_notes (id INTEGER PRIMARY KEY);"))));

        Assert.Equal(ErrorCategory.Configuration, error.Category);
        Assert.Contains("test v1", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_database_written_by_a_newer_version_is_refused_as_configuration()
    {
        await Migrate(new TestSchema(new(1, "create test_notes", TestSchema.CreateNotes), new(2, "add author", AddNoteAuthor)));

        var error = await Assert.ThrowsAsync<ConcordException>(() => Migrate(TestSchema.Notes()));

        Assert.Equal(ErrorCategory.Configuration, error.Category);
        Assert.Contains("version 2", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_failing_migration_leaves_nothing_applied()
    {
        var broken = new TestSchema(new(1, "create test_notes", TestSchema.CreateNotes), new(2, "broken", "ALTER TABLE no_such_table ADD COLUMN x TEXT;"));

        await Assert.ThrowsAsync<ConcordException>(() => Migrate(broken));

        using var raw = new RawSqlite(_folder.DatabasePath);
        Assert.Equal(0L, raw.Scalar("SELECT count(*) FROM sqlite_master WHERE name = 'test_notes';"));
    }

    [Fact]
    public void Malformed_schemas_are_refused_when_the_database_is_created()
    {
        Assert.Throws<InvalidOperationException>(() => _folder.Open(TimeProvider.System, schemas: [new TestSchema(new SqliteMigration(2, "starts at two", "SELECT 1;"))]));
        Assert.Throws<InvalidOperationException>(() => _folder.Open(TimeProvider.System, schemas: [TestSchema.Notes(), TestSchema.Notes()]));
        Assert.Throws<InvalidOperationException>(() => _folder.Open(TimeProvider.System, schemas: [new TestSchema() { Component = "Upper Case" }]));
    }

    [Fact]
    public async Task Four_databases_migrating_one_file_at_once_apply_each_migration_exactly_once()
    {
        // Separate SqliteDatabase instances share no in-process gate: they contend through SQLite's file locks, as processes do.
        var schema = new TestSchema(new(1, "create test_notes", TestSchema.CreateNotes), new(2, "add author", AddNoteAuthor));
        var databases = Enumerable.Range(0, 4).Select(_ => _folder.Open(TimeProvider.System, schemas: [schema])).ToList();
        var start = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        var opening = databases.Select(d => Task.Run(async () =>
        {
            await start.Task;
            await d.ReadAsync("test.read", (_, _) => Task.FromResult(0));
        })).ToArray();
        start.SetResult();
        await Task.WhenAll(opening).WaitAsync(TimeSpan.FromSeconds(60));

        using var raw = new RawSqlite(_folder.DatabasePath);
        Assert.Equal(["test|1", "test|2"], raw.Rows("SELECT component, version FROM concord_schema_migrations WHERE component <> 'hosts' ORDER BY version;"));
    }

    [Fact]
    public void Checksum_ignores_line_ending_style()
    {
        Assert.Equal(SqliteMigrationRunner.Checksum("CREATE TABLE a (x);\nCREATE TABLE b (y);\n"), SqliteMigrationRunner.Checksum("CREATE TABLE a (x);\r\nCREATE TABLE b (y);\r\n"));
        Assert.NotEqual(SqliteMigrationRunner.Checksum("CREATE TABLE a (x);"), SqliteMigrationRunner.Checksum("CREATE TABLE a (y);"));
    }

    private async Task Migrate(params ISqliteSchema[] schemas)
    {
        using var database = new SqliteDatabase(
            Microsoft.Extensions.Options.Options.Create(new SqliteStorageOptions { DatabasePath = _folder.DatabasePath }),
            schemas,
            TimeProvider.System);
        await database.ReadAsync("test.read", (_, _) => Task.FromResult(0));
    }
}
