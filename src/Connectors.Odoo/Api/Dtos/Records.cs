using System.Text.Json.Serialization;
using Concord.Connectors.Odoo.Api.Json;

namespace Concord.Connectors.Odoo.Api.Dtos;

/// <summary>A <c>res.partner</c> row as <c>search_read</c> returns it (empty values are <c>false</c> on the wire).</summary>
internal sealed class PartnerRecord
{
    [JsonPropertyName("id")]
    public long Id { get; init; }

    [JsonPropertyName("name")]
    [JsonConverter(typeof(OdooStringConverter))]
    public string? Name { get; init; }

    [JsonPropertyName("is_company")]
    public bool IsCompany { get; init; }

    [JsonPropertyName("active")]
    public bool Active { get; init; } = true;

    [JsonPropertyName("type")]
    [JsonConverter(typeof(OdooStringConverter))]
    public string? Type { get; init; }

    [JsonPropertyName("parent_id")]
    [JsonConverter(typeof(OdooMany2OneConverter))]
    public long? ParentId { get; init; }

    [JsonPropertyName("commercial_partner_id")]
    [JsonConverter(typeof(OdooMany2OneConverter))]
    public long? CommercialPartnerId { get; init; }

    [JsonPropertyName("vat")]
    [JsonConverter(typeof(OdooStringConverter))]
    public string? Vat { get; init; }

    [JsonPropertyName("company_registry")]
    [JsonConverter(typeof(OdooStringConverter))]
    public string? CompanyRegistry { get; init; }

    [JsonPropertyName("ref")]
    [JsonConverter(typeof(OdooStringConverter))]
    public string? Ref { get; init; }

    [JsonPropertyName("website")]
    [JsonConverter(typeof(OdooStringConverter))]
    public string? Website { get; init; }

    [JsonPropertyName("email")]
    [JsonConverter(typeof(OdooStringConverter))]
    public string? Email { get; init; }

    [JsonPropertyName("phone")]
    [JsonConverter(typeof(OdooStringConverter))]
    public string? Phone { get; init; }

    [JsonPropertyName("mobile")]
    [JsonConverter(typeof(OdooStringConverter))]
    public string? Mobile { get; init; }

    [JsonPropertyName("lang")]
    [JsonConverter(typeof(OdooStringConverter))]
    public string? Lang { get; init; }

    [JsonPropertyName("comment")]
    [JsonConverter(typeof(OdooStringConverter))]
    public string? Comment { get; init; }

    [JsonPropertyName("function")]
    [JsonConverter(typeof(OdooStringConverter))]
    public string? Function { get; init; }

    [JsonPropertyName("street")]
    [JsonConverter(typeof(OdooStringConverter))]
    public string? Street { get; init; }

    [JsonPropertyName("street2")]
    [JsonConverter(typeof(OdooStringConverter))]
    public string? Street2 { get; init; }

    [JsonPropertyName("zip")]
    [JsonConverter(typeof(OdooStringConverter))]
    public string? Zip { get; init; }

    [JsonPropertyName("city")]
    [JsonConverter(typeof(OdooStringConverter))]
    public string? City { get; init; }

    [JsonPropertyName("country_id")]
    [JsonConverter(typeof(OdooMany2OneConverter))]
    public long? CountryId { get; init; }

    [JsonPropertyName("state_id")]
    [JsonConverter(typeof(OdooMany2OneConverter))]
    public long? StateId { get; init; }

    [JsonPropertyName("category_id")]
    public long[] CategoryIds { get; init; } = [];

    [JsonPropertyName("write_date")]
    [JsonConverter(typeof(OdooStringConverter))]
    public string? WriteDate { get; init; }
}

/// <summary>A <c>res.country</c> row.</summary>
internal sealed class CountryRecord
{
    [JsonPropertyName("id")]
    public long Id { get; init; }

    [JsonPropertyName("code")]
    [JsonConverter(typeof(OdooStringConverter))]
    public string? Code { get; init; }
}

/// <summary>A <c>res.country.state</c> row.</summary>
internal sealed class StateRecord
{
    [JsonPropertyName("id")]
    public long Id { get; init; }

    [JsonPropertyName("code")]
    [JsonConverter(typeof(OdooStringConverter))]
    public string? Code { get; init; }

    [JsonPropertyName("country_id")]
    [JsonConverter(typeof(OdooMany2OneConverter))]
    public long? CountryId { get; init; }
}

/// <summary>A <c>res.lang</c> row: an installed language when active.</summary>
internal sealed class LanguageRecord
{
    [JsonPropertyName("id")]
    public long Id { get; init; }

    [JsonPropertyName("code")]
    [JsonConverter(typeof(OdooStringConverter))]
    public string? Code { get; init; }
}

/// <summary>A <c>res.partner.category</c> (tag) row.</summary>
internal sealed class CategoryRecord
{
    [JsonPropertyName("id")]
    public long Id { get; init; }

    [JsonPropertyName("name")]
    [JsonConverter(typeof(OdooStringConverter))]
    public string? Name { get; init; }
}

/// <summary>An <c>ir.model.data</c> row: an external id <c>module.name</c> pointing at <c>res_id</c>.</summary>
internal sealed class ModelDataRecord
{
    [JsonPropertyName("id")]
    public long Id { get; init; }

    [JsonPropertyName("name")]
    [JsonConverter(typeof(OdooStringConverter))]
    public string? Name { get; init; }

    [JsonPropertyName("res_id")]
    public long ResId { get; init; }
}

/// <summary>Values of a new <c>ir.model.data</c> row (adopting an existing partner under our external id).</summary>
internal sealed class ModelDataVals
{
    [JsonPropertyName("module")]
    public required string Module { get; init; }

    [JsonPropertyName("name")]
    public required string Name { get; init; }

    [JsonPropertyName("model")]
    public required string Model { get; init; }

    [JsonPropertyName("res_id")]
    public required long ResId { get; init; }

    [JsonPropertyName("noupdate")]
    public bool NoUpdate { get; init; } = true;
}
