namespace Concord.Canonical.Resilience.Internal;

/// <summary>
/// Sits inside the resilience pipeline and reads each answer's body before the attempt ends, so that a connection
/// that drops mid-body fails the attempt: the pipeline retries it like any transport failure, the attempt timeout
/// covers it, and what is left is translated into a <see cref="Errors.ConcordException"/> by the outermost handler.
/// Without it a client that asks for headers only (Refit does) would meet the failure later, outside the pipeline,
/// as a raw <see cref="HttpRequestException"/> or <see cref="IOException"/>.
/// </summary>
internal sealed class ResponseBufferingHandler : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var response = await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
        try
        {
            await response.Content.LoadIntoBufferAsync(cancellationToken).ConfigureAwait(false);
            return response;
        }
        catch
        {
            response.Dispose();
            throw;
        }
    }
}
