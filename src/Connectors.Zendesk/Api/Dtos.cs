using System.Text.Json;
using System.Text.Json.Serialization;

namespace Concord.Connectors.Zendesk.Api;

// Zendesk payloads as the connector reads and writes them (snake_case through ZendeskJsonContext). Read types tolerate
// unknown members; write types send every value the connector carries, null included, so a cleared value is cleared.

internal sealed class OrganizationDto
{
    public long Id { get; set; }

    public string? Name { get; set; }

    public string? ExternalId { get; set; }

    public List<string>? DomainNames { get; set; }

    public string? Details { get; set; }

    public string? Notes { get; set; }

    public List<string>? Tags { get; set; }

    public Dictionary<string, JsonElement>? OrganizationFields { get; set; }

    public DateTimeOffset? CreatedAt { get; set; }

    public DateTimeOffset? UpdatedAt { get; set; }

    public DateTimeOffset? DeletedAt { get; set; }
}

/// <summary>One organization as the connector writes it: every carried value, null meaning cleared.</summary>
internal sealed class OrganizationWrite
{
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public long? Id { get; set; }

    public required string Name { get; set; }

    public required string ExternalId { get; set; }

    public required List<string> DomainNames { get; set; }

    /// <summary>The address text when the address goes to <c>details</c> (empty clears it); null leaves <c>details</c> alone.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Details { get; set; }

    public string? Notes { get; set; }

    public required List<string> Tags { get; set; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public Dictionary<string, string?>? OrganizationFields { get; set; }
}

internal sealed class OrganizationEnvelope
{
    public OrganizationDto? Organization { get; set; }
}

internal sealed class OrganizationWriteEnvelope
{
    public required OrganizationWrite Organization { get; set; }
}

internal sealed class OrganizationsWriteEnvelope
{
    public required List<OrganizationWrite> Organizations { get; set; }
}

internal sealed class OrganizationsEnvelope
{
    public List<OrganizationDto>? Organizations { get; set; }

    public string? NextPage { get; set; }
}

internal sealed class UserDto
{
    public long Id { get; set; }

    public string? Name { get; set; }

    public string? Email { get; set; }

    public string? Phone { get; set; }

    public string? Role { get; set; }

    public long? OrganizationId { get; set; }

    public string? ExternalId { get; set; }

    public string? Locale { get; set; }

    public bool Active { get; set; } = true;

    public bool Shared { get; set; }

    public Dictionary<string, JsonElement>? UserFields { get; set; }

    public DateTimeOffset? UpdatedAt { get; set; }
}

/// <summary>One end user as the connector writes it.</summary>
internal sealed class UserWrite
{
    public required string Name { get; set; }

    public required string ExternalId { get; set; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Email { get; set; }

    public string? Phone { get; set; }

    public string Role { get; set; } = "end-user";

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public long? OrganizationId { get; set; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Locale { get; set; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public bool? SkipVerifyEmail { get; set; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public Dictionary<string, string?>? UserFields { get; set; }
}

internal sealed class UserEnvelope
{
    public UserDto? User { get; set; }
}

internal sealed class UserWriteEnvelope
{
    public required UserWrite User { get; set; }
}

internal sealed class UsersWriteEnvelope
{
    public required List<UserWrite> Users { get; set; }
}

internal sealed class UsersEnvelope
{
    public List<UserDto>? Users { get; set; }

    public string? NextPage { get; set; }

    public PageMeta? Meta { get; set; }

    public PageLinks? Links { get; set; }
}

internal sealed class PageMeta
{
    public bool HasMore { get; set; }

    public string? AfterCursor { get; set; }
}

internal sealed class PageLinks
{
    public string? Next { get; set; }
}

internal sealed class SearchEnvelope
{
    public List<OrganizationDto>? Results { get; set; }

    public string? NextPage { get; set; }
}

internal sealed class IdentityDto
{
    public long Id { get; set; }

    public string? Type { get; set; }

    public string? Value { get; set; }

    public bool Primary { get; set; }
}

internal sealed class IdentitiesEnvelope
{
    public List<IdentityDto>? Identities { get; set; }
}

internal sealed class IdentityWrite
{
    public string Type { get; set; } = "email";

    public required string Value { get; set; }

    public bool SkipVerifyEmail { get; set; } = true;
}

internal sealed class IdentityWriteEnvelope
{
    public required IdentityWrite Identity { get; set; }
}

internal sealed class IdentityEnvelope
{
    public IdentityDto? Identity { get; set; }
}

internal sealed class MembershipWrite
{
    public long UserId { get; set; }

    public long OrganizationId { get; set; }
}

internal sealed class MembershipWriteEnvelope
{
    public required MembershipWrite OrganizationMembership { get; set; }
}

internal sealed class FieldDto
{
    public long Id { get; set; }

    public string? Key { get; set; }

    public string? Type { get; set; }
}

internal sealed class OrganizationFieldsEnvelope
{
    public List<FieldDto>? OrganizationFields { get; set; }
}

internal sealed class UserFieldsEnvelope
{
    public List<FieldDto>? UserFields { get; set; }
}

internal sealed class FieldWrite
{
    public string Type { get; set; } = "text";

    public required string Key { get; set; }

    public required string Title { get; set; }
}

internal sealed class OrganizationFieldWriteEnvelope
{
    public required FieldWrite OrganizationField { get; set; }
}

internal sealed class UserFieldWriteEnvelope
{
    public required FieldWrite UserField { get; set; }
}

internal sealed class JobStatusDto
{
    public string? Id { get; set; }

    public string? Status { get; set; }

    public int? Total { get; set; }

    public int? Progress { get; set; }

    public string? Message { get; set; }

    /// <summary>An array of item results, or a single <c>{success}</c> object: read as it comes.</summary>
    public JsonElement? Results { get; set; }
}

internal sealed class JobStatusEnvelope
{
    public JobStatusDto? JobStatus { get; set; }
}

internal sealed class JobStatusesEnvelope
{
    public List<JobStatusDto>? JobStatuses { get; set; }
}

internal sealed class OrganizationExportPage
{
    public List<OrganizationDto>? Organizations { get; set; }

    public long? EndTime { get; set; }

    public bool EndOfStream { get; set; }
}

internal sealed class UserExportPage
{
    public List<UserDto>? Users { get; set; }

    public string? AfterCursor { get; set; }

    public long? EndTime { get; set; }

    public bool EndOfStream { get; set; }
}

internal sealed class TokenRequest
{
    public required string GrantType { get; set; }

    public required string ClientId { get; set; }

    public required string ClientSecret { get; set; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? RefreshToken { get; set; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Scope { get; set; }
}

internal sealed class TokenResponse
{
    public string? AccessToken { get; set; }

    public string? TokenType { get; set; }

    public long? ExpiresIn { get; set; }

    public string? RefreshToken { get; set; }

    public long? RefreshTokenExpiresIn { get; set; }

    public string? Error { get; set; }

    public string? ErrorDescription { get; set; }
}

[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    DefaultIgnoreCondition = JsonIgnoreCondition.Never,
    NumberHandling = JsonNumberHandling.AllowReadingFromString)]
[JsonSerializable(typeof(OrganizationEnvelope))]
[JsonSerializable(typeof(OrganizationWriteEnvelope))]
[JsonSerializable(typeof(OrganizationsWriteEnvelope))]
[JsonSerializable(typeof(OrganizationsEnvelope))]
[JsonSerializable(typeof(UserEnvelope))]
[JsonSerializable(typeof(UserWriteEnvelope))]
[JsonSerializable(typeof(UsersWriteEnvelope))]
[JsonSerializable(typeof(UsersEnvelope))]
[JsonSerializable(typeof(SearchEnvelope))]
[JsonSerializable(typeof(IdentitiesEnvelope))]
[JsonSerializable(typeof(IdentityEnvelope))]
[JsonSerializable(typeof(IdentityWriteEnvelope))]
[JsonSerializable(typeof(MembershipWriteEnvelope))]
[JsonSerializable(typeof(OrganizationFieldsEnvelope))]
[JsonSerializable(typeof(UserFieldsEnvelope))]
[JsonSerializable(typeof(OrganizationFieldWriteEnvelope))]
[JsonSerializable(typeof(UserFieldWriteEnvelope))]
[JsonSerializable(typeof(JobStatusEnvelope))]
[JsonSerializable(typeof(JobStatusesEnvelope))]
[JsonSerializable(typeof(OrganizationExportPage))]
[JsonSerializable(typeof(UserExportPage))]
[JsonSerializable(typeof(TokenRequest))]
[JsonSerializable(typeof(TokenResponse))]
[JsonSerializable(typeof(JsonElement))]
internal sealed partial class ZendeskJsonContext : JsonSerializerContext;
