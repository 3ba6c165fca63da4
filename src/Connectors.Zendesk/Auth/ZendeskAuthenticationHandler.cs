using System.Net;
using System.Net.Http.Headers;
using System.Text;

namespace Concord.Connectors.Zendesk.Auth;

/// <summary>
/// Puts the credentials on every attempt: <c>Authorization: Bearer</c> with a live OAuth token (a 401 gets one new token,
/// single-flight, and the request is replayed once; a second 401 is returned and becomes
/// <c>Authentication</c>), or <c>Basic base64("{email}/token:{api_token}")</c> in API-token mode (a 401 is final).
/// Adds the Marketplace headers when configured.
/// </summary>
internal sealed class ZendeskAuthenticationHandler(ZendeskConnectorOptions options, ZendeskTokenManager? tokens) : DelegatingHandler
{
    private readonly AuthenticationHeaderValue? _basic = options.AuthMode == ZendeskAuthMode.ApiToken
        ? new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{options.Email}/token:{options.ApiToken}")))
        : null;

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        AddMarketplaceHeaders(request);
        if (_basic is not null || tokens is null)
        {
            request.Headers.Authorization = _basic;
            return await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
        }

        var token = await tokens.GetAccessTokenAsync(cancellationToken).ConfigureAwait(false);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        var response = await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
        if (response.StatusCode != HttpStatusCode.Unauthorized)
        {
            return response;
        }

        response.Dispose();
        token = await tokens.RenewAfterRejectionAsync(token, cancellationToken).ConfigureAwait(false);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
    }

    private void AddMarketplaceHeaders(HttpRequestMessage request)
    {
        Add(request, "X-Zendesk-Marketplace-Name", options.MarketplaceName);
        Add(request, "X-Zendesk-Marketplace-Organization-Id", options.MarketplaceOrganizationId);
        Add(request, "X-Zendesk-Marketplace-App-Id", options.MarketplaceAppId);

        static void Add(HttpRequestMessage request, string name, string? value)
        {
            if (!string.IsNullOrWhiteSpace(value) && !request.Headers.Contains(name))
            {
                request.Headers.TryAddWithoutValidation(name, value);
            }
        }
    }
}
