using System.Collections.Concurrent;

namespace Concord.Canonical.Connectors;

/// <summary>
/// Keeps the newest OAuth tokens of each connector whose vendor rotates them (a refresh answers a new pair and revokes the
/// old one: Zendesk), so that a restart, or another process of the host, starts from the live pair instead of one the
/// vendor has already revoked. Register a durable implementation (a secret store, a database row) as a singleton;
/// without one, connectors use <see cref="InMemoryConnectorTokenStore"/>, which lasts as long as the process.
/// Implementations are thread-safe and never log a token.
/// </summary>
public interface IConnectorTokenStore
{
    /// <summary>The tokens last saved for <paramref name="connectorName"/>, or <see langword="null"/> when none were saved.</summary>
    /// <param name="connectorName">The connector's registration name (unique across connectors).</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The tokens, or <see langword="null"/>.</returns>
    ValueTask<ConnectorTokens?> GetAsync(string connectorName, CancellationToken cancellationToken = default);

    /// <summary>Saves the tokens the vendor just issued for <paramref name="connectorName"/>, replacing the previous ones.</summary>
    /// <param name="connectorName">The connector's registration name.</param>
    /// <param name="tokens">The new tokens.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <returns>A task that completes once the tokens are durable.</returns>
    ValueTask SaveAsync(string connectorName, ConnectorTokens tokens, CancellationToken cancellationToken = default);
}

/// <summary>
/// An OAuth token pair and when each part expires. <see cref="ToString"/> shows the expiry times only: the tokens never
/// reach a log, a trace or an exception message through it.
/// </summary>
/// <param name="AccessToken">The access (bearer) token.</param>
/// <param name="AccessTokenExpiresAt">When the access token expires, or <see langword="null"/> when the vendor did not say.</param>
/// <param name="RefreshToken">The refresh token, or <see langword="null"/> for a grant without one (client credentials).</param>
/// <param name="RefreshTokenExpiresAt">When the refresh token expires, or <see langword="null"/> when the vendor did not say.</param>
public sealed record ConnectorTokens(string AccessToken, DateTimeOffset? AccessTokenExpiresAt, string? RefreshToken, DateTimeOffset? RefreshTokenExpiresAt)
{
    /// <inheritdoc />
    public override string ToString() =>
        $"ConnectorTokens {{ AccessTokenExpiresAt = {AccessTokenExpiresAt?.ToString("O", System.Globalization.CultureInfo.InvariantCulture) ?? "unknown"}, HasRefreshToken = {RefreshToken is not null} }}";
}

/// <summary>The default <see cref="IConnectorTokenStore"/>: tokens kept in memory for the life of the process.</summary>
public sealed class InMemoryConnectorTokenStore : IConnectorTokenStore
{
    private readonly ConcurrentDictionary<string, ConnectorTokens> _tokens = new(StringComparer.Ordinal);

    /// <inheritdoc />
    public ValueTask<ConnectorTokens?> GetAsync(string connectorName, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(connectorName);
        return ValueTask.FromResult(_tokens.TryGetValue(connectorName, out var tokens) ? tokens : null);
    }

    /// <inheritdoc />
    public ValueTask SaveAsync(string connectorName, ConnectorTokens tokens, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(connectorName);
        ArgumentNullException.ThrowIfNull(tokens);
        _tokens[connectorName] = tokens;
        return ValueTask.CompletedTask;
    }
}
