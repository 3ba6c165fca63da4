using System.Globalization;
using System.Text.Json.Nodes;

namespace Concord.Testing.HubSpot;

/// <summary>OAuth (facts page §1): the token endpoint with refresh-token rotation, token metadata and revocation.</summary>
public sealed partial class HubSpotSimulator
{
    private static readonly string[] TokenPaths = ["/oauth/v1/token", "/oauth/v3/token", "/oauth/2026-03/token", "/oauth/2026-09/token"];

    private SimulatorResponse OAuth(SimulatorRequest request)
    {
        if (request.Method == "POST" && TokenPaths.Contains(request.Path, StringComparer.Ordinal))
        {
            Interlocked.Increment(ref _tokenRequests);
            return Token(request);
        }

        const string Metadata = "/oauth/v1/access-tokens/";
        if (request.Method == "GET" && request.Path.StartsWith(Metadata, StringComparison.Ordinal))
        {
            var token = Uri.UnescapeDataString(request.Path[Metadata.Length..]);
            if (!_accessTokens.TryGetValue(token, out var expires) && token != _options.StaticToken)
            {
                return SimulatorResponse.Json(new JsonObject { ["status"] = "error", ["message"] = "Token not found", ["correlationId"] = NextCorrelationId(), ["category"] = "OBJECT_NOT_FOUND" }, 404);
            }

            var seconds = token == _options.StaticToken ? 0 : Math.Max(0, (long)(expires - TimeProvider.GetUtcNow()).TotalSeconds);
            return SimulatorResponse.Json(new JsonObject
            {
                ["token"] = "***",
                ["user"] = "integration@concord.test",
                ["hub_domain"] = "concord-test.hubspot.com",
                ["scopes"] = new JsonArray(_options.Scopes.Select(s => (JsonNode?)s).ToArray()),
                ["hub_id"] = _options.PortalId,
                ["app_id"] = 4_242_424,
                ["expires_in"] = seconds,
                ["user_id"] = 1,
                ["token_type"] = "access",
                ["signed_access_token"] = new JsonObject { ["hublet"] = "na1", ["hubId"] = _options.PortalId, ["appId"] = 4_242_424 },
            });
        }

        const string Revoke = "/oauth/v1/refresh-tokens/";
        if (request.Method == "DELETE" && request.Path.StartsWith(Revoke, StringComparison.Ordinal))
        {
            _refreshTokens.Remove(Uri.UnescapeDataString(request.Path[Revoke.Length..]));
            return SimulatorResponse.Status(204);
        }

        return SimulatorResponse.Json(new JsonObject { ["status"] = "error", ["message"] = "Not found", ["category"] = "OBJECT_NOT_FOUND" }, 404);
    }

    private SimulatorResponse Token(SimulatorRequest request)
    {
        var contentType = request.Headers.GetValueOrDefault("Content-Type") ?? string.Empty;
        if (!contentType.StartsWith("application/x-www-form-urlencoded", StringComparison.OrdinalIgnoreCase))
        {
            return OAuthError("invalid_request", "Content-Type must be application/x-www-form-urlencoded", "BAD_REQUEST");
        }

        var form = ParseForm(request.Body);
        if (form.GetValueOrDefault("client_id") != _options.ClientId)
        {
            return OAuthError("invalid_client", "missing or invalid client_id", "BAD_CLIENT_ID");
        }

        if (form.GetValueOrDefault("client_secret") != _options.ClientSecret)
        {
            return OAuthError("invalid_client", "missing or invalid client_secret", "BAD_CLIENT_SECRET");
        }

        switch (form.GetValueOrDefault("grant_type"))
        {
            case "refresh_token":
                var presented = form.GetValueOrDefault("refresh_token") ?? string.Empty;
                if (!_refreshTokens.Contains(presented))
                {
                    return OAuthError("invalid_grant", "missing or unknown refresh token", "BAD_REFRESH_TOKEN");
                }

                var refresh = presented;
                if (_options.RotateRefreshTokens)
                {
                    _refreshTokens.Remove(presented);
                    refresh = NewToken("sim-refresh-");
                    _refreshTokens.Add(refresh);
                    _currentRefreshToken = refresh;
                }

                var access = NewToken("sim-access-");
                _accessTokens[access] = TimeProvider.GetUtcNow() + _options.AccessTokenLifetime;
                return SimulatorResponse.Json(new JsonObject
                {
                    ["token_type"] = "bearer",
                    ["access_token"] = access,
                    ["refresh_token"] = refresh,
                    ["expires_in"] = (long)_options.AccessTokenLifetime.TotalSeconds,
                });
            case null or "":
                return OAuthError("invalid_request", "missing grant_type", "BAD_GRANT_TYPE");
            default:
                return OAuthError("unsupported_grant_type", "grant_type is not supported by the simulator", "BAD_GRANT_TYPE");
        }
    }

    private SimulatorResponse OAuthError(string error, string description, string status) => SimulatorResponse.Json(
        new JsonObject
        {
            ["error"] = error,
            ["error_description"] = description,
            ["status"] = status,
            ["message"] = description,
            ["correlationId"] = NextCorrelationId(),
        },
        400);

    private static Dictionary<string, string> ParseForm(string? body)
    {
        var form = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var pair in (body ?? string.Empty).Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var equals = pair.IndexOf('=', StringComparison.Ordinal);
            var key = Uri.UnescapeDataString((equals < 0 ? pair : pair[..equals]).Replace('+', ' '));
            var value = equals < 0 ? string.Empty : Uri.UnescapeDataString(pair[(equals + 1)..].Replace('+', ' '));
            form[key] = value;
        }

        return form;
    }
}
