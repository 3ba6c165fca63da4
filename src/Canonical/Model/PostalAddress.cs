namespace Concord.Canonical;

/// <summary>A postal address with its role.</summary>
public sealed record PostalAddress
{
    /// <summary>What the address is used for.</summary>
    public required AddressRole Role { get; init; }

    /// <summary>An optional name for the address (a site or department name).</summary>
    public string? Name { get; init; }

    /// <summary>The first street line.</summary>
    public string? Street { get; init; }

    /// <summary>The second street line.</summary>
    public string? Street2 { get; init; }

    /// <summary>The city or locality.</summary>
    public string? City { get; init; }

    /// <summary>The postal code.</summary>
    public string? PostalCode { get; init; }

    /// <summary>The region, ISO 3166-2 (for example <c>US-CA</c> or <c>DE-BE</c>); its prefix is <see cref="Country"/>.</summary>
    public string? Region { get; init; }

    /// <summary>The country, ISO 3166-1 alpha-2 (for example <c>DE</c>).</summary>
    public string? Country { get; init; }
}
