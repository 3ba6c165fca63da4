using System.Text.Json;
using Concord.Canonical.Errors;
using Concord.Canonical.Resilience;
using Concord.Connectors.HubSpot.Api;
using Concord.Connectors.HubSpot.Api.Dtos;
using Concord.Connectors.HubSpot.Diagnostics;
using Microsoft.Extensions.Logging;

namespace Concord.Connectors.HubSpot.Auth;

/// <summary>
/// Refreshes an OAuth access token: <c>POST {BaseUrl}/oauth/{v1|ver}/token</c> with <c>grant_type=refresh_token</c>.
/// Starts from the newest refresh token in the <see cref="IHubSpotTokenStore"/> (else the configured one) and hands
/// every rotated refresh token to the store before it uses the new access token, so a restart never revives a dead one.
/// The request is not retried by the pipeline: a refresh whose answer was lost may already have rotated the token.
/// Neither the secret nor a token is ever logged or put in an exception.
/// </summary>
internal sealed class HubSpotTokenClient(
    HttpClient http,
    HubSpotConnectorOptions options,
    ApiPaths paths,
    IHubSpotTokenStore store,
    string connectorName,
    TimeProvider time,
    ILogger logger)
{
    private readonly Uri _endpoint = new(options.BaseUrl, paths.TokenPath);
    private string? _refreshToken;

    public async Task<HubSpotAccessToken> RefreshAsync(CancellationToken cancellationToken)
    {
        var refreshToken = _refreshToken
            ?? await store.GetRefreshTokenAsync(connectorName, cancellationToken).ConfigureAwait(false)
            ?? options.RefreshToken!;
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
            if (rotated)
            {
                // The old refresh token may be dead already: keep the new one in memory first, then make it durable.
                _refreshToken = token.RefreshToken;
                try
                {
                    await store.SaveRefreshTokenAsync(connectorName, token.RefreshToken!, CancellationToken.None).ConfigureAwait(false);
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    throw new ConcordException(ErrorCategory.Configuration, $"HubSpot rotated the refresh token of connector '{connectorName}', but the IHubSpotTokenStore could not save it ({ex.GetType().Name}); the connector keeps it in memory, a restart would need re-authorization.", ex)
                    {
                        System = connectorName,
                        Operation = "authenticate",
                    };
                }
            }
            else
            {
                _refreshToken ??= refreshToken;
            }

            var lifetime = TimeSpan.FromSeconds(token.ExpiresIn!.Value);
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
