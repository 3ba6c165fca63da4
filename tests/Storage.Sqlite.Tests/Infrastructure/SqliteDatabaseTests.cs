using Concord.Canonical.Errors;
using Concord.Storage.Sqlite.Infrastructure;
using Concord.Storage.Sqlite.Tests.TestSupport;
using Concord.Tests.Shared;
using Microsoft.Extensions.Logging.Testing;

namespace Concord.Storage.Sqlite.Tests.Infrastructure;

public sealed class SqliteDatabaseTests : IDisposable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    private readonly TempDatabaseFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Theory]
    [InlineData(SqliteSynchronousMode.Full, 2L)]
    [InlineData(SqliteSynchronousMode.Normal, 1L)]
    public async Task Every_connection_gets_the_configured_busy_timeout_synchronous_mode_foreign_keys_cache_and_checkpoint_interval(SqliteSynchronousMode mode, long expected)
    {
        var database = _folder.Open(TimeProvider.System, o =>
        {
            o.BusyTimeout = TimeSpan.FromMilliseconds(2500);
            o.Synchronous = mode;
        });

        var pragmas = await database.ReadAsync("test.read", async (connection, ct) =>
        {
            await using var command = connection.CreateCommand();
            command.CommandText = "SELECT (SELECT * FROM pragma_busy_timeout), (SELECT * FROM pragma_synchronous), (SELECT * FROM pragma_foreign_keys), (SELECT * FROM pragma_cache_size);";
            await using var reader = await command.ExecuteReaderAsync(ct);
            await reader.ReadAsync(ct);
            await using var checkpoint = connection.CreateCommand();
            checkpoint.CommandText = "PRAGMA wal_autocheckpoint;";
            var checkpointPages = (long)(await checkpoint.ExecuteScalarAsync(ct))!;
            return (reader.GetInt64(0), reader.GetInt64(1), reader.GetInt64(2), reader.GetInt64(3), checkpointPages);
        });

        // A 16 MiB page cache (negative: KiB) and a checkpoint every 8,192 WAL pages, against SQLite's 2 MiB and 1,000.
        Assert.Equal((2500L, expected, 1L, -16384L, 8192L), pragmas);
    }

    [Fact]
    public async Task A_write_that_throws_is_rolled_back_and_its_exception_propagates_unchanged()
    {
        var database = _folder.Open(TimeProvider.System, schemas: [TestSchema.Notes()]);

        await Assert.ThrowsAsync<FormatException>(() => database.WriteAsync<int>("test.write", async (connection, transaction, ct) =>
        {
            await InsertNoteAsync(connection, transaction, ct);
            throw new FormatException("the caller's own failure");
        }));

        using var raw = new RawSqlite(_folder.DatabasePath);
        Assert.Equal(0L, raw.Scalar("SELECT count(*) FROM test_notes;"));
    }

    [Fact]
    public async Task A_write_blocked_by_another_connection_is_tried_again_after_a_backoff_and_succeeds()
    {
        var time = new TimerSignalingTimeProvider();
        var logger = new FakeLogger<SqliteDatabase>();
        var database = _folder.Open(time, o => { o.BusyTimeout = TimeSpan.Zero; o.MaxWriteAttempts = 3; }, [TestSchema.Notes()], logger);
        await database.ReadAsync("test.read", (_, _) => Task.FromResult(0));
        using var other = new RawSqlite(_folder.DatabasePath);
        other.Execute("BEGIN IMMEDIATE;");

        // The first attempt finds the lock taken, gives up after the busy timeout and waits for its backoff on the clock.
        var write = Task.Run(() => database.WriteAsync("test.write", InsertNoteAsync));
        await time.TimerCreated.WaitAsync(Timeout);
        other.Execute("COMMIT;");
        time.Advance(TimeSpan.FromSeconds(1));
        await write.WaitAsync(Timeout);

        using var raw = new RawSqlite(_folder.DatabasePath);
        Assert.Equal(1L, raw.Scalar("SELECT count(*) FROM test_notes;"));
        var busy = Assert.Single(logger.Collector.GetSnapshot(), r => r.Id.Id == 3);
        Assert.Contains("test.write", busy.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_write_still_locked_after_the_last_attempt_fails_as_transient_naming_the_operation()
    {
        var database = _folder.Open(TimeProvider.System, o => { o.BusyTimeout = TimeSpan.Zero; o.MaxWriteAttempts = 1; }, [TestSchema.Notes()]);
        await database.ReadAsync("test.read", (_, _) => Task.FromResult(0));
        using var other = new RawSqlite(_folder.DatabasePath);
        other.Execute("BEGIN IMMEDIATE;");

        var error = await Assert.ThrowsAsync<ConcordException>(() => Task.Run(() => database.WriteAsync("test.write", InsertNoteAsync)).WaitAsync(Timeout));

        Assert.Equal(ErrorCategory.Transient, error.Category);
        Assert.True(error.IsRetryable);
        Assert.Equal("test.write", error.Operation);
        Assert.Equal("sqlite", error.System);
        Assert.Contains("concord.db", error.Message, StringComparison.Ordinal);
        other.Execute("ROLLBACK;");
    }

    [Fact]
    public async Task A_path_that_cannot_be_opened_fails_as_configuration()
    {
        // The folder itself is not a database file.
        var database = _folder.Open(TimeProvider.System, o => o.DatabasePath = _folder.Folder);

        var error = await Assert.ThrowsAsync<ConcordException>(() => database.ReadAsync("test.read", (_, _) => Task.FromResult(0)));

        Assert.Equal(ErrorCategory.Configuration, error.Category);
        Assert.False(error.IsRetryable);
    }

    [Fact]
    public void An_empty_path_is_refused_as_configuration_when_the_database_is_created()
    {
        var error = Assert.Throws<ConcordException>(() => _folder.Open(TimeProvider.System, o => o.DatabasePath = " "));

        Assert.Equal(ErrorCategory.Configuration, error.Category);
        Assert.Contains("DatabasePath", error.Message, StringComparison.Ordinal);
    }

    private static async Task<int> InsertNoteAsync(Microsoft.Data.Sqlite.SqliteConnection connection, Microsoft.Data.Sqlite.SqliteTransaction transaction, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = "INSERT INTO test_notes (text) VALUES ('hello');";
        return await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
