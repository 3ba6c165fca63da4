using Concord.Sync.Idempotency;

using Concord.StoreContracts.Tests;

namespace Concord.Storage.Sqlite.Tests.Idempotency;

/// <summary>The idempotency store contract, kept by <see cref="InMemoryIdempotencyStore"/>.</summary>
public sealed class InMemoryIdempotencyStoreContractTests : IdempotencyStoreContractTests
{
    protected override IIdempotencyStore CreateStore(TimeProvider timeProvider) => new InMemoryIdempotencyStore(timeProvider);
}
