using Concord.Canonical.Resilience;
using Concord.StoreContracts.Tests;

namespace Concord.Canonical.Tests.Resilience;

/// <summary>The rate budget store contract, kept by the in-memory default.</summary>
public sealed class InMemoryRateBudgetStoreTests : RateBudgetStoreContractTests
{
    protected override IRateBudgetStore CreateStore() => new InMemoryRateBudgetStore();
}
