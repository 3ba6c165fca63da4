using Concord.Storage.Sqlite.Cursors;
using Concord.Storage.Sqlite.FeedLeases;
using Concord.Storage.Sqlite.Identity;
using Concord.Storage.Sqlite.State;
using Concord.Storage.Sqlite.Tests.TestSupport;
using Concord.StoreContracts.Tests;

namespace Concord.Storage.Sqlite.Tests.FeedLeases;

/// <summary>The feed lease contract, kept by the SQLite stores: every handle is another <see cref="Infrastructure.SqliteDatabase"/> on the same file.</summary>
public sealed class SqliteFeedLeaseContractTests : FeedLeaseContractTests
{
    private readonly TempDatabaseFolder _folder = new();

    protected override FeedLeaseHandle Open()
    {
        var database = _folder.Open(Clock, schemas: SqliteEngineStateServices.Schemas());
        return new FeedLeaseHandle(new SqliteFeedLeaseStore(database, Clock), new SqliteCursorStore(database), new SqliteIdentityMap(database), new SqliteStateCommitter(database, Clock));
    }

    protected override void Dispose(bool disposing)
    {
        _folder.Dispose();
        base.Dispose(disposing);
    }
}
