using System.Text.Json.Nodes;
using Concord.Testing.Webhooks;

namespace Concord.Testing.HubSpot;

/// <summary>
/// The <see cref="HubSpotSimulator"/>'s webhook subscriptions (an app's target URL and client secret with its
/// subscriptions): a seeded record sends <c>*.creation</c> (with <c>changeFlag</c> <c>NEW</c>), an edit one
/// <c>*.propertyChange</c> per property whose value changed, an archive <c>*.deletion</c>, a merge <c>*.merge</c>
/// (objects <c>contact</c> and <c>company</c>, <c>changeSource</c> <c>CRM</c>). The events of one change go out as one
/// JSON array per app, signed v3 (<c>X-HubSpot-Signature-v3</c> over method, target URL, body and
/// <c>X-HubSpot-Request-Timestamp</c>), re-signed with a new timestamp and <c>attemptNumber</c> on every retry. HubSpot
/// retries any non-2xx or connection failure up to 10 attempts spread over 24 hours (<see cref="VendorRetryDelays"/>).
/// </summary>
public sealed class HubSpotSimulatedWebhooks : SimulatedWebhooks
{
    private readonly TimeProvider _time;
    private readonly long _portalId;
    private readonly Lock _gate = new();
    private readonly List<App> _apps = [];
    private long _nextSubscriptionId = 1_000;
    private long _nextEventId = 1;

    internal HubSpotSimulatedWebhooks(TimeProvider timeProvider, long portalId)
        : base(timeProvider, VendorRetryDelays)
    {
        _time = timeProvider;
        _portalId = portalId;
    }

    /// <summary>
    /// HubSpot's waits before its 9 retries: 1, 5, 15 and 30 minutes, then 1, 2, 4, 6 and 10 hours (23 h 51 min in all;
    /// the facts page says "up to 10 times spread over 24 h with jitter": these steps are a guess, without jitter).
    /// </summary>
    public static IReadOnlyList<TimeSpan> VendorRetryDelays { get; } =
    [
        TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(5), TimeSpan.FromMinutes(15), TimeSpan.FromMinutes(30),
        TimeSpan.FromHours(1), TimeSpan.FromHours(2), TimeSpan.FromHours(4), TimeSpan.FromHours(6), TimeSpan.FromHours(10),
    ];

    /// <summary>The <c>appId</c> in every event. Default 54321.</summary>
    public long AppId { get; set; } = 54321;

    /// <summary>
    /// Subscribes an app: every change matching <paramref name="eventTypes"/> is sent to <paramref name="targetUrl"/>.
    /// </summary>
    /// <param name="targetUrl">The app's target URL (signed as given: the public URL the host verifies against).</param>
    /// <param name="clientSecret">The app's client secret, the signing key.</param>
    /// <param name="eventTypes">
    /// Subscription types, <c>contact.creation</c>, <c>company.propertyChange</c>, <c>contact.deletion</c>,
    /// <c>company.merge</c>, …; a property change names its property as <c>company.propertyChange:name</c> (HubSpot's
    /// <c>propertyName</c>), and without one it stands for every property. None: every type and property.
    /// </param>
    public void Subscribe(Uri targetUrl, string clientSecret, params string[] eventTypes)
    {
        ArgumentNullException.ThrowIfNull(targetUrl);
        ArgumentException.ThrowIfNullOrEmpty(clientSecret);
        ArgumentNullException.ThrowIfNull(eventTypes);
        string[] all = ["contact.creation", "contact.propertyChange", "contact.deletion", "contact.merge", "company.creation", "company.propertyChange", "company.deletion", "company.merge"];
        lock (_gate)
        {
            var subscriptions = (eventTypes.Length == 0 ? all : eventTypes).Select(t =>
            {
                var colon = t.IndexOf(':', StringComparison.Ordinal);
                return new Subscription(_nextSubscriptionId++, colon < 0 ? t : t[..colon], colon < 0 ? null : t[(colon + 1)..]);
            }).ToList();
            Subscribed();
            _apps.Add(new App(targetUrl, clientSecret, subscriptions));
        }
    }

    /// <summary>Sends <c>*.creation</c> for a new record.</summary>
    internal void Created(string objectType, long objectId) =>
        Send(objectType, "creation", objectId, null, e => e["changeFlag"] = "NEW");

    /// <summary>Sends one <c>*.propertyChange</c> per changed property.</summary>
    internal void PropertiesChanged(string objectType, long objectId, IReadOnlyList<(string Name, string? Value)> changes) =>
        Send(objectType, "propertyChange", objectId, changes, null);

    /// <summary>Sends <c>*.deletion</c> for an archived record.</summary>
    internal void Deleted(string objectType, long objectId) => Send(objectType, "deletion", objectId, null, null);

    /// <summary>Sends <c>*.merge</c>: the primary stays (its id is the new one), <paramref name="mergedId"/> goes.</summary>
    internal void Merged(string objectType, long primaryId, long mergedId) =>
        Send(objectType, "merge", primaryId, null, e =>
        {
            e["primaryObjectId"] = primaryId;
            e["mergedObjectIds"] = new JsonArray(mergedId);
            e["newObjectId"] = primaryId;
            e["numberOfPropertiesMoved"] = 0;
        });

    private void Send(string objectType, string action, long objectId, IReadOnlyList<(string Name, string? Value)>? changes, Action<JsonObject>? complete)
    {
        var type = (objectType == Internal.HubSpotPortal.Companies ? "company" : "contact") + "." + action;
        var occurredAt = _time.GetUtcNow().ToUnixTimeMilliseconds();
        lock (_gate)
        {
            foreach (var app in _apps)
            {
                var events = new List<JsonObject>();
                foreach (var subscription in app.Subscriptions.Where(s => s.EventType == type))
                {
                    foreach (var (name, value) in changes ?? [(null!, null)])
                    {
                        if (changes is not null && subscription.PropertyName is not null && subscription.PropertyName != name)
                        {
                            continue;
                        }

                        var e = new JsonObject
                        {
                            ["eventId"] = _nextEventId++,
                            ["subscriptionId"] = subscription.Id,
                            ["portalId"] = _portalId,
                            ["appId"] = AppId,
                            ["occurredAt"] = occurredAt,
                            ["subscriptionType"] = type,
                            ["attemptNumber"] = 0,
                            ["objectId"] = objectId,
                        };
                        if (changes is not null)
                        {
                            e["propertyName"] = name;
                            e["propertyValue"] = value ?? string.Empty;
                        }

                        e["changeSource"] = "CRM";
                        complete?.Invoke(e);
                        events.Add(e);
                    }
                }

                foreach (var batch in events.Chunk(100))
                {
                    var body = new JsonArray(batch).ToJsonString(); // HubSpot sends at most 100 events a request
                    var (url, secret) = (app.TargetUrl, app.ClientSecret);
                    Start(url, [type], body, (sender, cancellationToken) => sender.SendHubSpotAsync(url, secret, body, cancellationToken));
                }
            }
        }
    }

    private sealed record App(Uri TargetUrl, string ClientSecret, IReadOnlyList<Subscription> Subscriptions);

    private sealed record Subscription(long Id, string EventType, string? PropertyName);
}
