using Concord.Canonical.Connectors;
using Concord.Testing.Salesforce;
using Microsoft.Extensions.DependencyInjection;

namespace Concord.Connectors.Salesforce.Tests.Auth;

/// <summary>
/// With refresh-token rotation on, the refresh token used dies on use: the connector hands every new one to the host's
/// <see cref="IConnectorTokenStore"/> (shared with HubSpot and Zendesk), so a restart starts from it.
/// </summary>
public sealed class RefreshTokenRotationTests
{
    [Fact]
    public async Task A_rotated_refresh_token_goes_to_the_token_store_and_a_restarted_connector_uses_it()
    {
        using var sim = new SalesforceSimulator(new SalesforceSimulatorOptions { RotateRefreshTokens = true });
        var store = new RecordingTokenStore();
        await using (var first = sim.CreateConnector(authMode: SalesforceAuthMode.RefreshToken, services: s => s.AddSingleton<IConnectorTokenStore>(store)))
        {
            await first.Connector.GetAsync("001SIM000000001AAA");
        }

        var saved = Assert.Single(store.Saved);
        Assert.Equal("salesforce", saved.Connector);
        Assert.Equal(sim.LiveRefreshToken, saved.Tokens.RefreshToken);

        // A new process, configured with the refresh token it was first given (now dead).
        await using var restarted = sim.CreateConnector(authMode: SalesforceAuthMode.RefreshToken, services: s => s.AddSingleton<IConnectorTokenStore>(store));
        var read = await restarted.Connector.GetAsync("001SIM000000001AAA");

        Assert.Null(read);
        Assert.Equal(2, sim.TokenRequests);
        Assert.All(sim.Journal.Calls("/services/oauth2/token"), c => Assert.Equal(200, c.StatusCode));
    }

    [Fact]
    public async Task Without_a_registered_store_the_rotated_token_is_kept_in_memory_for_the_next_refresh()
    {
        using var sim = new SalesforceSimulator(new SalesforceSimulatorOptions { RotateRefreshTokens = true });
        await using var sf = sim.CreateConnector(authMode: SalesforceAuthMode.RefreshToken);
        await sf.Connector.GetAsync("001SIM000000001AAA");

        sim.ExpireSessions();
        var read = await sf.Connector.GetAsync("001SIM000000001AAA");

        Assert.Null(read);
        Assert.Equal(2, sim.TokenRequests);
        Assert.NotNull(sf.Services.GetService<IConnectorTokenStore>());
    }

    private sealed class RecordingTokenStore : IConnectorTokenStore
    {
        private readonly InMemoryConnectorTokenStore _inner = new();

        public List<(string Connector, ConnectorTokens Tokens)> Saved { get; } = [];

        public ValueTask<ConnectorTokens?> GetAsync(string connectorName, CancellationToken cancellationToken = default) => _inner.GetAsync(connectorName, cancellationToken);

        public ValueTask SaveAsync(string connectorName, ConnectorTokens tokens, CancellationToken cancellationToken = default)
        {
            lock (Saved)
            {
                Saved.Add((connectorName, tokens));
            }

            return _inner.SaveAsync(connectorName, tokens, cancellationToken);
        }
    }
}
