namespace Concord.Connectors.Odoo.Mapping;

/// <summary>Countries, states and tags already resolved for this instance (mapping itself never calls Odoo).</summary>
internal interface IReferenceLookup
{
    long? CountryId(string isoCode);

    long? StateId(long countryId, string code);

    long? TagId(string name);

    string? CountryCode(long countryId);

    (string CountryCode, string Code)? State(long stateId);

    string? TagName(long tagId);
}
