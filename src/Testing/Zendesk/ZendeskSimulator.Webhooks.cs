using System.Globalization;
using System.Text.Json.Nodes;
using Concord.Testing.Zendesk.Internal;

namespace Concord.Testing.Zendesk;

/// <summary>The events the agent-side helpers send to <see cref="ZendeskSimulator.Webhooks"/>.</summary>
public sealed partial class ZendeskSimulator
{
    /// <summary>What an organization's events compare: attribute → value as JSON.</summary>
    private static Dictionary<string, JsonNode?> State(SimOrganization o) => new(StringComparer.Ordinal)
    {
        ["name_changed"] = o.Name,
        ["external_id_changed"] = o.ExternalId,
        ["tags_changed"] = new JsonArray([.. o.Tags.Select(t => (JsonNode?)t)]),
        ["custom_field_changed"] = new JsonObject(o.Fields.Select(f => KeyValuePair.Create(f.Key, f.Value?.DeepClone()))),
    };

    /// <summary>What a user's events compare (the organization is a membership event, not a change).</summary>
    private Dictionary<string, JsonNode?> State(SimUser u) => new(StringComparer.Ordinal)
    {
        ["name_changed"] = u.Name,
        ["external_id_changed"] = u.ExternalId,
        ["role_changed"] = u.Role,
        ["notes_changed"] = u.Notes,
        ["details_changed"] = u.Details,
        ["time_zone_changed"] = u.TimeZone,
        ["active_changed"] = u.Active,
        ["suspended_changed"] = u.Suspended,
        ["tags_changed"] = new JsonArray([.. u.Tags.Select(t => (JsonNode?)t)]),
        ["custom_field_changed"] = new JsonObject(u.Fields.Select(f => KeyValuePair.Create(f.Key, f.Value?.DeepClone()))),
        ["identity_changed"] = PrimaryEmail(u),
    };

    private static JsonObject Detail(SimOrganization o) => new()
    {
        ["id"] = Text(o.Id),
        ["name"] = o.Name,
        ["external_id"] = o.ExternalId ?? string.Empty,
        ["group_id"] = Text(o.GroupId ?? 0),
        ["shared_tickets"] = o.SharedTickets,
        ["shared_comments"] = o.SharedComments,
        ["created_at"] = SimTime.Format(o.CreatedAt),
        ["updated_at"] = SimTime.Format(o.UpdatedAt),
    };

    private JsonObject Detail(SimUser u) => new()
    {
        ["id"] = Text(u.Id),
        ["email"] = PrimaryEmail(u) ?? string.Empty,
        ["external_id"] = u.ExternalId ?? string.Empty,
        ["role"] = u.Role,
        ["organization_id"] = Text(u.OrganizationId ?? 0),
        ["default_group_id"] = "0",
        ["created_at"] = SimTime.Format(u.CreatedAt),
        ["updated_at"] = SimTime.Format(u.UpdatedAt),
    };

    /// <summary>Sends an event when anything subscribed; the detail is built only then (it reads the user's identities).</summary>
    private void Notify(string type, string subject, Func<JsonObject> detail, JsonObject @event)
    {
        if (Webhooks.Any)
        {
            Webhooks.Send(type, subject, detail(), @event);
        }
    }

    private static string Text(long id) => id.ToString(CultureInfo.InvariantCulture);

    private void SendCreated(SimOrganization o) => Notify("organization.created", "zen:organization:" + Text(o.Id), () => Detail(o), []);

    private void SendCreated(SimUser u) => Notify("user.created", "zen:user:" + Text(u.Id), () => Detail(u), []);

    private void SendChanges(SimOrganization o, Dictionary<string, JsonNode?> before) =>
        SendChanges("organization.", "zen:organization:" + Text(o.Id), Detail(o), before, State(o));

    private void SendChanges(SimUser u, Dictionary<string, JsonNode?> before, long? organizationBefore)
    {
        var subject = "zen:user:" + Text(u.Id);
        SendChanges("user.", subject, Detail(u), before, State(u));
        if (organizationBefore != u.OrganizationId)
        {
            if (organizationBefore is { } left)
            {
                Notify("user.organization_membership_deleted", subject, () => Detail(u), new JsonObject { ["organization_id"] = Text(left) });
            }

            if (u.OrganizationId is { } joined)
            {
                Notify("user.organization_membership_created", subject, () => Detail(u), new JsonObject { ["organization_id"] = Text(joined) });
            }
        }
    }

    private void SendChanges(string prefix, string subject, JsonObject detail, Dictionary<string, JsonNode?> before, Dictionary<string, JsonNode?> after)
    {
        foreach (var (change, current) in after)
        {
            var previous = before[change];
            if (!JsonNode.DeepEquals(previous, current))
            {
                Notify(prefix + change, subject, () => detail, new JsonObject { ["current"] = current?.DeepClone(), ["previous"] = previous?.DeepClone() });
            }
        }
    }
}
