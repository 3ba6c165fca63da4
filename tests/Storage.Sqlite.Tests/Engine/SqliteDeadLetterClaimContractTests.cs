using Concord.Storage.Sqlite.DeadLetters;
using Concord.Storage.Sqlite.State;
using Concord.Storage.Sqlite.Tests.TestSupport;
using Concord.StoreContracts.Tests;
using Concord.Sync.DeadLetters;

namespace Concord.Storage.Sqlite.Tests.Engine;

/// <summary>The dead-letter claim contract, kept by the SQLite store: every handle is another database instance on the same file.</summary>
public sealed class SqliteDeadLetterClaimContractTests : DeadLetterClaimContractTests
{
    private readonly TempDatabaseFolder _folder = new();

    protected override IDeadLetterStore Open() => new SqliteDeadLetterStore(_folder.Open(Clock, schemas: SqliteEngineStateServices.Schemas()));

    protected override void Dispose(bool disposing)
    {
        _folder.Dispose();
        base.Dispose(disposing);
    }
}
