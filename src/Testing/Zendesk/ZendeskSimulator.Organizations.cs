using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Concord.Testing.Zendesk.Internal;

namespace Concord.Testing.Zendesk;

public sealed partial class ZendeskSimulator
{
    private const int PerRecordUpdatesPerMinute = 5;

    private SimulatorResponse ShowOrganization(SimOrganization organization) => Wrap("organization", RenderOrganization(organization));

    private SimulatorResponse ShowManyOrganizations(SimulatorRequest request)
    {
        var found = new JsonArray();
        if (request.Query.TryGetValue("ids", out var ids))
        {
            var list = SplitList(ids);
            if (list.Count > 100)
            {
                return ZendeskErrors.InvalidAttribute("Too many ids: show_many takes at most 100.");
            }

            foreach (var id in list)
            {
                if (long.TryParse(id, NumberStyles.None, CultureInfo.InvariantCulture, out var key) && _organizations.TryGetValue(key, out var org) && org.DeletedAt is null)
                {
                    found.Add(RenderOrganization(org));
                }
            }
        }
        else if (request.Query.TryGetValue("external_ids", out var externalIds))
        {
            var list = SplitList(externalIds);
            if (list.Count > 100)
            {
                return ZendeskErrors.InvalidAttribute("Too many external_ids: show_many takes at most 100.");
            }

            foreach (var org in _organizations.Values.Where(o => o.DeletedAt is null && list.Any(x => SameKey(o.ExternalId, x))).OrderBy(o => o.Id))
            {
                found.Add(RenderOrganization(org));
            }
        }
        else
        {
            return ZendeskErrors.InvalidAttribute("show_many needs ids or external_ids.");
        }

        return Wrap("organizations", found);
    }

    private SimulatorResponse SearchOrganizations(SimulatorRequest request)
    {
        var byExternalId = request.Query.TryGetValue("external_id", out var externalId);
        var byName = request.Query.TryGetValue("name", out var name);
        if (byExternalId == byName)
        {
            return ZendeskErrors.InvalidAttribute("Search organizations by external_id or by name (one of them).");
        }

        var matches = _organizations.Values
            .Where(o => o.DeletedAt is null && (byExternalId ? SameKey(o.ExternalId, externalId) : SameKey(o.Name, name!.Trim())))
            .OrderBy(o => o.Id)
            .Select(RenderOrganization)
            .ToList();
        return OffsetPage(request, "organizations", matches);
    }

    private SimulatorResponse OrganizationUsers(SimulatorRequest request, SimOrganization organization)
    {
        var members = _memberships.Where(m => m.OrganizationId == organization.Id).Select(m => m.UserId).ToHashSet();
        var users = _users.Values.Where(u => u.Active && members.Contains(u.Id)).OrderBy(u => u.Id).Select(RenderUser).ToList();
        return Page(request, "users", users);
    }

    private SimulatorResponse CreateOrganization(SimulatorRequest request, DateTimeOffset now)
    {
        if (Body(request, "organization") is not { } input)
        {
            return ZendeskErrors.InvalidAttribute("The body needs an 'organization' object.");
        }

        var details = new JsonObject();
        var created = CreateOrganizationRecord(input, details, now);
        return created is null ? ZendeskErrors.RecordInvalid(details) : Wrap("organization", RenderOrganization(created), 201).WithHeader("Location", OrganizationUrl(created.Id));
    }

    private SimulatorResponse CreateOrUpdateOrganization(SimulatorRequest request, DateTimeOffset now)
    {
        if (Body(request, "organization") is not { } input)
        {
            return ZendeskErrors.InvalidAttribute("The body needs an 'organization' object.");
        }

        // Only id or external_id match; name never does.
        SimOrganization? existing = null;
        if (input["id"] is JsonValue idValue && idValue.TryGetValue<long>(out var id))
        {
            existing = _organizations.GetValueOrDefault(id) is { DeletedAt: null } byId ? byId : null;
        }

        if (existing is null && input["external_id"]?.ToString() is { Length: > 0 } externalId)
        {
            existing = _organizations.Values.FirstOrDefault(o => o.DeletedAt is null && SameKey(o.ExternalId, externalId));
        }

        var details = new JsonObject();
        if (existing is null)
        {
            var created = CreateOrganizationRecord(input, details, now);
            return created is null ? ZendeskErrors.RecordInvalid(details) : Wrap("organization", RenderOrganization(created), 201).WithHeader("Location", OrganizationUrl(created.Id));
        }

        if (PerRecordLimit(existing.RecentUpdates, now) is { } throttled)
        {
            return throttled;
        }

        return ApplyOrganization(existing, input, details, now) ? Wrap("organization", RenderOrganization(existing)) : ZendeskErrors.RecordInvalid(details);
    }

    private SimulatorResponse UpdateOrganization(SimulatorRequest request, SimOrganization organization, DateTimeOffset now)
    {
        if (Body(request, "organization") is not { } input)
        {
            return ZendeskErrors.InvalidAttribute("The body needs an 'organization' object.");
        }

        if (PerRecordLimit(organization.RecentUpdates, now) is { } throttled)
        {
            return throttled;
        }

        var details = new JsonObject();
        return ApplyOrganization(organization, input, details, now) ? Wrap("organization", RenderOrganization(organization)) : ZendeskErrors.RecordInvalid(details);
    }

    private SimulatorResponse DeleteOrganizationCall(SimOrganization organization, DateTimeOffset now)
    {
        DeleteOrganization(organization, now);
        return SimulatorResponse.Status(204);
    }

    private void DeleteOrganization(SimOrganization organization, DateTimeOffset now)
    {
        organization.DeletedAt = now;
        organization.UpdatedAt = now;
        foreach (var membership in _memberships.Where(m => m.OrganizationId == organization.Id).ToList())
        {
            _memberships.Remove(membership);
            if (_users.TryGetValue(membership.UserId, out var user) && user.OrganizationId == organization.Id)
            {
                var next = _memberships.FirstOrDefault(m => m.UserId == user.Id);
                if (next is not null)
                {
                    next.Default = true;
                }

                user.OrganizationId = next?.OrganizationId;
                user.UpdatedAt = now;
            }
        }
    }

    /// <summary>A 429 when the record had five updates in the last minute; otherwise counts this one.</summary>
    private SimulatorResponse? PerRecordLimit(Queue<DateTimeOffset> recent, DateTimeOffset now)
    {
        if (!_options.EnforcePerRecordLimits)
        {
            return null;
        }

        var clock = Clock();
        while (recent.Count > 0 && clock - recent.Peek() >= Minute)
        {
            recent.Dequeue();
        }

        if (recent.Count >= PerRecordUpdatesPerMinute)
        {
            _throttled++;
            return ZendeskErrors.TooManyRequests(recent.Peek() + Minute - clock, "Number of allowed updates to this record per minute exceeded");
        }

        recent.Enqueue(clock);
        return null;
    }

    private SimOrganization? CreateOrganizationRecord(JsonObject input, JsonObject details, DateTimeOffset now)
    {
        ValidateOrganization(null, input, details, force: false);
        if (details.Count > 0)
        {
            return null;
        }

        var organization = new SimOrganization { Id = ++_nextOrganizationId, CreatedAt = now, UpdatedAt = now };
        SetOrganization(organization, input);
        _organizations[organization.Id] = organization;
        return organization;
    }

    private bool ApplyOrganization(SimOrganization organization, JsonObject input, JsonObject details, DateTimeOffset now, bool force = false)
    {
        ValidateOrganization(organization, input, details, force);
        if (details.Count > 0)
        {
            return false;
        }

        var before = RenderOrganization(organization).ToJsonString();
        SetOrganization(organization, input);
        if (RenderOrganization(organization).ToJsonString() != before)
        {
            organization.UpdatedAt = now;
        }

        return true;
    }

    private void ValidateOrganization(SimOrganization? target, JsonObject input, JsonObject details, bool force)
    {
        if (input.TryGetPropertyValue("name", out var nameNode) || target is null)
        {
            var name = nameNode?.ToString().Trim();
            if (string.IsNullOrEmpty(name))
            {
                ZendeskErrors.Add(details, "name", "BlankValue", "Name: cannot be blank");
            }
            else if (_organizations.Values.Any(o => o != target && o.DeletedAt is null && string.Equals(o.Name, name, StringComparison.OrdinalIgnoreCase)))
            {
                ZendeskErrors.Add(details, "name", "DuplicateValue", $"Name: {name} has already been taken");
            }
        }

        var externalId = input.TryGetPropertyValue("external_id", out var externalNode) ? externalNode?.ToString() : target?.ExternalId;
        if (externalNode?.ToString() is { Length: > 0 } newExternalId
            && _organizations.Values.Any(o => o != target && o.DeletedAt is null && SameKey(o.ExternalId, newExternalId)))
        {
            ZendeskErrors.Add(details, "external_id", "DuplicateValue", $"External ID: {newExternalId} has already been taken");
        }

        if (input["domain_names"] is JsonArray domains)
        {
            foreach (var domain in domains)
            {
                if (domain?.ToString() is not { } text || !DomainPattern().IsMatch(text))
                {
                    ZendeskErrors.Add(details, "domain_names", "InvalidValue", $"Domain names: {domain} is not a valid domain name");
                }
            }
        }

        if (input["organization_fields"] is JsonObject fields)
        {
            ValidateFields(_organizationFields, fields, details);
        }

        if (!force && externalId is not null && _rejections.TryGetValue(externalId, out var rejection))
        {
            ZendeskErrors.Add(details, rejection.Field, rejection.Error, rejection.Description);
        }
    }

    private static void ValidateFields(List<SimField> definitions, JsonObject values, JsonObject details)
    {
        foreach (var (key, value) in values)
        {
            var field = definitions.FirstOrDefault(f => f.Key == key);
            if (field is null)
            {
                ZendeskErrors.Add(details, "base", "InvalidValue", $"{key} is not a field of this account", key);
                continue;
            }

            if (value is null)
            {
                continue;
            }

            var ok = field.Type switch
            {
                "integer" => value is JsonValue v && v.TryGetValue<long>(out _),
                "decimal" => value is JsonValue v && v.TryGetValue<double>(out _),
                "checkbox" => value is JsonValue v && v.TryGetValue<bool>(out _),
                "date" => value is JsonValue v && v.TryGetValue<string>(out var date) && DateOnly.TryParseExact(date, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out _),
                _ => value is JsonValue,
            };
            if (!ok)
            {
                ZendeskErrors.Add(details, "base", "InvalidValue", $"{field.Title}: {value.ToJsonString()} is not a valid {field.Type} value", key);
            }
        }
    }

    private static void SetOrganization(SimOrganization organization, JsonObject input)
    {
        foreach (var (key, value) in input)
        {
            switch (key)
            {
                case "name":
                    organization.Name = value!.ToString().Trim();
                    break;
                case "external_id":
                    organization.ExternalId = value?.ToString() is { Length: > 0 } text ? text : null;
                    break;
                case "domain_names":
                    organization.DomainNames = value is JsonArray domains ? [.. domains.Select(d => d!.ToString())] : [];
                    break;
                case "details":
                    organization.Details = value?.ToString();
                    break;
                case "notes":
                    organization.Notes = value?.ToString();
                    break;
                case "group_id":
                    organization.GroupId = value is JsonValue g && g.TryGetValue<long>(out var group) ? group : null;
                    break;
                case "shared_tickets":
                    organization.SharedTickets = value is JsonValue t && t.TryGetValue<bool>(out var shared) && shared;
                    break;
                case "shared_comments":
                    organization.SharedComments = value is JsonValue c && c.TryGetValue<bool>(out var comments) && comments;
                    break;
                case "tags":
                    organization.Tags = value is JsonArray tags ? [.. tags.Select(t => t!.ToString().ToLowerInvariant()).Distinct()] : [];
                    break;
                case "organization_fields" when value is JsonObject fields:
                    foreach (var (fieldKey, fieldValue) in fields)
                    {
                        organization.Fields[fieldKey] = fieldValue?.DeepClone();
                    }

                    break;
            }
        }
    }

    private JsonObject RenderOrganization(SimOrganization organization) => organization.Render(_baseUrl, _organizationFields.Select(f => f.Key));

    private string OrganizationUrl(long id) => string.Create(CultureInfo.InvariantCulture, $"{_baseUrl}/api/v2/organizations/{id}.json");

    private static JsonObject? Body(SimulatorRequest request, string key) => request.ReadJson() is JsonObject body && body[key] is JsonObject inner ? inner : null;

    private static List<string> SplitList(string text) => [.. text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)];

    /// <summary>Cursor paging with <c>page[size]</c>/<c>page[after]</c>, or offset paging (<c>page</c>, <c>per_page</c>) without it.</summary>
    private SimulatorResponse Page(SimulatorRequest request, string key, List<JsonObject> items)
    {
        if (!request.Query.TryGetValue("page[size]", out var sizeText))
        {
            return OffsetPage(request, key, items);
        }

        var size = int.TryParse(sizeText, NumberStyles.None, CultureInfo.InvariantCulture, out var s) ? Math.Clamp(s, 1, 100) : 100;
        var start = 0;
        if (request.Query.TryGetValue("page[after]", out var after))
        {
            try
            {
                start = int.Parse(Encoding.UTF8.GetString(Convert.FromBase64String(after)), NumberStyles.None, CultureInfo.InvariantCulture);
            }
            catch (FormatException)
            {
                return ZendeskErrors.InvalidAttribute("page[after] is not a cursor this endpoint issued.");
            }
        }

        var slice = items.Skip(start).Take(size).ToList();
        var end = start + slice.Count;
        var hasMore = end < items.Count;
        var afterCursor = slice.Count == 0 ? null : Convert.ToBase64String(Encoding.UTF8.GetBytes(end.ToString(CultureInfo.InvariantCulture)));
        var path = request.Path;
        return SimulatorResponse.Json(new JsonObject
        {
            [key] = new JsonArray([.. slice]),
            ["meta"] = new JsonObject { ["has_more"] = hasMore, ["after_cursor"] = afterCursor, ["before_cursor"] = null },
            ["links"] = new JsonObject
            {
                ["next"] = hasMore ? $"{_baseUrl}{path}?page[size]={size}&page[after]={Uri.EscapeDataString(afterCursor!)}" : null,
                ["prev"] = null,
            },
        });
    }

    /// <summary>Offset paging: <c>per_page</c> up to 100, and a 400 past page 100 (the offset cap).</summary>
    private SimulatorResponse OffsetPage(SimulatorRequest request, string key, List<JsonObject> items, int maxPages = 100)
    {
        var perPage = request.Query.TryGetValue("per_page", out var p) && int.TryParse(p, NumberStyles.None, CultureInfo.InvariantCulture, out var pp) ? Math.Clamp(pp, 1, 100) : 100;
        var page = request.Query.TryGetValue("page", out var n) && int.TryParse(n, NumberStyles.None, CultureInfo.InvariantCulture, out var number) ? Math.Max(1, number) : 1;
        if (page > maxPages)
        {
            return maxPages == 100
                ? ZendeskErrors.InvalidAttribute("Offset pagination is limited to the first 100 pages (10,000 records); use cursor pagination.")
                : ZendeskErrors.InvalidValue("Search results are limited to the first 1000 results.");
        }

        var slice = items.Skip((page - 1) * perPage).Take(perPage).ToList();
        var more = page * perPage < items.Count && page < maxPages;
        return SimulatorResponse.Json(new JsonObject
        {
            [key] = new JsonArray([.. slice]),
            ["next_page"] = more ? string.Create(CultureInfo.InvariantCulture, $"{_baseUrl}{request.Path}?{Requery(request, page + 1, perPage)}") : null,
            ["previous_page"] = page > 1 ? string.Create(CultureInfo.InvariantCulture, $"{_baseUrl}{request.Path}?{Requery(request, page - 1, perPage)}") : null,
            ["count"] = items.Count,
        });
    }

    private static string Requery(SimulatorRequest request, int page, int perPage)
    {
        var parts = request.Query.Where(q => q.Key is not "page" and not "per_page").Select(q => $"{Uri.EscapeDataString(q.Key)}={Uri.EscapeDataString(q.Value)}").ToList();
        parts.Add(string.Create(CultureInfo.InvariantCulture, $"page={page}"));
        parts.Add(string.Create(CultureInfo.InvariantCulture, $"per_page={perPage}"));
        return string.Join('&', parts);
    }

    /// <summary>
    /// <c>GET /api/v2/search?query=…</c>: <c>type:organization</c> or <c>type:user</c> and <c>key:value</c> terms, all of
    /// which must hold (values may be quoted). Organization keys: <c>name</c>, <c>external_id</c>, <c>domain_names</c>,
    /// <c>tags</c> and any organization field key; user keys: <c>email</c>, <c>external_id</c>, <c>name</c>,
    /// <c>organization_id</c>. At most 1,000 results, 100 a page; past page 10 is a 422.
    /// </summary>
    private SimulatorResponse Search(SimulatorRequest request)
    {
        if (!request.Query.TryGetValue("query", out var query) || string.IsNullOrWhiteSpace(query))
        {
            return ZendeskErrors.InvalidAttribute("query is required.");
        }

        var terms = SearchTerm().Matches(query).Select(m => (Key: m.Groups["key"].Value.ToLowerInvariant(), Value: m.Groups["quoted"].Success ? m.Groups["quoted"].Value : m.Groups["bare"].Value)).ToList();
        var type = terms.FirstOrDefault(t => t.Key == "type").Value;
        var filters = terms.Where(t => t.Key != "type").ToList();
        var results = new List<JsonObject>();
        if (type is null or "organization")
        {
            foreach (var org in _organizations.Values.Where(o => o.DeletedAt is null).OrderBy(o => o.Id))
            {
                if (filters.All(f => OrganizationMatches(org, f.Key, f.Value)))
                {
                    var json = RenderOrganization(org);
                    json["result_type"] = "organization";
                    results.Add(json);
                }
            }
        }

        if (type is null or "user")
        {
            foreach (var user in _users.Values.Where(u => u.Active).OrderBy(u => u.Id))
            {
                if (filters.All(f => UserMatches(user, f.Key, f.Value)))
                {
                    var json = RenderUser(user);
                    json["result_type"] = "user";
                    results.Add(json);
                }
            }
        }

        return OffsetPage(request, "results", [.. results.Take(1000)], maxPages: 10);
    }

    private static bool OrganizationMatches(SimOrganization organization, string key, string value) => key switch
    {
        "name" => string.Equals(organization.Name, value, StringComparison.OrdinalIgnoreCase),
        "external_id" => SameKey(organization.ExternalId, value),
        "domain_names" => organization.DomainNames.Any(d => string.Equals(d, value, StringComparison.OrdinalIgnoreCase)),
        "tags" => organization.Tags.Contains(value.ToLowerInvariant()),
        _ => organization.Fields.TryGetValue(key, out var field) && field is JsonValue v && string.Equals(v.TryGetValue<string>(out var s) ? s : v.ToJsonString(), value, StringComparison.OrdinalIgnoreCase),
    };

    [GeneratedRegex(@"^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex DomainPattern();

    [GeneratedRegex(@"(?<key>[A-Za-z_][A-Za-z0-9_]*):(?:""(?<quoted>[^""]*)""|(?<bare>\S+))", RegexOptions.CultureInvariant)]
    private static partial Regex SearchTerm();
}
