using System.Globalization;
using System.Text.Json.Nodes;

namespace Concord.Testing.Zendesk.Internal;

/// <summary>How the simulated account writes timestamps: ISO 8601 UTC to the second (<c>2024-05-01T10:00:00Z</c>).</summary>
internal static class SimTime
{
    public static DateTimeOffset Truncate(DateTimeOffset time) => new(time.UtcTicks - (time.UtcTicks % TimeSpan.TicksPerSecond), TimeSpan.Zero);

    public static string Format(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    public static long Unix(DateTimeOffset time) => time.ToUnixTimeSeconds();
}

internal sealed class SimOrganization
{
    public long Id { get; init; }

    public string Name { get; set; } = string.Empty;

    public string? ExternalId { get; set; }

    public List<string> DomainNames { get; set; } = [];

    public string? Details { get; set; }

    public string? Notes { get; set; }

    public long? GroupId { get; set; }

    public bool SharedTickets { get; set; }

    public bool SharedComments { get; set; }

    public List<string> Tags { get; set; } = [];

    public Dictionary<string, JsonNode?> Fields { get; } = new(StringComparer.Ordinal);

    public DateTimeOffset CreatedAt { get; init; }

    public DateTimeOffset UpdatedAt { get; set; }

    public DateTimeOffset? DeletedAt { get; set; }

    /// <summary>Write times of updates by id, for the per-organization limit.</summary>
    public Queue<DateTimeOffset> RecentUpdates { get; } = new();

    public JsonObject Render(string baseUrl, IEnumerable<string> fieldKeys, bool withDeletedAt = false)
    {
        var fields = new JsonObject();
        foreach (var key in fieldKeys)
        {
            fields[key] = Fields.TryGetValue(key, out var value) ? value?.DeepClone() : null;
        }

        var json = new JsonObject
        {
            ["url"] = string.Create(CultureInfo.InvariantCulture, $"{baseUrl}/api/v2/organizations/{Id}.json"),
            ["id"] = Id,
            ["name"] = Name,
            ["shared_tickets"] = SharedTickets,
            ["shared_comments"] = SharedComments,
            ["external_id"] = ExternalId,
            ["created_at"] = SimTime.Format(CreatedAt),
            ["updated_at"] = SimTime.Format(UpdatedAt),
            ["domain_names"] = new JsonArray([.. DomainNames.Select(d => (JsonNode?)d)]),
            ["details"] = Details,
            ["notes"] = Notes,
            ["group_id"] = GroupId,
            ["tags"] = new JsonArray([.. Tags.Select(t => (JsonNode?)t)]),
            ["organization_fields"] = fields,
        };
        if (withDeletedAt)
        {
            json["deleted_at"] = DeletedAt is { } deleted ? SimTime.Format(deleted) : null;
        }

        return json;
    }
}

internal sealed class SimUser
{
    public long Id { get; init; }

    public string Name { get; set; } = string.Empty;

    public string? ExternalId { get; set; }

    public string? Phone { get; set; }

    public string Role { get; set; } = "end-user";

    public long? OrganizationId { get; set; }

    public List<string> Tags { get; set; } = [];

    public Dictionary<string, JsonNode?> Fields { get; } = new(StringComparer.Ordinal);

    public string? Details { get; set; }

    public string? Notes { get; set; }

    public string? Locale { get; set; }

    public string? TimeZone { get; set; }

    public bool Active { get; set; } = true;

    public bool Suspended { get; set; }

    public bool Shared { get; set; }

    public bool Verified { get; set; }

    public int VerificationEmails { get; set; }

    public long? MergedInto { get; set; }

    public DateTimeOffset CreatedAt { get; init; }

    public DateTimeOffset UpdatedAt { get; set; }

    public Queue<DateTimeOffset> RecentUpdates { get; } = new();

    public JsonObject Render(string baseUrl, string? primaryEmail, IEnumerable<string> fieldKeys)
    {
        var fields = new JsonObject();
        foreach (var key in fieldKeys)
        {
            fields[key] = Fields.TryGetValue(key, out var value) ? value?.DeepClone() : null;
        }

        return new JsonObject
        {
            ["id"] = Id,
            ["url"] = string.Create(CultureInfo.InvariantCulture, $"{baseUrl}/api/v2/users/{Id}.json"),
            ["name"] = Name,
            ["email"] = primaryEmail,
            ["created_at"] = SimTime.Format(CreatedAt),
            ["updated_at"] = SimTime.Format(UpdatedAt),
            ["time_zone"] = TimeZone ?? "UTC",
            ["iana_time_zone"] = TimeZone ?? "Etc/UTC",
            ["phone"] = Phone,
            ["shared_phone_number"] = Phone is null ? null : false,
            ["locale"] = Locale ?? "en-US",
            ["organization_id"] = OrganizationId,
            ["role"] = Role,
            ["verified"] = Verified,
            ["external_id"] = ExternalId,
            ["tags"] = new JsonArray([.. Tags.Select(t => (JsonNode?)t)]),
            ["details"] = Details,
            ["notes"] = Notes,
            ["active"] = Active,
            ["shared"] = Shared,
            ["suspended"] = Suspended,
            ["user_fields"] = fields,
        };
    }
}

internal sealed class SimIdentity
{
    public long Id { get; init; }

    public long UserId { get; set; }

    public string Type { get; init; } = "email";

    public string Value { get; set; } = string.Empty;

    public bool Verified { get; set; }

    public bool Primary { get; set; }

    public DateTimeOffset CreatedAt { get; init; }

    public DateTimeOffset UpdatedAt { get; set; }

    public JsonObject Render(string baseUrl) => new()
    {
        ["url"] = string.Create(CultureInfo.InvariantCulture, $"{baseUrl}/api/v2/users/{UserId}/identities/{Id}.json"),
        ["id"] = Id,
        ["user_id"] = UserId,
        ["type"] = Type,
        ["value"] = Value,
        ["verified"] = Verified,
        ["primary"] = Primary,
        ["created_at"] = SimTime.Format(CreatedAt),
        ["updated_at"] = SimTime.Format(UpdatedAt),
    };
}

internal sealed class SimMembership
{
    public long Id { get; init; }

    public long UserId { get; init; }

    public long OrganizationId { get; init; }

    public bool Default { get; set; }

    public DateTimeOffset CreatedAt { get; init; }

    public JsonObject Render(string baseUrl) => new()
    {
        ["url"] = string.Create(CultureInfo.InvariantCulture, $"{baseUrl}/api/v2/organization_memberships/{Id}.json"),
        ["id"] = Id,
        ["user_id"] = UserId,
        ["organization_id"] = OrganizationId,
        ["default"] = Default,
        ["created_at"] = SimTime.Format(CreatedAt),
        ["updated_at"] = SimTime.Format(CreatedAt),
    };
}

internal sealed class SimField
{
    public long Id { get; init; }

    public string Key { get; init; } = string.Empty;

    public string Type { get; init; } = "text";

    public string Title { get; init; } = string.Empty;

    public JsonObject Render(string baseUrl, string resource) => new()
    {
        ["url"] = string.Create(CultureInfo.InvariantCulture, $"{baseUrl}/api/v2/{resource}/{Id}.json"),
        ["id"] = Id,
        ["key"] = Key,
        ["type"] = Type,
        ["title"] = Title,
        ["active"] = true,
    };
}

/// <summary>What a job does when it runs: the endpoint it came from and the items it carries.</summary>
internal enum SimJobKind
{
    CreateOrganizations,
    UpdateOrganizations,
    CreateUsers,
    CreateOrUpdateUsers,
    UpdateUsers,
    CreateMemberships,
}

internal sealed class SimJob
{
    public required string Id { get; init; }

    public required SimJobKind Kind { get; init; }

    public required string JobType { get; init; }

    public required List<JsonObject> Items { get; init; }

    /// <summary>For <c>update_many?ids=</c> with one <c>organization</c>: the ids, by position of <see cref="Items"/>.</summary>
    public List<long>? TargetIds { get; init; }

    public required DateTimeOffset CreatedAt { get; init; }

    public string Status { get; set; } = "queued";

    public int Progress { get; set; }

    public string? Message { get; set; }

    public JsonArray? Results { get; set; }

    public DateTimeOffset? FinishedAt { get; set; }

    public bool IsRunning => Status is "queued" or "working";

    public JsonObject Render(string baseUrl) => new()
    {
        ["id"] = Id,
        ["url"] = $"{baseUrl}/api/v2/job_statuses/{Id}.json",
        ["job_type"] = JobType,
        ["total"] = Items.Count,
        ["progress"] = Progress,
        ["status"] = Status,
        ["message"] = Message,
        ["results"] = Results?.DeepClone(),
    };
}
