using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Concord.Testing.Zendesk.Internal;

namespace Concord.Testing.Zendesk;

public sealed partial class ZendeskSimulator
{
    private SimulatorResponse ShowUser(SimUser user) => Wrap("user", RenderUser(user));

    private SimulatorResponse ShowManyUsers(SimulatorRequest request)
    {
        IEnumerable<SimUser> found;
        if (request.Query.TryGetValue("ids", out var ids))
        {
            var list = SplitList(ids);
            if (list.Count > 100)
            {
                return ZendeskErrors.InvalidAttribute("Too many ids: show_many takes at most 100.");
            }

            found = list.Select(id => long.TryParse(id, NumberStyles.None, CultureInfo.InvariantCulture, out var key) ? _users.GetValueOrDefault(key) : null).OfType<SimUser>();
        }
        else if (request.Query.TryGetValue("external_ids", out var externalIds))
        {
            var list = SplitList(externalIds);
            if (list.Count > 100)
            {
                return ZendeskErrors.InvalidAttribute("Too many external_ids: show_many takes at most 100.");
            }

            found = _users.Values.Where(u => u.Active && list.Any(x => SameKey(u.ExternalId, x))).OrderBy(u => u.Id);
        }
        else
        {
            return ZendeskErrors.InvalidAttribute("show_many needs ids or external_ids.");
        }

        return Wrap("users", new JsonArray([.. found.Select(RenderUser)]));
    }

    /// <summary><c>users/search?external_id=X</c> (exact, case-insensitive) or <c>?query=email:a@b.c</c>; offset paging only.</summary>
    private SimulatorResponse SearchUsers(SimulatorRequest request)
    {
        IEnumerable<SimUser> matches;
        if (request.Query.TryGetValue("external_id", out var externalId))
        {
            matches = _users.Values.Where(u => u.Active && SameKey(u.ExternalId, externalId));
        }
        else if (request.Query.TryGetValue("query", out var query))
        {
            var terms = SearchTerm().Matches(query).Select(m => (Key: m.Groups["key"].Value.ToLowerInvariant(), Value: m.Groups["quoted"].Success ? m.Groups["quoted"].Value : m.Groups["bare"].Value)).ToList();
            if (terms.Count == 0)
            {
                var text = query.Trim();
                matches = _users.Values.Where(u => u.Active && (UserMatches(u, "email", text) || u.Name.Contains(text, StringComparison.OrdinalIgnoreCase)));
            }
            else
            {
                matches = _users.Values.Where(u => u.Active && terms.All(t => UserMatches(u, t.Key, t.Value)));
            }
        }
        else
        {
            return ZendeskErrors.InvalidAttribute("Search users by external_id or query.");
        }

        return OffsetPage(request, "users", [.. matches.OrderBy(u => u.Id).Select(RenderUser)]);
    }

    private bool UserMatches(SimUser user, string key, string value) => key switch
    {
        "email" => _identities.Any(i => i.UserId == user.Id && i.Type == "email" && string.Equals(i.Value, value, StringComparison.OrdinalIgnoreCase)),
        "external_id" => SameKey(user.ExternalId, value),
        "name" => string.Equals(user.Name, value, StringComparison.OrdinalIgnoreCase),
        "organization_id" => user.OrganizationId?.ToString(CultureInfo.InvariantCulture) == value,
        "role" => string.Equals(user.Role, value, StringComparison.OrdinalIgnoreCase),
        _ => user.Fields.TryGetValue(key, out var field) && field is JsonValue v && string.Equals(v.TryGetValue<string>(out var s) ? s : v.ToJsonString(), value, StringComparison.OrdinalIgnoreCase),
    };

    private SimulatorResponse CreateUser(SimulatorRequest request, DateTimeOffset now)
    {
        if (Body(request, "user") is not { } input)
        {
            return ZendeskErrors.InvalidAttribute("The body needs a 'user' object.");
        }

        var details = new JsonObject();
        var created = CreateUserRecord(input, details, now);
        return created is null ? ZendeskErrors.RecordInvalid(details) : Wrap("user", RenderUser(created), 201);
    }

    private SimulatorResponse CreateOrUpdateUser(SimulatorRequest request, DateTimeOffset now)
    {
        if (Body(request, "user") is not { } input)
        {
            return ZendeskErrors.InvalidAttribute("The body needs a 'user' object.");
        }

        if (UserWriteLimit(now) is { } throttled)
        {
            return throttled;
        }

        var details = new JsonObject();
        var existing = MatchUser(input, details);
        if (details.Count > 0)
        {
            return ZendeskErrors.RecordInvalid(details);
        }

        if (existing is null)
        {
            var created = CreateUserRecord(input, details, now);
            return created is null ? ZendeskErrors.RecordInvalid(details) : Wrap("user", RenderUser(created), 201);
        }

        if (existing.Shared)
        {
            return ZendeskErrors.Forbidden("Shared users cannot be updated.");
        }

        if (PerRecordLimit(existing.RecentUpdates, now) is { } perUser)
        {
            return perUser;
        }

        return ApplyUser(existing, input, details, now, creating: false) ? Wrap("user", RenderUser(existing)) : ZendeskErrors.RecordInvalid(details);
    }

    private SimulatorResponse UpdateUser(SimulatorRequest request, SimUser user, DateTimeOffset now)
    {
        if (Body(request, "user") is not { } input)
        {
            return ZendeskErrors.InvalidAttribute("The body needs a 'user' object.");
        }

        if (user.Shared)
        {
            return ZendeskErrors.Forbidden("Shared users cannot be updated.");
        }

        if (UserWriteLimit(now) is { } throttled)
        {
            return throttled;
        }

        if (PerRecordLimit(user.RecentUpdates, now) is { } perUser)
        {
            return perUser;
        }

        var details = new JsonObject();
        return ApplyUser(user, input, details, now, creating: false) ? Wrap("user", RenderUser(user)) : ZendeskErrors.RecordInvalid(details);
    }

    private SimulatorResponse? UserWriteLimit(DateTimeOffset now)
    {
        if (!_options.EnforcePerRecordLimits || _userWrites.TryTake(Clock(), 1, out var wait))
        {
            return null;
        }

        _throttled++;
        return ZendeskErrors.TooManyRequests(wait, "Number of allowed user updates per second exceeded");
    }

    private SimulatorResponse DeleteUserCall(SimUser user, DateTimeOffset now)
    {
        user.Active = false;
        user.UpdatedAt = now;
        return Wrap("user", RenderUser(user));
    }

    private SimulatorResponse MergeUserCall(SimulatorRequest request, SimUser loser, DateTimeOffset now)
    {
        if (Body(request, "user") is not { } input || input["id"] is not JsonValue idValue || !idValue.TryGetValue<long>(out var winnerId) || !_users.TryGetValue(winnerId, out var winner))
        {
            return ZendeskErrors.InvalidAttribute("The body needs 'user' with the id of the user to merge into.");
        }

        if (loser.Role != "end-user" || winner.Role != "end-user")
        {
            return ZendeskErrors.Forbidden("Only end users can be merged.");
        }

        Merge(loser, winner, now);
        return Wrap("user", RenderUser(winner));
    }

    private void Merge(SimUser loser, SimUser winner, DateTimeOffset now)
    {
        foreach (var identity in _identities.Where(i => i.UserId == loser.Id))
        {
            identity.UserId = winner.Id;
            identity.Primary = false;
            identity.UpdatedAt = now;
        }

        // The loser keeps organization_id (the export shows where it was), but leaves every member list.
        _memberships.RemoveAll(m => m.UserId == loser.Id);
        loser.Active = false;
        loser.MergedInto = winner.Id;
        loser.UpdatedAt = now;
        winner.UpdatedAt = now;
    }

    private SimulatorResponse ListIdentities(SimUser user) =>
        Wrap("identities", new JsonArray([.. _identities.Where(i => i.UserId == user.Id).OrderBy(i => i.Id).Select(i => i.Render(_baseUrl))]));

    private SimulatorResponse CreateIdentity(SimulatorRequest request, SimUser user, DateTimeOffset now)
    {
        if (Body(request, "identity") is not { } input || input["type"]?.ToString() is not { } type || input["value"]?.ToString() is not { } value)
        {
            return ZendeskErrors.InvalidAttribute("The body needs an 'identity' with type and value.");
        }

        var details = new JsonObject();
        if (type == "email")
        {
            if (!EmailPattern().IsMatch(value))
            {
                ZendeskErrors.Add(details, "value", "InvalidValue", $"Value: {value} is not properly formatted");
            }
            else if (_identities.Any(i => i.Type == "email" && string.Equals(i.Value, value, StringComparison.OrdinalIgnoreCase)))
            {
                ZendeskErrors.Add(details, "value", "DuplicateValue", $"Value: {value} is already being used by another user");
            }
        }

        if (details.Count > 0)
        {
            return ZendeskErrors.RecordInvalid(details);
        }

        var verified = input["verified"] is JsonValue v && v.TryGetValue<bool>(out var flag) && flag;
        var identity = new SimIdentity { Id = ++_nextIdentityId, UserId = user.Id, Type = type, Value = value, Verified = verified, CreatedAt = now, UpdatedAt = now };
        _identities.Add(identity);
        if (type == "email" && !verified && !(input["skip_verify_email"] is JsonValue s && s.TryGetValue<bool>(out var skip) && skip))
        {
            user.VerificationEmails++;
        }

        user.UpdatedAt = now;
        return Wrap("identity", identity.Render(_baseUrl), 201);
    }

    private SimulatorResponse MakePrimary(SimUser user, string identityId, DateTimeOffset now)
    {
        var identity = long.TryParse(identityId, NumberStyles.None, CultureInfo.InvariantCulture, out var id) ? _identities.FirstOrDefault(i => i.Id == id && i.UserId == user.Id) : null;
        if (identity is null)
        {
            return ZendeskErrors.RecordNotFound();
        }

        foreach (var other in _identities.Where(i => i.UserId == user.Id && i.Type == identity.Type))
        {
            other.Primary = other == identity;
        }

        user.UpdatedAt = now;
        return Wrap("identities", new JsonArray([.. _identities.Where(i => i.UserId == user.Id).OrderBy(i => i.Id).Select(i => i.Render(_baseUrl))]));
    }

    private SimulatorResponse ListMemberships(SimulatorRequest request, long? userId, long? organizationId) =>
        Page(request, "organization_memberships", [.. _memberships
            .Where(m => (userId is null || m.UserId == userId) && (organizationId is null || m.OrganizationId == organizationId))
            .OrderBy(m => m.Id)
            .Select(m => m.Render(_baseUrl))]);

    private SimulatorResponse CreateMembership(SimulatorRequest request, DateTimeOffset now)
    {
        if (Body(request, "organization_membership") is not { } input)
        {
            return ZendeskErrors.InvalidAttribute("The body needs an 'organization_membership'.");
        }

        var details = new JsonObject();
        var membership = CreateMembershipRecord(input, details, now);
        return membership is null ? ZendeskErrors.RecordInvalid(details) : Wrap("organization_membership", membership.Render(_baseUrl), 201);
    }

    private SimMembership? CreateMembershipRecord(JsonObject input, JsonObject details, DateTimeOffset now)
    {
        var userId = input["user_id"] is JsonValue u && u.TryGetValue<long>(out var uid) ? uid : 0;
        var organizationId = input["organization_id"] is JsonValue o && o.TryGetValue<long>(out var oid) ? oid : 0;
        if (!_users.TryGetValue(userId, out var user) || !user.Active)
        {
            ZendeskErrors.Add(details, "user_id", "InvalidValue", "User: is invalid");
        }

        if (!_organizations.TryGetValue(organizationId, out var organization) || organization.DeletedAt is not null)
        {
            ZendeskErrors.Add(details, "organization_id", "InvalidValue", "Organization: is invalid");
        }

        if (details.Count == 0 && _memberships.Any(m => m.UserId == userId && m.OrganizationId == organizationId))
        {
            ZendeskErrors.Add(details, "user_id", "DuplicateValue", "User: is already a member of this organization");
        }

        if (details.Count > 0)
        {
            return null;
        }

        var membership = new SimMembership { Id = ++_nextMembershipId, UserId = userId, OrganizationId = organizationId, Default = user!.OrganizationId is null, CreatedAt = now };
        _memberships.Add(membership);
        user.OrganizationId ??= organizationId;
        user.UpdatedAt = now;
        return membership;
    }

    private SimulatorResponse DeleteMembership(string id)
    {
        var membership = long.TryParse(id, NumberStyles.None, CultureInfo.InvariantCulture, out var key) ? _memberships.FirstOrDefault(m => m.Id == key) : null;
        if (membership is null)
        {
            return ZendeskErrors.RecordNotFound();
        }

        _memberships.Remove(membership);
        if (_users.TryGetValue(membership.UserId, out var user) && user.OrganizationId == membership.OrganizationId)
        {
            user.OrganizationId = _memberships.FirstOrDefault(m => m.UserId == user.Id)?.OrganizationId;
            user.UpdatedAt = Now();
        }

        return SimulatorResponse.Status(204);
    }

    private SimulatorResponse ListFields(List<SimField> fields, string resource) =>
        Wrap(resource, new JsonArray([.. fields.Select(f => f.Render(_baseUrl, resource))]));

    private SimulatorResponse CreateField(SimulatorRequest request, List<SimField> fields, string resource, string key)
    {
        if (Body(request, key) is not { } input || input["key"]?.ToString() is not { Length: > 0 } fieldKey)
        {
            return ZendeskErrors.InvalidAttribute($"The body needs a '{key}' with a key.");
        }

        if (fields.Any(f => f.Key == fieldKey))
        {
            var details = new JsonObject();
            ZendeskErrors.Add(details, "key", "DuplicateValue", $"Key: {fieldKey} has already been taken");
            return ZendeskErrors.RecordInvalid(details);
        }

        var field = new SimField { Id = ++_nextFieldId, Key = fieldKey, Type = input["type"]?.ToString() ?? "text", Title = input["title"]?.ToString() ?? fieldKey };
        fields.Add(field);
        return Wrap(key, field.Render(_baseUrl, resource), 201);
    }

    /// <summary>
    /// Create-or-update matching: by <c>external_id</c> (case-insensitive) or by <c>email</c>. Two different users for the
    /// two keys, or an email whose user has another external id, is refused as a duplicate email (which key would win is
    /// not documented).
    /// </summary>
    private SimUser? MatchUser(JsonObject input, JsonObject details)
    {
        var externalId = input["external_id"]?.ToString();
        var email = input["email"]?.ToString();
        var byExternalId = string.IsNullOrEmpty(externalId) ? null : _users.Values.FirstOrDefault(u => u.Active && SameKey(u.ExternalId, externalId));
        var byEmail = string.IsNullOrEmpty(email) ? null : UserWithEmail(email);
        if (byEmail is not null && byExternalId is not null && byEmail != byExternalId)
        {
            ZendeskErrors.Add(details, "email", "DuplicateValue", $"Email: {email} is already being used by another user");
            return null;
        }

        if (byExternalId is null && byEmail is not null && byEmail.ExternalId is not null && !string.IsNullOrEmpty(externalId) && !SameKey(byEmail.ExternalId, externalId))
        {
            ZendeskErrors.Add(details, "email", "DuplicateValue", $"Email: {email} is already being used by another user");
            return null;
        }

        return byExternalId ?? byEmail;
    }

    private SimUser? UserWithEmail(string email) =>
        _identities.FirstOrDefault(i => i.Type == "email" && string.Equals(i.Value, email, StringComparison.OrdinalIgnoreCase)) is { } identity
        && _users.TryGetValue(identity.UserId, out var user) && user.Active ? user : null;

    private SimUser? CreateUserRecord(JsonObject input, JsonObject details, DateTimeOffset now)
    {
        ValidateUser(null, input, details);
        if (details.Count > 0)
        {
            return null;
        }

        var verified = input["verified"] is JsonValue v && v.TryGetValue<bool>(out var flag) && flag;
        var user = new SimUser { Id = ++_nextUserId, CreatedAt = now, UpdatedAt = now, Verified = verified };
        _users[user.Id] = user;
        SetUser(user, input, now, creating: true);
        return user;
    }

    private bool ApplyUser(SimUser user, JsonObject input, JsonObject details, DateTimeOffset now, bool creating)
    {
        ValidateUser(user, input, details);
        if (details.Count > 0)
        {
            return false;
        }

        var before = RenderUser(user).ToJsonString() + string.Join(',', _memberships.Where(m => m.UserId == user.Id).Select(m => m.OrganizationId));
        SetUser(user, input, now, creating);
        if (RenderUser(user).ToJsonString() + string.Join(',', _memberships.Where(m => m.UserId == user.Id).Select(m => m.OrganizationId)) != before)
        {
            user.UpdatedAt = now;
        }

        return true;
    }

    private void ValidateUser(SimUser? target, JsonObject input, JsonObject details)
    {
        if (input.TryGetPropertyValue("name", out var nameNode) || target is null)
        {
            if (string.IsNullOrWhiteSpace(nameNode?.ToString()))
            {
                ZendeskErrors.Add(details, "name", "BlankValue", "Name: cannot be blank");
            }
        }

        if (input["email"]?.ToString() is { Length: > 0 } email)
        {
            if (!EmailPattern().IsMatch(email))
            {
                ZendeskErrors.Add(details, "email", "InvalidValue", $"Email: {email} is not properly formatted");
            }
            else if (UserWithEmail(email) is { } owner && owner != target)
            {
                ZendeskErrors.Add(details, "email", "DuplicateValue", $"Email: {email} is already being used by another user");
            }
        }

        var externalId = input.TryGetPropertyValue("external_id", out var externalNode) ? externalNode?.ToString() : target?.ExternalId;
        if (externalNode?.ToString() is { Length: > 0 } newExternalId && _users.Values.Any(u => u != target && u.Active && SameKey(u.ExternalId, newExternalId)))
        {
            ZendeskErrors.Add(details, "external_id", "DuplicateValue", $"External ID: {newExternalId} has already been taken");
        }

        if (input["role"]?.ToString() is { } role && role is not ("end-user" or "agent" or "admin"))
        {
            ZendeskErrors.Add(details, "role", "InvalidValue", $"Role: {role} is not a valid role");
        }

        if (input.TryGetPropertyValue("organization_id", out var orgNode) && orgNode is not null
            && !(orgNode is JsonValue ov && ov.TryGetValue<long>(out var orgId) && _organizations.TryGetValue(orgId, out var org) && org.DeletedAt is null))
        {
            ZendeskErrors.Add(details, "organization_id", "InvalidValue", "Organization: is invalid");
        }

        if (input["organization"] is JsonObject named && !_organizations.Values.Any(o => o.DeletedAt is null && string.Equals(o.Name, named["name"]?.ToString()?.Trim(), StringComparison.OrdinalIgnoreCase)))
        {
            ZendeskErrors.Add(details, "organization", "InvalidValue", "Organization: is invalid");
        }

        if (input["locale"]?.ToString() is { } locale && !LocalePattern().IsMatch(locale))
        {
            ZendeskErrors.Add(details, "locale", "InvalidValue", $"Locale: {locale} is not a supported locale");
        }

        if (input["user_fields"] is JsonObject fields)
        {
            ValidateFields(_userFields, fields, details);
        }

        if (externalId is not null && _rejections.TryGetValue(externalId, out var rejection))
        {
            ZendeskErrors.Add(details, rejection.Field, rejection.Error, rejection.Description);
        }
    }

    private void SetUser(SimUser user, JsonObject input, DateTimeOffset now, bool creating)
    {
        foreach (var (key, value) in input)
        {
            switch (key)
            {
                case "name":
                    user.Name = value!.ToString();
                    break;
                case "external_id":
                    // A hit by external id rewrites the stored value to the case sent.
                    user.ExternalId = value?.ToString() is { Length: > 0 } text ? text : null;
                    break;
                case "email" when value?.ToString() is { Length: > 0 } email:
                    if (!_identities.Any(i => i.UserId == user.Id && i.Type == "email" && string.Equals(i.Value, email, StringComparison.OrdinalIgnoreCase)))
                    {
                        // Writable only on create: on update it adds a secondary identity.
                        var primary = creating || PrimaryEmail(user) is null;
                        AddIdentity(user, email, primary, verified: creating && user.Verified, now);
                        var skip = input["skip_verify_email"] is JsonValue s && s.TryGetValue<bool>(out var flag) && flag;
                        if (!skip && !(creating && user.Verified))
                        {
                            user.VerificationEmails++;
                        }
                    }

                    break;
                case "phone":
                    user.Phone = value?.ToString();
                    break;
                case "role":
                    user.Role = value?.ToString() ?? "end-user";
                    break;
                case "organization_id":
                    if (value is JsonValue v && v.TryGetValue<long>(out var orgId))
                    {
                        SetDefaultOrganization(user, orgId, now);
                    }
                    else
                    {
                        _memberships.RemoveAll(m => m.UserId == user.Id);
                        user.OrganizationId = null;
                    }

                    break;
                case "organization" when value is JsonObject named:
                    var org = _organizations.Values.First(o => o.DeletedAt is null && string.Equals(o.Name, named["name"]?.ToString()?.Trim(), StringComparison.OrdinalIgnoreCase));
                    SetDefaultOrganization(user, org.Id, now);
                    break;
                case "tags":
                    user.Tags = value is JsonArray tags ? [.. tags.Select(t => t!.ToString().ToLowerInvariant()).Distinct()] : [];
                    break;
                case "details":
                    user.Details = value?.ToString();
                    break;
                case "notes":
                    user.Notes = value?.ToString();
                    break;
                case "locale":
                    user.Locale = value?.ToString();
                    break;
                case "time_zone":
                    user.TimeZone = value?.ToString();
                    break;
                case "suspended":
                    user.Suspended = value is JsonValue sv && sv.TryGetValue<bool>(out var suspended) && suspended;
                    break;
                case "user_fields" when value is JsonObject fields:
                    foreach (var (fieldKey, fieldValue) in fields)
                    {
                        user.Fields[fieldKey] = fieldValue?.DeepClone();
                    }

                    break;
            }
        }
    }

    private void SetDefaultOrganization(SimUser user, long organizationId, DateTimeOffset now)
    {
        // Writing organization_id makes it the default and removes every other membership.
        _memberships.RemoveAll(m => m.UserId == user.Id && m.OrganizationId != organizationId);
        var membership = _memberships.FirstOrDefault(m => m.UserId == user.Id);
        if (membership is null)
        {
            _memberships.Add(new SimMembership { Id = ++_nextMembershipId, UserId = user.Id, OrganizationId = organizationId, Default = true, CreatedAt = now });
        }
        else
        {
            membership.Default = true;
        }

        user.OrganizationId = organizationId;
    }

    private void AddIdentity(SimUser user, string email, bool primary, bool verified, DateTimeOffset now)
    {
        if (primary)
        {
            foreach (var other in _identities.Where(i => i.UserId == user.Id && i.Type == "email"))
            {
                other.Primary = false;
            }
        }

        _identities.Add(new SimIdentity { Id = ++_nextIdentityId, UserId = user.Id, Type = "email", Value = email, Primary = primary, Verified = verified, CreatedAt = now, UpdatedAt = now });
    }

    private string? PrimaryEmail(SimUser user) =>
        _identities.Where(i => i.UserId == user.Id && i.Type == "email").OrderByDescending(i => i.Primary).ThenBy(i => i.Id).FirstOrDefault()?.Value;

    private JsonObject RenderUser(SimUser user) => user.Render(_baseUrl, PrimaryEmail(user), _userFields.Select(f => f.Key));

    [GeneratedRegex(@"^[^@\s]+@[^@\s]+\.[^@\s]+$", RegexOptions.CultureInvariant)]
    private static partial Regex EmailPattern();

    [GeneratedRegex(@"^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$", RegexOptions.CultureInvariant)]
    private static partial Regex LocalePattern();
}
