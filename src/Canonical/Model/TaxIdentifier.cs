namespace Concord.Canonical;

/// <summary>A tax or registry identifier with the country that issued it.</summary>
public sealed record TaxIdentifier
{
    /// <summary>What kind of identifier this is.</summary>
    public required TaxIdType Type { get; init; }

    /// <summary>The identifier, upper-cased, without spaces, dots or dashes (normalised form).</summary>
    public required string Value { get; init; }

    /// <summary>The issuing country, ISO 3166-1 alpha-2.</summary>
    public required string Country { get; init; }
}
