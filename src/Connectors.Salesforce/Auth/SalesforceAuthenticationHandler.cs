using System.Net;
using System.Net.Http.Headers;
using Concord.Canonical.Errors;
using Concord.Connectors.Salesforce.Diagnostics;
using Microsoft.Extensions.Logging;

namespace Concord.Connectors.Salesforce.Auth;

/// <summary>
/// Sends every API call to the current token's <c>instance_url</c> with <c>Authorization: Bearer</c>. On a 401
/// <c>INVALID_SESSION_ID</c> it drops the token, gets one new token (single-flight) and replays the request once; a
/// second 401, and the 401 a new token cannot cure (<c>This session is not valid for use with the REST API</c>), are
/// returned as they are and become <see cref="ErrorCategory.Authentication"/>.
/// </summary>
internal sealed class SalesforceAuthenticationHandler(SalesforceTokenCache tokens, string connectorName, ILogger logger) : DelegatingHandler
{
    internal const string NotValidForRest = "This session is not valid for use with the REST API";

    /// <summary>Names the client in Salesforce's event logs.</summary>
    internal const string CallOptionsHeader = "Sforce-Call-Options";

    internal const string CallOptions = "client=Concord";

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var token = await tokens.GetAsync(cancellationToken).ConfigureAwait(false);
        var response = await SendWithTokenAsync(request, token, cancellationToken).ConfigureAwait(false);
        if (response.StatusCode != HttpStatusCode.Unauthorized)
        {
            return response;
        }

        await response.Content.LoadIntoBufferAsync(cancellationToken).ConfigureAwait(false);
        var body = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        if (body.Contains(NotValidForRest, StringComparison.Ordinal))
        {
            Log.SessionNotValidForRest(logger, connectorName);
            return response;
        }

        Log.SessionExpired(logger, connectorName);
        tokens.Invalidate(token);
        response.Dispose();
        token = await tokens.GetAsync(cancellationToken).ConfigureAwait(false);
        return await SendWithTokenAsync(request, token, cancellationToken).ConfigureAwait(false);
    }

    private Task<HttpResponseMessage> SendWithTokenAsync(HttpRequestMessage request, SalesforceToken token, CancellationToken cancellationToken)
    {
        var relative = request.RequestUri is { IsAbsoluteUri: true } absolute ? absolute.PathAndQuery : request.RequestUri?.OriginalString ?? "/";
        request.RequestUri = new Uri(token.InstanceUrl, relative);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token.AccessToken);
        if (!request.Headers.Contains(CallOptionsHeader))
        {
            request.Headers.TryAddWithoutValidation(CallOptionsHeader, CallOptions);
        }

        return base.SendAsync(request, cancellationToken);
    }
}
