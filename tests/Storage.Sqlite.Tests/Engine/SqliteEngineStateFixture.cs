using Concord.Storage.Sqlite.Audit;
using Concord.Storage.Sqlite.Cursors;
using Concord.Storage.Sqlite.DeadLetters;
using Concord.Storage.Sqlite.Identity;
using Concord.Storage.Sqlite.Infrastructure;
using Concord.Storage.Sqlite.Outbox;
using Concord.Storage.Sqlite.State;
using Concord.Storage.Sqlite.Tests.TestSupport;
using Concord.Storage.Sqlite.Writes;
using Concord.StoreContracts.Tests;

namespace Concord.Storage.Sqlite.Tests.Engine;

/// <summary>The engine's SQLite stores on one temporary file; <see cref="EngineStateFixture.Reopen"/> opens another <see cref="SqliteDatabase"/> on the same file (its own pool and write gate).</summary>
internal sealed class SqliteEngineStateFixture(TimeProvider? timeProvider = null) : EngineStateFixture(timeProvider)
{
    private readonly TempDatabaseFolder _folder = new();

    protected override EngineStateHandle Open()
    {
        var database = _folder.Open(Clock, schemas: SqliteEngineStateServices.Schemas());
        return new EngineStateHandle(
            new SqliteIdentityMap(database),
            new SqliteCursorStore(database),
            new SqliteDeadLetterStore(database),
            new SqliteOutbox(database, Clock),
            new SqliteAuditLog(database),
            new SqliteWriteLedger(database, Clock),
            new SqliteStateCommitter(database, Clock));
    }

    protected override void Dispose(bool disposing)
    {
        _folder.Dispose();
        base.Dispose(disposing);
    }
}

/// <summary>The identity map contract, kept by the SQLite store.</summary>
public sealed class SqliteIdentityMapContractTests : IdentityMapContractTests
{
    protected override EngineStateFixture CreateState(TimeProvider? clock = null) => new SqliteEngineStateFixture(clock);
}

/// <summary>The outbox contract, kept by the SQLite store.</summary>
public sealed class SqliteOutboxContractTests : OutboxContractTests
{
    protected override EngineStateFixture CreateState(TimeProvider? clock = null) => new SqliteEngineStateFixture(clock);
}

/// <summary>The cursor and dead-letter contract, kept by the SQLite stores.</summary>
public sealed class SqliteCursorAndDeadLetterContractTests : CursorAndDeadLetterContractTests
{
    protected override EngineStateFixture CreateState(TimeProvider? clock = null) => new SqliteEngineStateFixture(clock);
}

/// <summary>The audit and state-commit contract, kept by the SQLite stores.</summary>
public sealed class SqliteAuditAndCommitContractTests : AuditAndCommitContractTests
{
    protected override EngineStateFixture CreateState(TimeProvider? clock = null) => new SqliteEngineStateFixture(clock);
}
