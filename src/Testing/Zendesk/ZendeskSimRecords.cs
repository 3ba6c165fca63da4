using System.Collections.Immutable;

namespace Concord.Testing.Zendesk;

/// <summary>A snapshot of one organization held by the <see cref="ZendeskSimulator"/>.</summary>
/// <param name="Id">The organization id.</param>
/// <param name="Name">The name.</param>
/// <param name="ExternalId">The external id, or <see langword="null"/>.</param>
/// <param name="DomainNames">The domain names.</param>
/// <param name="Details">The details text.</param>
/// <param name="Notes">The notes text.</param>
/// <param name="Tags">The tags.</param>
/// <param name="Fields">The <c>organization_fields</c> values as JSON text (<c>"EUR"</c>, <c>12</c>, <c>true</c>), by field key.</param>
/// <param name="CreatedAt">When it was created.</param>
/// <param name="UpdatedAt">When it was last changed.</param>
/// <param name="IsDeleted">Whether it was deleted.</param>
public sealed record ZendeskSimOrganization(
    long Id,
    string Name,
    string? ExternalId,
    ImmutableArray<string> DomainNames,
    string? Details,
    string? Notes,
    ImmutableArray<string> Tags,
    ImmutableDictionary<string, string?> Fields,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt,
    bool IsDeleted);

/// <summary>A snapshot of one user held by the <see cref="ZendeskSimulator"/>.</summary>
/// <param name="Id">The user id.</param>
/// <param name="Name">The name.</param>
/// <param name="Email">The primary email, or <see langword="null"/>.</param>
/// <param name="Emails">Every email identity, primary first.</param>
/// <param name="ExternalId">The external id, or <see langword="null"/>.</param>
/// <param name="Phone">The phone.</param>
/// <param name="Role">The role (<c>end-user</c>, <c>agent</c>, <c>admin</c>).</param>
/// <param name="OrganizationId">The default organization.</param>
/// <param name="OrganizationIds">Every organization the user is a member of.</param>
/// <param name="Locale">The locale.</param>
/// <param name="Tags">The tags.</param>
/// <param name="Fields">The <c>user_fields</c> values as JSON text, by field key.</param>
/// <param name="Active">False once deleted (or merged away).</param>
/// <param name="Verified">Whether an identity is verified (a verification email would have gone out for an unverified create without <c>skip_verify_email</c>).</param>
/// <param name="VerificationEmailsSent">How many verification emails the account would have sent for this user.</param>
/// <param name="MergedInto">The user this one was merged into, or <see langword="null"/>.</param>
/// <param name="UpdatedAt">When it was last changed.</param>
public sealed record ZendeskSimUser(
    long Id,
    string Name,
    string? Email,
    ImmutableArray<string> Emails,
    string? ExternalId,
    string? Phone,
    string Role,
    long? OrganizationId,
    ImmutableArray<long> OrganizationIds,
    string? Locale,
    ImmutableArray<string> Tags,
    ImmutableDictionary<string, string?> Fields,
    bool Active,
    bool Verified,
    int VerificationEmailsSent,
    long? MergedInto,
    DateTimeOffset UpdatedAt);
