using System.Globalization;
using System.Text.Json.Nodes;
using Concord.Testing.Webhooks;

namespace Concord.Testing.Zendesk;

/// <summary>
/// The <see cref="ZendeskSimulator"/>'s webhooks (Webhooks API, subscribed to events): a change made with the
/// simulator's helpers (as an agent would) sends one event per request — <c>type</c>, <c>account_id</c>, <c>id</c>,
/// <c>time</c>, <c>zendesk_event_version</c>, <c>subject</c> (<c>zen:organization:{id}</c>, <c>zen:user:{id}</c>),
/// <c>detail</c> (a snapshot, ids as strings, empty ones <c>""</c> or <c>"0"</c>) and <c>event</c>
/// (<c>{"current":…,"previous":…}</c>) — signed with <c>X-Zendesk-Webhook-Signature</c> over
/// <c>X-Zendesk-Webhook-Signature-Timestamp</c> and the body, with <c>X-Zendesk-Account-Id</c>, <c>-Webhook-Id</c> and
/// <c>-Webhook-Invocation-Id</c>. Answers 409, 429 and 503 (and connection failures) are retried up to 3 times
/// (<see cref="VendorRetryDelays"/>); any other answer ends the delivery.
/// </summary>
public sealed class ZendeskSimulatedWebhooks : SimulatedWebhooks
{
    private readonly TimeProvider _time;
    private readonly Lock _gate = new();
    private readonly List<Webhook> _webhooks = [];
    private long _nextEvent = 1;

    internal ZendeskSimulatedWebhooks(TimeProvider timeProvider)
        : base(timeProvider, VendorRetryDelays)
    {
        _time = timeProvider;
    }

    /// <summary>Zendesk's waits before its 3 retries: 10 s, 30 s and 60 s (a guess: the facts page gives counts, not waits).</summary>
    public static IReadOnlyList<TimeSpan> VendorRetryDelays { get; } = [TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(30), TimeSpan.FromSeconds(60)];

    /// <summary>The <c>account_id</c> of every event and the <c>X-Zendesk-Account-Id</c> header. Default 123456.</summary>
    public long AccountId { get; set; } = 123456;

    /// <summary>Creates a webhook subscribed to <paramref name="eventTypes"/> that sends to <paramref name="targetUrl"/>.</summary>
    /// <param name="targetUrl">The webhook's endpoint.</param>
    /// <param name="secret">The webhook's signing secret (the HMAC key is the UTF-8 bytes of the string).</param>
    /// <param name="eventTypes">
    /// Event types as Zendesk names them, <c>zen:event-type:organization.created</c>, <c>zen:event-type:user.name_changed</c>,
    /// … (the prefix may be left out); none: every event the simulator sends.
    /// </param>
    public void Subscribe(Uri targetUrl, string secret, params string[] eventTypes)
    {
        ArgumentNullException.ThrowIfNull(targetUrl);
        ArgumentException.ThrowIfNullOrEmpty(secret);
        ArgumentNullException.ThrowIfNull(eventTypes);
        lock (_gate)
        {
            var id = "01JSIM" + (_webhooks.Count + 1).ToString("D20", CultureInfo.InvariantCulture); // a 26-character ULID-like id
            Subscribed();
            _webhooks.Add(new Webhook(id, targetUrl, secret, [.. eventTypes.Select(t => t.StartsWith(Prefix, StringComparison.Ordinal) ? t : Prefix + t)]));
        }
    }

    private const string Prefix = "zen:event-type:";

    /// <summary>Sends <c>zen:event-type:{type}</c> about <paramref name="subject"/> to every webhook subscribed to it.</summary>
    internal void Send(string type, string subject, JsonObject detail, JsonObject @event)
    {
        var fullType = Prefix + type;
        lock (_gate)
        {
            foreach (var webhook in _webhooks.Where(w => w.EventTypes.Count == 0 || w.EventTypes.Contains(fullType, StringComparer.Ordinal)))
            {
                var body = new JsonObject
                {
                    ["type"] = fullType,
                    ["account_id"] = AccountId,
                    ["id"] = "01JSIMEVT" + (_nextEvent++).ToString("D17", CultureInfo.InvariantCulture),
                    ["time"] = _time.GetUtcNow().UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture),
                    ["zendesk_event_version"] = "2022-06-20",
                    ["subject"] = subject,
                    ["detail"] = detail.DeepClone(),
                    ["event"] = @event.DeepClone(),
                }.ToJsonString();
                var (url, secret, id, account) = (webhook.TargetUrl, webhook.Secret, webhook.Id, AccountId);
                Start(
                    url,
                    [fullType],
                    body,
                    (sender, cancellationToken) => sender.SendZendeskAsync(url, secret, body, cancellationToken),
                    sender =>
                    {
                        sender.ZendeskWebhookId = id;
                        sender.ZendeskAccountId = account;
                    });
            }
        }
    }

    private sealed record Webhook(string Id, Uri TargetUrl, string Secret, IReadOnlyList<string> EventTypes);
}
