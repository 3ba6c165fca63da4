using System.Text.Json;
using Concord.Canonical.Connectors;
using Concord.Canonical.Errors;
using Concord.Canonical.Resilience;
using Concord.Connectors.HubSpot.Api;
using Concord.Connectors.HubSpot.Api.Dtos;
using Concord.Connectors.HubSpot.Diagnostics;
using Microsoft.Extensions.Logging;

namespace Concord.Connectors.HubSpot.Auth;

/// <summary>
/// Gets OAuth access tokens: <c>POST {BaseAddress}/oauth/{v1|ver}/token</c> with <c>grant_type=refresh_token</c>.
/// The shared <see cref="IConnectorTokenStore"/> (one abstraction for every connector whose vendor rotates tokens) wins
/// over the options: on its first call the client starts from the stored pair — its access token as it is while it has
/// more than the refresh margin left, else its refresh token — and only then from the configured refresh token. Every
/// token HubSpot issues is handed to the store before it is used, so a restart neither revives a rotated refresh token
/// nor spends a refresh on a live access token. The request is not retried by the pipeline: a refresh whose answer was
/// lost may already have rotated the token. Neither the secret nor a token is ever logged or put in an exception.
/// </summary>
internal sealed class HubSpotTokenClient(
    HttpClient http,
    HubSpotConnectorOptions options,
    ApiPaths paths,
    IConnectorTokenStore store,
    string connectorName,
    TimeProvider time,
    ILogger logger)
{
    private readonly Uri _endpoint = new(options.BaseAddress!, paths.TokenPath);
    private string? _refreshToken;
    private bool _loaded;

    public async Task<HubSpotAccessToken> RefreshAsync(CancellationToken cancellationToken)
    {
        if (!_loaded)
        {
            // Called single-flight by the token cache: no other caller races this first read.
            _loaded = true;
            if (await store.GetAsync(connectorName, cancellationToken).ConfigureAwait(false) is { } stored)
            {
                _refreshToken = stored.RefreshToken;
                if (stored.AccessTokenExpiresAt is { } expiresAt && expiresAt - time.GetUtcNow() > options.RefreshAhead)
                {
                    Log.StoredTokenUsed(logger, connectorName, expiresAt);
                    return new HubSpotAccessToken(stored.AccessToken, expiresAt);
                }
            }
        }

        var refreshToken = _refreshToken ?? options.RefreshToken!;
        var form = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["grant_type"] = "refresh_token",
            ["client_id"] = options.ClientId!,
            ["client_secret"] = options.ClientSecret!,
            ["refresh_token"] = refreshToken,
        };
        using var request = new HttpRequestMessage(HttpMethod.Post, _endpoint) { Content = new FormUrlEncodedContent(form) }.WithOperation("authenticate");
        Log.RefreshingToken(logger, connectorName, _endpoint.Host);
        var issuedAt = time.GetUtcNow();
        HttpResponseMessage response;
        try
        {
            response = await http.SendAsync(request, cancellationToken).ConfigureAwait(false);
        }
        catch (HttpRequestException ex)
        {
            throw new ConcordException(ErrorCategory.Transient, $"The HubSpot token refresh at {_endpoint.Host} failed in transport.", ex)
            {
                System = connectorName,
                Operation = "authenticate",
            };
        }

        using (response)
        {
            var body = await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
            if (!response.IsSuccessStatusCode)
            {
                var error = Deserialize(body, HubSpotJsonContext.Default.OAuthError);
                var exception = HubSpotErrorClassifier.FromOAuth(error, (int)response.StatusCode, connectorName, _endpoint.Host);
                Log.TokenRefused(logger, connectorName, (int)response.StatusCode, exception.VendorErrorCode ?? "unknown");
                throw exception;
            }

            var token = Deserialize(body, HubSpotJsonContext.Default.TokenResponse);
            if (token is not { AccessToken.Length: > 0, ExpiresIn: > 0 })
            {
                throw new ConcordException(ErrorCategory.ContractViolation, "The HubSpot token response has no access_token or expires_in.")
                {
                    System = connectorName,
                    Operation = "authenticate",
                };
            }

            var rotated = !string.IsNullOrEmpty(token.RefreshToken) && !string.Equals(token.RefreshToken, refreshToken, StringComparison.Ordinal);

            // The old refresh token may be dead already: keep the new one in memory first, then make the pair durable.
            _refreshToken = rotated ? token.RefreshToken : refreshToken;
            var lifetime = TimeSpan.FromSeconds(token.ExpiresIn!.Value);
            var issued = new ConnectorTokens(token.AccessToken, issuedAt + lifetime, _refreshToken, null);
            try
            {
                await store.SaveAsync(connectorName, issued, CancellationToken.None).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is not OperationCanceledException && rotated)
            {
                throw new ConcordException(ErrorCategory.Configuration, $"HubSpot rotated the refresh token of connector '{connectorName}', but the IConnectorTokenStore could not save it ({ex.GetType().Name}); the connector keeps it in memory, a restart would need re-authorization.", ex)
                {
                    System = connectorName,
                    Operation = "authenticate",
                };
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                // Nothing is lost: the refresh token did not change, the next start refreshes once more.
                Log.TokenNotSaved(logger, connectorName, ex.GetType().Name);
            }

            Log.TokenRefreshed(logger, connectorName, lifetime, rotated);
            return new HubSpotAccessToken(token.AccessToken, issuedAt + lifetime);
        }
    }

    private static T? Deserialize<T>(byte[] body, System.Text.Json.Serialization.Metadata.JsonTypeInfo<T> typeInfo)
        where T : class
    {
        try
        {
            return body.Length == 0 ? null : JsonSerializer.Deserialize(body, typeInfo);
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
