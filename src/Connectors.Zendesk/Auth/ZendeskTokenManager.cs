using System.Net.Http.Json;
using Concord.Canonical.Connectors;
using Concord.Canonical.Errors;
using Concord.Canonical.Resilience;
using Concord.Connectors.Zendesk.Api;
using Concord.Connectors.Zendesk.Diagnostics;
using Microsoft.Extensions.Logging;

namespace Concord.Connectors.Zendesk.Auth;

/// <summary>
/// The OAuth tokens of one connector instance. An access token is refreshed <see cref="ZendeskConnectorOptions.RefreshAhead"/>
/// before it expires and when a 401 says it is dead, and every refresh is single-flight: Zendesk rotates both tokens on a
/// refresh and revokes the old pair, so two concurrent refreshes would leave one caller with a revoked token and the
/// other's new pair unknown. However many calls find the token stale at once, one refresh is made and they all await
/// it. The new pair is saved to the <see cref="IConnectorTokenStore"/> before it is used, so a restart starts from it.
/// Neither token nor secret is ever logged.
/// </summary>
internal sealed class ZendeskTokenManager(
    HttpClient tokenClient,
    ZendeskConnectorOptions options,
    IConnectorTokenStore store,
    string connectorName,
    TimeProvider time,
    ILogger logger)
{
    private const string Operation = "authenticate";
    private readonly Lock _gate = new();
    private ConnectorTokens? _current;
    private bool _loaded;
    private Task<ConnectorTokens>? _refreshing;
    private TimeSpan _margin = options.RefreshAhead;
    private int _refreshes;

    /// <summary>How many refreshes this manager made (for tests and diagnostics).</summary>
    public int Refreshes => Volatile.Read(ref _refreshes);

    /// <summary>A live access token: the current one, or a new one when there is none or it is within the refresh margin of its expiry.</summary>
    public async ValueTask<string> GetAccessTokenAsync(CancellationToken cancellationToken)
    {
        var current = await CurrentAsync(cancellationToken).ConfigureAwait(false);
        if (current is not null && !IsDue(current))
        {
            return current.AccessToken;
        }

        var refreshed = await RefreshAsync(current?.AccessToken, cancellationToken).ConfigureAwait(false);
        return refreshed.AccessToken;
    }

    /// <summary>After a 401 with <paramref name="rejected"/>: a token refreshed since (by another caller), or a new one.</summary>
    public async ValueTask<string> RenewAfterRejectionAsync(string rejected, CancellationToken cancellationToken)
    {
        Log.TokenRejected(logger, connectorName);
        var refreshed = await RefreshAsync(rejected, cancellationToken).ConfigureAwait(false);
        return refreshed.AccessToken;
    }

    private bool IsDue(ConnectorTokens tokens)
    {
        if (tokens.AccessTokenExpiresAt is not { } expiresAt)
        {
            return false;
        }

        return time.GetUtcNow() >= expiresAt - _margin;
    }

    private async ValueTask<ConnectorTokens?> CurrentAsync(CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            if (_loaded)
            {
                return _current;
            }
        }

        // The store wins over the options: it holds the pair Zendesk issued last, the configured one may be revoked.
        var stored = await store.GetAsync(connectorName, cancellationToken).ConfigureAwait(false);
        lock (_gate)
        {
            if (!_loaded)
            {
                _current = stored;
                _loaded = true;
            }

            return _current;
        }
    }

    /// <summary>Refreshes unless the current access token is no longer <paramref name="stale"/> (another caller refreshed); joins a refresh under way.</summary>
    private Task<ConnectorTokens> RefreshAsync(string? stale, CancellationToken cancellationToken)
    {
        Task<ConnectorTokens> refreshing;
        lock (_gate)
        {
            if (_refreshing is { IsCompleted: false } running)
            {
                refreshing = running;
            }
            else if (_current is { } current && !string.Equals(current.AccessToken, stale, StringComparison.Ordinal) && !IsDue(current))
            {
                return Task.FromResult(current);
            }
            else
            {
                // Not bound to one caller's cancellation: the others wait for the same refresh.
                _refreshing = refreshing = RequestAsync(_current);
            }
        }

        return refreshing.IsCompleted ? refreshing : refreshing.WaitAsync(cancellationToken);
    }

    private async Task<ConnectorTokens> RequestAsync(ConnectorTokens? previous)
    {
        await Task.Yield();
        var refreshToken = previous?.RefreshToken ?? options.RefreshToken;
        var grant = string.IsNullOrWhiteSpace(refreshToken) ? "client_credentials" : "refresh_token";
        var body = new TokenRequest
        {
            GrantType = grant,
            ClientId = options.ClientId!,
            ClientSecret = options.ClientSecret!,
            RefreshToken = grant == "refresh_token" ? refreshToken : null,
            Scope = string.IsNullOrWhiteSpace(options.Scopes) ? null : options.Scopes,
        };

        // Never resent: a refresh revokes the pair it presents, so a second send after a lost answer would fail anyway.
        using var request = new HttpRequestMessage(HttpMethod.Post, "oauth/tokens")
        {
            Content = JsonContent.Create(body, ZendeskJsonContext.Default.TokenRequest),
        }.WithOperation(Operation);
        Log.RequestingToken(logger, connectorName, grant);
        HttpResponseMessage response;
        try
        {
            response = await tokenClient.SendAsync(request, CancellationToken.None).ConfigureAwait(false);
        }
        catch (ConcordException ex)
        {
            Log.TokenRequestFailed(logger, connectorName, ex.Category);
            throw;
        }

        using (response)
        {
            var text = await response.Content.ReadAsStringAsync(CancellationToken.None).ConfigureAwait(false);
            TokenResponse? answer = null;
            try
            {
                answer = string.IsNullOrWhiteSpace(text) ? null : System.Text.Json.JsonSerializer.Deserialize(text, ZendeskJsonContext.Default.TokenResponse);
            }
            catch (System.Text.Json.JsonException)
            {
                answer = null;
            }

            if (!response.IsSuccessStatusCode || answer?.AccessToken is not { Length: > 0 } accessToken)
            {
                var status = (int)response.StatusCode;
                var category = response.IsSuccessStatusCode ? ErrorCategory.ContractViolation
                    : status >= 500 || status == 408 ? ErrorCategory.Transient
                    : answer?.Error == "invalid_scope" ? ErrorCategory.Configuration
                    : ErrorCategory.Authentication;
                Log.TokenRefused(logger, connectorName, status, answer?.Error ?? "unknown");
                throw new ConcordException(category, $"Zendesk refused the {grant} token request with HTTP {status}{(answer?.Error is null ? string.Empty : " " + answer.Error)}.")
                {
                    System = connectorName,
                    Operation = Operation,
                    StatusCode = status,
                    VendorErrorCode = answer?.Error,
                    VendorMessage = answer?.ErrorDescription,
                };
            }

            var now = time.GetUtcNow();
            var tokens = new ConnectorTokens(
                accessToken,
                answer.ExpiresIn is { } seconds ? now + TimeSpan.FromSeconds(seconds) : null,
                answer.RefreshToken ?? (grant == "refresh_token" ? null : previous?.RefreshToken),
                answer.RefreshTokenExpiresIn is { } refreshSeconds ? now + TimeSpan.FromSeconds(refreshSeconds) : null);

            // Durable before it is used: once Zendesk answered, the old pair is revoked.
            await store.SaveAsync(connectorName, tokens, CancellationToken.None).ConfigureAwait(false);
            lock (_gate)
            {
                _current = tokens;
                _loaded = true;

                // A token shorter-lived than twice the margin is refreshed at half its life, never at once.
                _margin = answer.ExpiresIn is { } lifetime && TimeSpan.FromSeconds(lifetime) / 2 < options.RefreshAhead ? TimeSpan.FromSeconds(lifetime) / 2 : options.RefreshAhead;
            }

            Interlocked.Increment(ref _refreshes);
            Log.TokenAcquired(logger, connectorName, tokens.AccessTokenExpiresAt);
            return tokens;
        }
    }
}
