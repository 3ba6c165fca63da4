using System.Net;
using Microsoft.AspNetCore.Http;

namespace Concord.AspNetCore.Webhooks.Verification;

/// <summary>What a verifier sees of a delivery: the raw body bytes as received, before any parsing.</summary>
/// <param name="Method">The HTTP method.</param>
/// <param name="Url">The URL the sender called, built from configuration where the signature covers it.</param>
/// <param name="Headers">The request headers.</param>
/// <param name="Body">The raw body bytes.</param>
/// <param name="RemoteAddress">The source address, if known.</param>
/// <param name="RouteSecret">The secret segment of the URL (Odoo), if any.</param>
internal readonly record struct WebhookRequest(
    string Method,
    string Url,
    IHeaderDictionary Headers,
    ReadOnlyMemory<byte> Body,
    IPAddress? RemoteAddress = null,
    string? RouteSecret = null)
{
    public string? Header(string name)
    {
        var value = Headers[name];
        return value.Count == 1 && !string.IsNullOrEmpty(value[0]) ? value[0] : null;
    }
}
