using Concord.Storage.PostgreSql.DeadLetters;
using Concord.Storage.PostgreSql.Tests.TestSupport;
using Concord.StoreContracts.Tests;
using Concord.Sync.DeadLetters;

namespace Concord.Storage.PostgreSql.Tests.Contracts;

/// <summary>The dead-letter claim contract, kept by the PostgreSQL store: every handle has its own data source on the test's schema.</summary>
public sealed class PostgreSqlDeadLetterClaimContractTests : DeadLetterClaimContractTests
{
    private readonly TestSchema _schema = new();

    protected override IDeadLetterStore Open() => new PostgreSqlDeadLetterStore(_schema.Open(Clock));

    protected override void Dispose(bool disposing)
    {
        _schema.Dispose();
        base.Dispose(disposing);
    }
}
