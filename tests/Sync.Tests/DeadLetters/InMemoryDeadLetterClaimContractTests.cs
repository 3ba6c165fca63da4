using Concord.StoreContracts.Tests;
using Concord.Sync.DeadLetters;

namespace Concord.Sync.Tests.DeadLetters;

/// <summary>The dead-letter claim contract, kept by the in-memory store (one process: every handle is the same store).</summary>
public sealed class InMemoryDeadLetterClaimContractTests : DeadLetterClaimContractTests
{
    private readonly InMemoryDeadLetterStore _store;

    public InMemoryDeadLetterClaimContractTests() => _store = new InMemoryDeadLetterStore(Clock);

    protected override IDeadLetterStore Open() => _store;
}
