using System.Collections.Concurrent;

namespace Concord.Connectors.HubSpot.DependencyInjection.Internal;

/// <summary>The default <see cref="IHubSpotTokenStore"/>: rotated refresh tokens live as long as the process.</summary>
internal sealed class InMemoryHubSpotTokenStore : IHubSpotTokenStore
{
    private readonly ConcurrentDictionary<string, string> _tokens = new(StringComparer.Ordinal);

    public ValueTask<string?> GetRefreshTokenAsync(string connectorName, CancellationToken cancellationToken) =>
        ValueTask.FromResult(_tokens.TryGetValue(connectorName, out var token) ? token : null);

    public ValueTask SaveRefreshTokenAsync(string connectorName, string refreshToken, CancellationToken cancellationToken)
    {
        _tokens[connectorName] = refreshToken;
        return ValueTask.CompletedTask;
    }
}
