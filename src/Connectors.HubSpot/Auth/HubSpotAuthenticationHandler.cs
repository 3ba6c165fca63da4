using System.Net;
using System.Net.Http.Headers;
using Concord.Connectors.HubSpot.Diagnostics;
using Microsoft.Extensions.Logging;

namespace Concord.Connectors.HubSpot.Auth;

/// <summary>
/// Sends <c>Authorization: Bearer</c> on every API call. Tokens are refreshed by their lifetime (the cache); a 401 is
/// only a fallback (HubSpot says not to use it as the refresh signal): with OAuth the handler drops the token, gets one
/// new token (single-flight) and replays the request once; a second 401, and any 401 with a static token, is returned
/// as it is and becomes an Authentication error.
/// </summary>
internal sealed class HubSpotAuthenticationHandler(HubSpotTokenCache tokens, string connectorName, ILogger logger) : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var token = await tokens.GetAsync(cancellationToken).ConfigureAwait(false);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token.Value);
        var response = await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
        if (response.StatusCode != HttpStatusCode.Unauthorized || !tokens.CanRefresh)
        {
            return response;
        }

        Log.ReplayingAfter401(logger, connectorName);
        tokens.Invalidate(token);
        response.Dispose();
        token = await tokens.GetAsync(cancellationToken).ConfigureAwait(false);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token.Value);
        return await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
    }
}
