using Concord.Storage.Sqlite.Idempotency;
using Concord.Storage.Sqlite.Tests.TestSupport;
using Concord.Sync.Idempotency;

using Concord.StoreContracts.Tests;

namespace Concord.Storage.Sqlite.Tests.Idempotency;

/// <summary>The idempotency store contract, kept by the SQLite store (each test on a new file).</summary>
public sealed class SqliteIdempotencyStoreContractTests : IdempotencyStoreContractTests, IDisposable
{
    private readonly TempDatabaseFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    protected override IIdempotencyStore CreateStore(TimeProvider timeProvider) =>
        new SqliteIdempotencyStore(_folder.Open(timeProvider, o => o.DatabasePath = Path.Combine(_folder.Folder, $"{Guid.NewGuid():N}.db")), timeProvider);
}
