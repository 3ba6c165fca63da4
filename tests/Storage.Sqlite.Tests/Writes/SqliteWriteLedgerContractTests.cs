using Concord.Storage.Sqlite.State;
using Concord.Storage.Sqlite.Tests.TestSupport;
using Concord.Storage.Sqlite.Writes;
using Concord.Sync.Storage;

using Concord.StoreContracts.Tests;

namespace Concord.Storage.Sqlite.Tests.Writes;

/// <summary>The write ledger contract, kept by the SQLite ledger.</summary>
public sealed class SqliteWriteLedgerContractTests : WriteLedgerContractTests, IDisposable
{
    private readonly TempDatabaseFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    protected override IWriteLedger CreateLedger(TimeProvider timeProvider) =>
        new SqliteWriteLedger(_folder.Open(timeProvider, schemas: SqliteEngineStateServices.Schemas()), timeProvider);
}
