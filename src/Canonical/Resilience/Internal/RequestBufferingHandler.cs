namespace Concord.Canonical.Resilience.Internal;

/// <summary>
/// The outermost handler <c>AddConcordResilience</c> adds: serialises a body whose length is not known yet (Refit's and
/// System.Net.Http.Json's <c>JsonContent</c> stream as they serialise) into memory once, before the first attempt, so
/// that every attempt — retries included — sends the same bytes with a <c>Content-Length</c> instead of
/// <c>Transfer-Encoding: chunked</c>. A proxy or gateway that reads only <c>Content-Length</c> (common in front of Odoo)
/// would otherwise wait for a body that never ends, until the vendor's worker is killed at its time limit. Connector
/// bodies are JSON documents of a batch at most, so holding one in memory is cheap; a serialisation failure surfaces
/// as what it is, not as a transport failure to retry.
/// </summary>
internal sealed class RequestBufferingHandler : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (request.Content is { } content && content.Headers.ContentLength is null)
        {
            // Once buffered, HttpContent reports the buffer's length and the handler sends it as Content-Length.
            await content.LoadIntoBufferAsync(cancellationToken).ConfigureAwait(false);
        }

        return await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
    }
}
