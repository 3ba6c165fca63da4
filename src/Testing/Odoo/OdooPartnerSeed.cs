namespace Concord.Testing.Odoo;

/// <summary>A partner created directly in the simulator, as a user would by hand (no external id).</summary>
public sealed record OdooPartnerSeed
{
    /// <summary>Gets the name.</summary>
    public string? Name { get; init; }

    /// <summary>Gets whether it is a company.</summary>
    public bool IsCompany { get; init; }

    /// <summary>Gets the parent partner's id.</summary>
    public long? ParentId { get; init; }

    /// <summary>Gets the address type (<c>contact</c>, <c>invoice</c>, <c>delivery</c>, <c>other</c>).</summary>
    public string Type { get; init; } = "contact";

    /// <summary>Gets the VAT number.</summary>
    public string? Vat { get; init; }

    /// <summary>Gets the company registry number (<c>company_registry</c>).</summary>
    public string? CompanyRegistry { get; init; }

    /// <summary>Gets the website (<c>https://www.acme.example</c>).</summary>
    public string? Website { get; init; }

    /// <summary>Gets the email.</summary>
    public string? Email { get; init; }

    /// <summary>Gets the reference.</summary>
    public string? Ref { get; init; }

    /// <summary>Gets the ISO code of the country.</summary>
    public string? CountryCode { get; init; }

    /// <summary>Gets the city.</summary>
    public string? City { get; init; }

    /// <summary>Gets whether it is active (false: archived).</summary>
    public bool Active { get; init; } = true;
}
