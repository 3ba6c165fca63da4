using Concord.Storage.Sqlite.Idempotency;
using Concord.Storage.Sqlite.Infrastructure;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Concord.Storage.Sqlite.Tests.TestSupport;

/// <summary>A temporary folder for SQLite files; disposing it closes the databases opened through it and deletes the folder.</summary>
internal sealed class TempDatabaseFolder : IDisposable
{
    private readonly List<SqliteDatabase> _databases = [];

    public string Folder { get; } = Directory.CreateTempSubdirectory("concord-sqlite-tests-").FullName;

    public string DatabasePath => Path.Combine(Folder, "concord.db");

    public SqliteDatabase Open(
        TimeProvider timeProvider,
        Action<SqliteStorageOptions>? configure = null,
        IEnumerable<ISqliteSchema>? schemas = null,
        ILogger<SqliteDatabase>? logger = null)
    {
        var options = new SqliteStorageOptions { DatabasePath = DatabasePath };
        configure?.Invoke(options);
        var database = new SqliteDatabase(Options.Create(options), schemas ?? [new SqliteIdempotencySchema()], timeProvider, logger);
        lock (_databases)
        {
            _databases.Add(database);
        }

        return database;
    }

    public void Dispose()
    {
        foreach (var database in _databases)
        {
            database.Dispose();
        }

        try
        {
            Directory.Delete(Folder, recursive: true);
        }
        catch (IOException)
        {
            // A file still open elsewhere; the temp folder is cleaned by the OS.
        }
    }
}
