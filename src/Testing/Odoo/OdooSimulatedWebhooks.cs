using System.Globalization;
using System.Text.Json.Nodes;
using Concord.Testing.Webhooks;

namespace Concord.Testing.Odoo;

/// <summary>
/// The <see cref="OdooSimulator"/>'s automation rules on <c>res.partner</c> whose server action is "Send Webhook
/// Notification": every committed call that creates, writes or unlinks partners — through the API by any user, the
/// integration's included, or with the simulator's helpers — sends one <c>POST</c> per partner with
/// <c>Content-Type: application/json</c> and the body <c>{"_action":"Send Webhook Notification(#id)","_id":…,
/// "_model":"res.partner","id":…, …selected fields}</c>, keys sorted, fields read as with <c>load=None</c> (a many2one
/// a bare id, empty values <c>false</c>). Odoo signs nothing and sends no header of its own: the secret is in the URL.
/// Fire and forget: never retried (<see cref="VendorRetryDelays"/> is empty).
/// </summary>
public sealed class OdooSimulatedWebhooks : SimulatedWebhooks
{
    private readonly Lock _gate = new();
    private readonly List<Rule> _rules = [];
    private int _nextActionId = 7;

    internal OdooSimulatedWebhooks(TimeProvider timeProvider)
        : base(timeProvider, VendorRetryDelays)
    {
    }

    /// <summary>Odoo's waits before a retry: none, it does not retry (failures are only logged).</summary>
    public static IReadOnlyList<TimeSpan> VendorRetryDelays { get; } = [];

    /// <summary>
    /// The fields the rules' actions send (<c>webhook_field_ids</c>) besides <c>id</c>. Default <c>name</c>, <c>email</c>,
    /// <c>is_company</c>, <c>parent_id</c>, <c>active</c>, <c>write_date</c>.
    /// </summary>
    public IList<string> Fields { get; } = ["name", "email", "is_company", "parent_id", "active", "write_date"];

    /// <summary>Adds an automation rule on <c>res.partner</c> that sends a webhook notification.</summary>
    /// <param name="targetUrl">The URL set on the action, without the secret.</param>
    /// <param name="secret">The secret token, added as the URL's last path segment (<c>{targetUrl}/{secret}</c>); empty: the URL as given.</param>
    /// <param name="eventTypes">The rule's triggers: <c>on_create</c>, <c>on_write</c>, <c>on_create_or_write</c>, <c>on_unlink</c>; none: every one.</param>
    public void Subscribe(Uri targetUrl, string secret, params string[] eventTypes)
    {
        ArgumentNullException.ThrowIfNull(targetUrl);
        ArgumentNullException.ThrowIfNull(secret);
        ArgumentNullException.ThrowIfNull(eventTypes);
        var url = secret.Length == 0 ? targetUrl : new Uri(targetUrl.OriginalString.TrimEnd('/') + "/" + Uri.EscapeDataString(secret));
        lock (_gate)
        {
            Subscribed();
            _rules.Add(new Rule(_nextActionId++, url, eventTypes.Length == 0 ? ["on_create_or_write", "on_unlink"] : eventTypes));
        }
    }

    /// <summary>Sends partner <paramref name="id"/> to every rule that <paramref name="trigger"/> fires.</summary>
    /// <param name="trigger"><c>on_create</c>, <c>on_write</c> or <c>on_unlink</c>.</param>
    /// <param name="id">The partner.</param>
    /// <param name="read">Reads one of its fields as <c>load=None</c> does.</param>
    internal void Send(string trigger, long id, Func<string, JsonNode?> read)
    {
        lock (_gate)
        {
            foreach (var rule in _rules.Where(r => r.Triggers.Any(t => t == trigger || (t == "on_create_or_write" && trigger is "on_create" or "on_write"))))
            {
                var values = new SortedDictionary<string, JsonNode?>(StringComparer.Ordinal)
                {
                    ["_action"] = string.Create(CultureInfo.InvariantCulture, $"Send Webhook Notification(#{rule.ActionId})"),
                    ["_id"] = id,
                    ["_model"] = "res.partner",
                    ["id"] = id,
                };
                foreach (var field in Fields.Where(f => f != "id"))
                {
                    values[field] = read(field);
                }

                var body = new JsonObject(values).ToJsonString();
                var url = rule.Url;
                Start(url, [trigger], body, (sender, cancellationToken) => sender.SendOdooAsync(url, body, cancellationToken));
            }
        }
    }

    private sealed record Rule(int ActionId, Uri Url, IReadOnlyList<string> Triggers);
}
