using Concord.Sync.Storage;

using Concord.StoreContracts.Tests;

namespace Concord.Storage.Sqlite.Tests.Writes;

/// <summary>The write ledger contract, kept by <see cref="InMemoryWriteLedger"/>.</summary>
public sealed class InMemoryWriteLedgerContractTests : WriteLedgerContractTests
{
    protected override IWriteLedger CreateLedger(TimeProvider timeProvider) => new InMemoryWriteLedger(timeProvider);
}
