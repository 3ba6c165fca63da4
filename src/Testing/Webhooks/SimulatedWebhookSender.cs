using System.Globalization;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;

namespace Concord.Testing.Webhooks;

/// <summary>
/// Sends webhook deliveries as the vendors do, signed with their own headers, so a host team can test its endpoint: HubSpot
/// (signature v3; retried on any non-2xx or connection failure up to 10 attempts, each re-signed with a new timestamp and
/// its <c>attemptNumber</c>), Zendesk (<c>X-Zendesk-Webhook-Signature</c>; retried on 409, 429 and 503, up to 3 retries),
/// Odoo (no signature, the secret in the URL; never retried) and Standard Webhooks (the same <c>webhook-id</c> on every
/// attempt). Retries go out at once (no waiting). With <see cref="DuplicateDeliveries"/> every delivery that was
/// acknowledged is sent once more, as at-least-once senders do.
/// </summary>
/// <param name="client">The client that reaches the host (for a test server: its client; absolute URLs are used as given).</param>
/// <param name="timeProvider">The clock the signatures' timestamps come from; the system clock by default.</param>
public sealed class SimulatedWebhookSender(HttpClient client, TimeProvider? timeProvider = null)
{
    private readonly TimeProvider _time = timeProvider ?? TimeProvider.System;

    /// <summary>HubSpot's attempts in all (the first and up to 9 retries over 24 hours in reality). Default 10.</summary>
    public int HubSpotMaxAttempts { get; init; } = 10;

    /// <summary>Zendesk's attempts in all for a retryable answer (409, 429, 503). Default 4.</summary>
    public int ZendeskMaxAttempts { get; init; } = 4;

    /// <summary>Standard Webhooks senders' attempts in all. Default 5.</summary>
    public int StandardMaxAttempts { get; init; } = 5;

    /// <summary>Sends every acknowledged delivery a second time (vendors deliver at least once).</summary>
    public bool DuplicateDeliveries { get; init; }

    /// <summary>Waits before retry number n (1 for the first retry); none when null (retries go out at once).</summary>
    internal Func<int, CancellationToken, Task>? WaitBeforeRetry { get; init; }

    /// <summary>Told the status of every attempt as it completes (0 for a connection failure).</summary>
    internal Action<int>? AttemptCompleted { get; init; }

    /// <summary>The <c>X-Zendesk-Webhook-Id</c> header: the webhook's id.</summary>
    internal string ZendeskWebhookId { get; set; } = "01JSIMULATED0000000000000";

    /// <summary>The <c>X-Zendesk-Account-Id</c> header.</summary>
    internal long ZendeskAccountId { get; set; } = 1;

    /// <summary>Sends a HubSpot delivery: a JSON array of events, signed v3 with the app's client secret.</summary>
    /// <param name="targetUrl">The app's target URL (HubSpot signs the URL it calls).</param>
    /// <param name="clientSecret">The app's client secret.</param>
    /// <param name="eventsJson">The events, a JSON array; each event's <c>attemptNumber</c> is set on every attempt.</param>
    /// <param name="cancellationToken">Cancels the sending.</param>
    /// <returns>The status of every attempt, in order (0 for a connection failure).</returns>
    public Task<SimulatedWebhookResult> SendHubSpotAsync(Uri targetUrl, string clientSecret, string eventsJson, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(targetUrl);
        var events = JsonNode.Parse(eventsJson)?.AsArray() ?? throw new ArgumentException("A HubSpot delivery is a JSON array of events.", nameof(eventsJson));
        return SendAsync(
            attempt =>
            {
                foreach (var e in events)
                {
                    e!["attemptNumber"] = attempt;
                }

                var body = events.ToJsonString();
                var timestamp = _time.GetUtcNow().ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture);
                var request = Json(targetUrl, body);
                request.Headers.Add("X-HubSpot-Request-Timestamp", timestamp);
                request.Headers.Add("X-HubSpot-Signature-v3", Hmac(Encoding.UTF8.GetBytes(clientSecret), "POST" + targetUrl.OriginalString + body + timestamp));
                return request;
            },
            status => status is < 200 or >= 300,
            HubSpotMaxAttempts,
            cancellationToken);
    }

    /// <summary>Sends a Zendesk event, signed with the webhook's signing secret.</summary>
    /// <param name="targetUrl">The webhook's endpoint.</param>
    /// <param name="signingSecret">The webhook's signing secret (used as the UTF-8 bytes of the string).</param>
    /// <param name="eventJson">The event envelope.</param>
    /// <param name="cancellationToken">Cancels the sending.</param>
    /// <returns>The status of every attempt, in order (0 for a connection failure).</returns>
    public Task<SimulatedWebhookResult> SendZendeskAsync(Uri targetUrl, string signingSecret, string eventJson, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(targetUrl);
        return SendAsync(
            _ =>
            {
                var timestamp = _time.GetUtcNow().UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);
                var request = Json(targetUrl, eventJson);
                request.Headers.Add("X-Zendesk-Account-Id", ZendeskAccountId.ToString(CultureInfo.InvariantCulture));
                request.Headers.Add("X-Zendesk-Webhook-Id", ZendeskWebhookId);
                request.Headers.Add("X-Zendesk-Webhook-Invocation-Id", Guid.NewGuid().ToString("N"));
                request.Headers.Add("X-Zendesk-Webhook-Signature-Timestamp", timestamp);
                request.Headers.Add("X-Zendesk-Webhook-Signature", Hmac(Encoding.UTF8.GetBytes(signingSecret), timestamp + eventJson));
                return request;
            },
            status => status is 0 or 409 or 429 or 503,
            ZendeskMaxAttempts,
            cancellationToken);
    }

    /// <summary>Sends an Odoo automation webhook: unsigned, once, whatever the answer.</summary>
    /// <param name="targetUrl">The URL set on the server action, secret included.</param>
    /// <param name="recordJson">The record (<c>_action</c>, <c>_id</c>, <c>_model</c>, <c>id</c> and the selected fields).</param>
    /// <param name="cancellationToken">Cancels the sending.</param>
    /// <returns>The status of the one attempt (0 for a connection failure).</returns>
    public Task<SimulatedWebhookResult> SendOdooAsync(Uri targetUrl, string recordJson, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(targetUrl);
        return SendAsync(_ => Json(targetUrl, recordJson), _ => false, 1, cancellationToken);
    }

    /// <summary>Sends a Standard Webhooks message; every attempt carries the same id.</summary>
    /// <param name="targetUrl">The endpoint.</param>
    /// <param name="secret">The secret, <c>whsec_</c> and base64.</param>
    /// <param name="messageId">The message id (<c>webhook-id</c>).</param>
    /// <param name="json">The payload.</param>
    /// <param name="cancellationToken">Cancels the sending.</param>
    /// <returns>The status of every attempt, in order (0 for a connection failure).</returns>
    public Task<SimulatedWebhookResult> SendStandardAsync(Uri targetUrl, string secret, string messageId, string json, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(targetUrl);
        ArgumentNullException.ThrowIfNull(secret);
        var key = Convert.FromBase64String(secret.StartsWith("whsec_", StringComparison.Ordinal) ? secret[6..] : secret);
        return SendAsync(
            _ =>
            {
                var timestamp = _time.GetUtcNow().ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
                var request = Json(targetUrl, json);
                request.Headers.Add("webhook-id", messageId);
                request.Headers.Add("webhook-timestamp", timestamp);
                request.Headers.Add("webhook-signature", "v1," + Hmac(key, messageId + "." + timestamp + "." + json));
                return request;
            },
            status => status is < 200 or >= 300,
            StandardMaxAttempts,
            cancellationToken);
    }

    private async Task<SimulatedWebhookResult> SendAsync(Func<int, HttpRequestMessage> build, Func<int, bool> retry, int maxAttempts, CancellationToken cancellationToken)
    {
        var statuses = new List<int>();
        for (var attempt = 0; attempt < maxAttempts; attempt++)
        {
            if (attempt > 0 && WaitBeforeRetry is { } wait)
            {
                await wait(attempt, cancellationToken).ConfigureAwait(false);
            }

            var status = await SendOnceAsync(build(attempt), cancellationToken).ConfigureAwait(false);
            statuses.Add(status);
            if (!retry(status))
            {
                break;
            }
        }

        if (DuplicateDeliveries && statuses[^1] is >= 200 and < 300)
        {
            statuses.Add(await SendOnceAsync(build(0), cancellationToken).ConfigureAwait(false));
        }

        return new SimulatedWebhookResult(statuses);
    }

    private async Task<int> SendOnceAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        try
        {
            using (request)
            using (var response = await client.SendAsync(request, cancellationToken).ConfigureAwait(false))
            {
                AttemptCompleted?.Invoke((int)response.StatusCode);
                return (int)response.StatusCode;
            }
        }
        catch (HttpRequestException)
        {
            AttemptCompleted?.Invoke(0);
            return 0;
        }
    }

    private static HttpRequestMessage Json(Uri url, string body) =>
        new(HttpMethod.Post, url) { Content = new StringContent(body, Encoding.UTF8, new MediaTypeHeaderValue("application/json")) };

    private static string Hmac(byte[] key, string content) => Convert.ToBase64String(HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(content)));
}

/// <summary>What became of a simulated delivery.</summary>
/// <param name="Statuses">The HTTP status of every attempt, in order (0 for a connection failure); a duplicate delivery adds one more.</param>
public sealed record SimulatedWebhookResult(IReadOnlyList<int> Statuses)
{
    /// <summary>Whether an attempt was acknowledged (2xx).</summary>
    public bool Delivered => Statuses.Any(s => s is >= 200 and < 300);
}
