using Concord.Storage.Sqlite.Audit;
using Concord.Storage.Sqlite.Cursors;
using Concord.Storage.Sqlite.DeadLetters;
using Concord.Storage.Sqlite.Identity;
using Concord.Storage.Sqlite.Infrastructure;
using Concord.Storage.Sqlite.Outbox;
using Concord.Storage.Sqlite.State;
using Concord.Storage.Sqlite.Tests.TestSupport;
using Microsoft.Extensions.Time.Testing;

namespace Concord.Storage.Sqlite.Tests.Engine;

/// <summary>The engine's SQLite stores on one temporary file; <see cref="Reopen"/> gives a second, independent handle on the same file (another process, as far as SQLite can tell: its own pool and write gate).</summary>
internal sealed class EngineStateFixture : IDisposable
{
    private readonly TempDatabaseFolder _folder = new();

    public EngineStateFixture(TimeProvider? timeProvider = null)
    {
        Clock = timeProvider ?? new FakeTimeProvider(new DateTimeOffset(2026, 11, 23, 12, 0, 0, TimeSpan.Zero));
        Database = Open();
    }

    public TimeProvider Clock { get; }

    public FakeTimeProvider FakeClock => (FakeTimeProvider)Clock;

    public SqliteDatabase Database { get; }

    public string Path => Database.FullPath;

    public SqliteIdentityMap IdentityMap(SqliteDatabase? database = null) => new(database ?? Database);

    public SqliteCursorStore Cursors(SqliteDatabase? database = null) => new(database ?? Database);

    public SqliteDeadLetterStore DeadLetters(SqliteDatabase? database = null) => new(database ?? Database);

    public SqliteOutbox Outbox(SqliteDatabase? database = null) => new(database ?? Database, Clock);

    public SqliteAuditLog Audit(SqliteDatabase? database = null) => new(database ?? Database);

    public SqliteStateCommitter Committer(SqliteDatabase? database = null) => new(database ?? Database, Clock);

    public SqliteDatabase Reopen() => Open();

    public void Dispose() => _folder.Dispose();

    private SqliteDatabase Open() => _folder.Open(Clock, schemas: SqliteEngineStateServices.Schemas());
}
