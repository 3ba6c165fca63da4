using Concord.Storage.PostgreSql.Cursors;
using Concord.Storage.PostgreSql.FeedLeases;
using Concord.Storage.PostgreSql.Identity;
using Concord.Storage.PostgreSql.State;
using Concord.Storage.PostgreSql.Tests.TestSupport;
using Concord.StoreContracts.Tests;

namespace Concord.Storage.PostgreSql.Tests.FeedLeases;

/// <summary>The feed lease contract, kept by the PostgreSQL stores: every handle has its own data source on the test's schema.</summary>
public sealed class PostgreSqlFeedLeaseContractTests : FeedLeaseContractTests
{
    private readonly TestSchema _schema = new();

    protected override FeedLeaseHandle Open()
    {
        var database = _schema.Open(Clock);
        return new FeedLeaseHandle(new PostgreSqlFeedLeaseStore(database, Clock), new PostgreSqlCursorStore(database), new PostgreSqlIdentityMap(database), new PostgreSqlStateCommitter(database, Clock));
    }

    protected override void Dispose(bool disposing)
    {
        _schema.Dispose();
        base.Dispose(disposing);
    }
}
