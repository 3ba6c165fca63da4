using Concord.Canonical.Connectors;
using Concord.StoreContracts.Tests;

namespace Concord.Storage.Sqlite.Tests.ConnectorState;

/// <summary>The connector state store contract, kept by <see cref="InMemoryConnectorStateStore"/> (one instance is the whole state).</summary>
public sealed class InMemoryConnectorStateStoreContractTests : ConnectorStateStoreContractTests
{
    private readonly InMemoryConnectorStateStore _store = new();

    protected override IConnectorStateStore Open() => _store;

    protected override ValueTask<IConnectorStateStore> RestartAsync() => ValueTask.FromResult<IConnectorStateStore>(_store);
}
