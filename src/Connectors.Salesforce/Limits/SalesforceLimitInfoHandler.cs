namespace Concord.Connectors.Salesforce.Limits;

/// <summary>Reads <c>Sforce-Limit-Info</c> on every response, retries and replays included.</summary>
internal sealed class SalesforceLimitInfoHandler(SalesforceApiUsageTracker tracker) : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var response = await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
        tracker.Observe(response);
        return response;
    }
}
