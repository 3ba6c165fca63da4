using System.Buffers;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using Concord.AspNetCore.Webhooks.Inbox;
using Concord.Sync.Inbox;
using Concord.AspNetCore.Webhooks.Quarantine;
using Concord.AspNetCore.Webhooks.Verification;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Logging;

namespace Concord.AspNetCore.Webhooks.Internal;

/// <summary>
/// One sender's endpoint. In this order: source address, content type, body size (declared, then read), signature and
/// timestamp on the raw bytes, then parsing; the verified events go to the inbox before the 2xx. A refusal answers 401
/// (not authentic) or 400 (not acceptable) with no body, is counted and quarantined.
/// </summary>
internal sealed class WebhookEndpoint
{
    private static readonly HashSet<string> CredentialHeaders = new(["Authorization", "Proxy-Authorization", "Cookie"], StringComparer.OrdinalIgnoreCase);

    private readonly string _sender;
    private readonly WebhookSenderOptions _options;
    private readonly WebhookSenderKind _kind;
    private readonly IWebhookVerifier _verifier;
    private readonly AddressAllowList _addresses;
    private readonly int _maxBodyBytes;
    private readonly IWebhookInbox _inbox;
    private readonly IWebhookQuarantine _quarantine;
    private readonly WebhookMetrics _metrics;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;

    public WebhookEndpoint(string sender, WebhookSenderOptions options, ConcordWebhookOptions all, IWebhookInbox inbox, IWebhookQuarantine quarantine, WebhookMetrics metrics, TimeProvider time, ILogger logger)
    {
        _sender = sender;
        _options = options;
        _kind = options.Kind!.Value;
        _maxBodyBytes = all.MaxBodyBytes;
        _addresses = new AddressAllowList(options.AllowedAddresses);
        _verifier = _kind switch
        {
            WebhookSenderKind.HubSpot => new HubSpotSignatureVerifier(options.Secret!, all.TimestampTolerance, options.AllowLegacyHubSpotSignatures),
            WebhookSenderKind.Zendesk => new ZendeskSignatureVerifier(options.Secret!, all.TimestampTolerance),
            WebhookSenderKind.StandardWebhooks => new StandardWebhooksVerifier(options.Secret!, all.TimestampTolerance),
            WebhookSenderKind.Odoo => new OdooUrlSecretVerifier(options.Secret!),
            _ => new SalesforceOrganizationVerifier(options.OrganizationId!),
        };
        _inbox = inbox;
        _quarantine = quarantine;
        _metrics = metrics;
        _time = time;
        _logger = logger;
    }

    public async Task HandleAsync(HttpContext context)
    {
        var request = context.Request;
        var cancellationToken = context.RequestAborted;
        var remote = context.Connection.RemoteIpAddress;

        if (!_addresses.Allows(remote))
        {
            await RefuseAsync(context, WebhookRefusalReason.AddressNotAllowed, ReadOnlyMemory<byte>.Empty, request.ContentLength ?? 0).ConfigureAwait(false);
            return;
        }

        if (!ContentTypeAccepted(request.ContentType))
        {
            await RefuseAsync(context, WebhookRefusalReason.UnsupportedContentType, ReadOnlyMemory<byte>.Empty, request.ContentLength ?? 0).ConfigureAwait(false);
            return;
        }

        if (request.ContentLength > _maxBodyBytes)
        {
            await RefuseAsync(context, WebhookRefusalReason.BodyTooLarge, ReadOnlyMemory<byte>.Empty, request.ContentLength.Value).ConfigureAwait(false);
            return;
        }

        var (body, tooLarge) = await ReadBodyAsync(request.Body, _maxBodyBytes, cancellationToken).ConfigureAwait(false);
        if (tooLarge)
        {
            await RefuseAsync(context, WebhookRefusalReason.BodyTooLarge, body, body.Length).ConfigureAwait(false);
            return;
        }

        var now = _time.GetUtcNow();
        var delivery = new WebhookRequest(request.Method, SignedUrl(request), request.Headers, body, remote, context.GetRouteValue("secret") as string);
        if (_verifier.Verify(delivery, now) is { } refused)
        {
            await RefuseAsync(context, refused, body, body.Length).ConfigureAwait(false);
            return;
        }

        if (WebhookEventReader.Read(_sender, _kind, delivery, now) is not { Count: > 0 } entries)
        {
            await RefuseAsync(context, WebhookRefusalReason.MalformedBody, body, body.Length).ConfigureAwait(false);
            return;
        }

        int added;
        try
        {
            added = await _inbox.AddAsync(entries, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            // Nothing acknowledged that is not stored: the sender retries (HubSpot for 24 h, Salesforce likewise).
            WebhookLog.StoreFailed(_logger, _sender, exception);
            _metrics.Failed(_sender);
            context.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
            return;
        }

        // A retry of events already stored is acknowledged (or the sender keeps retrying) but adds nothing.
        _metrics.Accepted(_sender, duplicate: added == 0);
        WebhookLog.Accepted(_logger, _sender, added, entries.Count);
        context.Response.StatusCode = StatusCodes.Status200OK;
        if (_kind == WebhookSenderKind.SalesforceOutboundMessage)
        {
            context.Response.ContentType = "text/xml; charset=utf-8";
            await context.Response.WriteAsync(SalesforceOutboundMessage.Acknowledgement, cancellationToken).ConfigureAwait(false);
        }
    }

    // HubSpot signs the URL it called: the configured public URL, with the query as received (never proxy-rewritten host or path).
    private string SignedUrl(HttpRequest request)
    {
        if (_options.PublicUrl is { } configured)
        {
            var url = configured.OriginalString;
            return url.Contains('?', StringComparison.Ordinal) || !request.QueryString.HasValue ? url : url + request.QueryString.Value;
        }

        return request.Scheme + "://" + request.Host.Value + request.PathBase.Value + request.Path.Value + request.QueryString.Value;
    }

    private bool ContentTypeAccepted(string? contentType)
    {
        if (!MediaTypeHeaderValue.TryParse(contentType, out var parsed) || parsed.MediaType is not { } media)
        {
            return false;
        }

        return _kind == WebhookSenderKind.SalesforceOutboundMessage
            ? media.Equals("text/xml", StringComparison.OrdinalIgnoreCase) || media.Equals("application/soap+xml", StringComparison.OrdinalIgnoreCase)
            : media.Equals("application/json", StringComparison.OrdinalIgnoreCase) || media.EndsWith("+json", StringComparison.OrdinalIgnoreCase);
    }

    private static async Task<(ReadOnlyMemory<byte> Body, bool TooLarge)> ReadBodyAsync(Stream stream, int max, CancellationToken cancellationToken)
    {
        using var buffer = new MemoryStream();
        var chunk = ArrayPool<byte>.Shared.Rent(16 * 1024);
        try
        {
            int read;
            while ((read = await stream.ReadAsync(chunk, cancellationToken).ConfigureAwait(false)) > 0)
            {
                if (buffer.Length + read > max)
                {
                    return (buffer.ToArray(), true); // stop reading: the rest is never buffered
                }

                buffer.Write(chunk, 0, read);
            }

            return (buffer.ToArray(), false);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(chunk);
        }
    }

    private async Task RefuseAsync(HttpContext context, WebhookRefusalReason reason, ReadOnlyMemory<byte> body, long length)
    {
        _metrics.Refused(_sender, reason);
        WebhookLog.Refused(_logger, _sender, WebhookMetrics.ReasonName(reason));
        try
        {
            await _quarantine.AddAsync(
                new QuarantinedWebhook
                {
                    Sender = _sender,
                    Reason = reason,
                    At = _time.GetUtcNow(),
                    Headers = SafeHeaders(context.Request.Headers),
                    BodySha256 = Convert.ToHexStringLower(SHA256.HashData(body.Span)),
                    BodyLength = length,
                    RemoteAddress = context.Connection.RemoteIpAddress?.ToString(),
                },
                context.RequestAborted).ConfigureAwait(false);
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            // The refusal stands whether or not the quarantine kept it.
            WebhookLog.StoreFailed(_logger, _sender, exception);
        }

        // No detail an attacker could use: not authentic → 401, otherwise 400; no body either way.
        context.Response.StatusCode = reason is WebhookRefusalReason.BodyTooLarge or WebhookRefusalReason.UnsupportedContentType or WebhookRefusalReason.MalformedBody
            ? StatusCodes.Status400BadRequest
            : StatusCodes.Status401Unauthorized;
    }

    private Dictionary<string, string> SafeHeaders(IHeaderDictionary headers)
    {
        var safe = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var (name, value) in headers)
        {
            var text = value.ToString();
            if (CredentialHeaders.Contains(name) || (_options.Secret is { Length: > 0 } secret && text.Contains(secret, StringComparison.Ordinal)))
            {
                continue;
            }

            safe[name] = text;
        }

        return safe;
    }
}
