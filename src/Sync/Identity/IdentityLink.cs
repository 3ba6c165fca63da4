namespace Concord.Sync.Identity;

/// <summary>
/// One link of the identity map: the customer <see cref="CanonicalId"/> is <see cref="ExternalId"/> in <see cref="System"/>,
/// and <see cref="Fingerprint"/> is the content last written there for it.
/// </summary>
public sealed record IdentityLink
{
    /// <summary>The canonical id.</summary>
    public required string CanonicalId { get; init; }

    /// <summary>The connector name of the system (<c>odoo</c>, <c>salesforce</c>, ...).</summary>
    public required string System { get; init; }

    /// <summary>The record's id in <see cref="System"/>.</summary>
    public required string ExternalId { get; init; }

    /// <summary>
    /// The content fingerprint of the source version last written to <see cref="System"/> for this customer, or null when
    /// nothing has been written there (the system is the source, or the link was found by matching). A change whose
    /// fingerprint equals it is unchanged for that target and causes no vendor call.
    /// </summary>
    public string? Fingerprint { get; init; }

    /// <summary>When the link (or its fingerprint) was last set.</summary>
    public required DateTimeOffset UpdatedAt { get; init; }
}
