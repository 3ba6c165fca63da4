namespace Concord.Connectors.HubSpot;

/// <summary>
/// Keeps the newest OAuth refresh token of each HubSpot connector so that a restart does not revive one HubSpot has
/// already rotated away. Register a durable implementation (a secret store, a database row) as a singleton; without one
/// the connector keeps the token in memory only, starting from <see cref="HubSpotConnectorOptions.RefreshToken"/>.
/// Implementations are thread-safe and never log the token.
/// </summary>
public interface IHubSpotTokenStore
{
    /// <summary>The newest refresh token saved for <paramref name="connectorName"/>, or <see langword="null"/> when none was saved.</summary>
    /// <param name="connectorName">The connector's registration name.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The token, or <see langword="null"/>.</returns>
    ValueTask<string?> GetRefreshTokenAsync(string connectorName, CancellationToken cancellationToken);

    /// <summary>Saves the refresh token HubSpot just issued for <paramref name="connectorName"/>, replacing the previous one.</summary>
    /// <param name="connectorName">The connector's registration name.</param>
    /// <param name="refreshToken">The new refresh token.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <returns>A task that completes once the token is durable.</returns>
    ValueTask SaveRefreshTokenAsync(string connectorName, string refreshToken, CancellationToken cancellationToken);
}
