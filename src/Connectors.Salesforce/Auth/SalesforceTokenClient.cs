using System.Text.Json;
using Concord.Canonical.Connectors;
using Concord.Canonical.Errors;
using Concord.Canonical.Resilience;
using Concord.Connectors.Salesforce.Api;
using Concord.Connectors.Salesforce.Api.Dtos;
using Concord.Connectors.Salesforce.Diagnostics;
using Microsoft.Extensions.Logging;

namespace Concord.Connectors.Salesforce.Auth;

/// <summary>
/// Posts to <c>{MyDomain}/services/oauth2/token</c> with the configured grant and checks the answer: an access token
/// and an https Salesforce <c>instance_url</c>. Neither the secret, the assertion nor the token is ever logged.
/// </summary>
internal sealed class SalesforceTokenClient
{
    private readonly HttpClient _http;
    private readonly SalesforceConnectorOptions _options;
    private readonly string _connectorName;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly Uri _tokenEndpoint;
    private readonly IConnectorTokenStore _store;
    private string? _refreshToken;
    private bool _storeRead;

    public SalesforceTokenClient(HttpClient http, SalesforceConnectorOptions options, string connectorName, IConnectorTokenStore store, TimeProvider time, ILogger logger)
    {
        _store = store;
        _http = http;
        _options = options;
        _connectorName = connectorName;
        _time = time;
        _logger = logger;
        _tokenEndpoint = new Uri(options.BaseAddress!, "/services/oauth2/token");
        _refreshToken = options.RefreshToken;
    }

    public async Task<SalesforceToken> RequestAsync(CancellationToken cancellationToken)
    {
        if (_options.AuthMode == SalesforceAuthMode.RefreshToken && !_storeRead)
        {
            // A refresh token the org rotated since the options were written (the one configured may be dead) wins.
            if (await _store.GetAsync(_connectorName, cancellationToken).ConfigureAwait(false) is { RefreshToken: { Length: > 0 } stored })
            {
                _refreshToken = stored;
            }

            _storeRead = true;
        }

        // Safe to resend: a repeated token request only opens another session. The JWT assertion is built once per
        // acquisition, so retries repeat the same (still valid, ≤ 3 min) assertion.
        using var request = new HttpRequestMessage(HttpMethod.Post, _tokenEndpoint) { Content = new FormUrlEncodedContent(BuildForm()) }
            .MarkIdempotent()
            .WithOperation("authenticate");
        Log.RequestingToken(_logger, _connectorName, _options.AuthMode, _tokenEndpoint.Host);
        HttpResponseMessage response;
        try
        {
            response = await _http.SendAsync(request, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
        {
            throw new ConcordException(ErrorCategory.Transient, $"The Salesforce token request to {_tokenEndpoint.Host} failed in transport.", ex)
            {
                System = _connectorName,
                Operation = "authenticate",
            };
        }

        using (response)
        {
            var body = await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
            if (response.IsSuccessStatusCode)
            {
                return await AcceptAsync(Deserialize(body, SalesforceJsonContext.Default.TokenResponse)).ConfigureAwait(false);
            }

            var error = Deserialize(body, SalesforceJsonContext.Default.OAuthError);
            var exception = SalesforceErrorClassifier.FromOAuthError(error, (int)response.StatusCode, _connectorName, _tokenEndpoint.Host);
            Log.TokenRefused(_logger, _connectorName, _options.AuthMode, (int)response.StatusCode, exception.VendorErrorCode ?? "unknown");
            throw exception;
        }
    }

    private async Task<SalesforceToken> AcceptAsync(TokenResponse? token)
    {
        if (token is null || string.IsNullOrEmpty(token.AccessToken) || string.IsNullOrEmpty(token.InstanceUrl))
        {
            throw new ConcordException(ErrorCategory.ContractViolation, "The Salesforce token response has no access_token or instance_url.")
            {
                System = _connectorName,
                Operation = "authenticate",
            };
        }

        if (!Uri.TryCreate(token.InstanceUrl, UriKind.Absolute, out var instanceUrl) || !SalesforceHosts.IsInstance(instanceUrl, _options.AllowInsecureHttp))
        {
            throw new ConcordException(
                ErrorCategory.Authentication,
                $"The Salesforce token response names instance_url '{token.InstanceUrl}', which is not an https Salesforce host; the token is not used.")
            {
                System = _connectorName,
                Operation = "authenticate",
            };
        }

        if (!string.IsNullOrEmpty(token.RefreshToken) && !string.Equals(token.RefreshToken, _refreshToken, StringComparison.Ordinal))
        {
            // Rotation: the refresh token just used is dead. Keep the new one in memory first, then make it durable, so a
            // restart starts from it; a store that cannot save it is said now, not at the restart that would fail.
            _refreshToken = token.RefreshToken;
            try
            {
                await _store.SaveAsync(_connectorName, new ConnectorTokens(token.AccessToken, null, token.RefreshToken, null), CancellationToken.None).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                throw new ConcordException(ErrorCategory.Configuration, $"Salesforce rotated the refresh token of connector '{_connectorName}', but the IConnectorTokenStore could not save it ({ex.GetType().Name}); the connector keeps it in memory, a restart would need re-authorization.", ex)
                {
                    System = _connectorName,
                    Operation = "authenticate",
                };
            }
        }

        Log.TokenAcquired(_logger, _connectorName, instanceUrl.Host);
        return new SalesforceToken(token.AccessToken, instanceUrl);
    }

    private List<KeyValuePair<string, string>> BuildForm()
    {
        var form = new List<KeyValuePair<string, string>>(5);
        switch (_options.AuthMode)
        {
            case SalesforceAuthMode.ClientCredentials:
                form.Add(new("grant_type", "client_credentials"));
                form.Add(new("client_id", _options.ClientId!));
                form.Add(new("client_secret", _options.ClientSecret!));
                break;
            case SalesforceAuthMode.JwtBearer:
                form.Add(new("grant_type", "urn:ietf:params:oauth:grant-type:jwt-bearer"));
                form.Add(new("assertion", JwtAssertion.Create(_options.ClientId!, _options.Username!, _options.JwtAudience, _options.PrivateKeyPem!, _time.GetUtcNow())));
                break;
            case SalesforceAuthMode.RefreshToken:
                form.Add(new("grant_type", "refresh_token"));
                form.Add(new("refresh_token", _refreshToken!));
                form.Add(new("client_id", _options.ClientId!));
                if (!string.IsNullOrEmpty(_options.ClientSecret))
                {
                    form.Add(new("client_secret", _options.ClientSecret));
                }

                break;
            default:
                throw new ConcordException(ErrorCategory.Configuration, $"SalesforceConnectorOptions.AuthMode '{_options.AuthMode}' is not supported.");
        }

        return form;
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
