using System.Globalization;
using Concord.Connectors.Odoo.Api.Dtos;

namespace Concord.Connectors.Odoo.Mapping;

/// <summary>
/// The values Concord writes on one <c>res.partner</c>, typed. The same shape is built from a canonical customer and
/// from a partner read back from Odoo, so that "unchanged" is a plain comparison of the <c>load</c> rows.
/// </summary>
internal sealed record PartnerVals
{
    public string? Name { get; init; }

    public bool IsCompany { get; init; }

    public string? Type { get; init; }

    public long? ParentId { get; init; }

    public string? Vat { get; init; }

    public string? CompanyRegistry { get; init; }

    public string? Ref { get; init; }

    public string? Website { get; init; }

    public string? Email { get; init; }

    public string? Phone { get; init; }

    public string? Mobile { get; init; }

    public string? Lang { get; init; }

    public string? Comment { get; init; }

    public string? Function { get; init; }

    public string? Street { get; init; }

    public string? Street2 { get; init; }

    public string? Zip { get; init; }

    public string? City { get; init; }

    public long? CountryId { get; init; }

    public long? StateId { get; init; }

    public IReadOnlyList<long> CategoryIds { get; init; } = [];

    public bool Active { get; init; } = true;

    public static PartnerVals FromRecord(PartnerRecord record) => new()
    {
        Name = record.Name,
        IsCompany = record.IsCompany,
        Type = record.Type,
        ParentId = record.ParentId,
        Vat = record.Vat,
        CompanyRegistry = record.CompanyRegistry,
        Ref = record.Ref,
        Website = record.Website,
        Email = record.Email,
        Phone = record.Phone,
        Mobile = record.Mobile,
        Lang = record.Lang,
        Comment = record.Comment,
        Function = record.Function,
        Street = record.Street,
        Street2 = record.Street2,
        Zip = record.Zip,
        City = record.City,
        CountryId = record.CountryId,
        StateId = record.StateId,
        CategoryIds = record.CategoryIds,
        Active = record.Active,
    };

    /// <summary>The row cells for <paramref name="columns"/>, after the key cell, in <c>load</c>'s import syntax.</summary>
    public void WriteCells(PartnerColumns columns, string[] row, int offset)
    {
        for (var i = 0; i < columns.Fields.Count; i++)
        {
            row[offset + i] = Cell(columns.Fields[i]);
        }
    }

    private string Cell(string field) => field switch
    {
        "name" => Name ?? string.Empty,
        "is_company" => IsCompany ? "1" : "0",
        "type" => Type ?? string.Empty,
        "parent_id/.id" => Id(ParentId),
        "vat" => Vat ?? string.Empty,
        "company_registry" => CompanyRegistry ?? string.Empty,
        "ref" => Ref ?? string.Empty,
        "website" => Website ?? string.Empty,
        "email" => Email ?? string.Empty,
        "phone" => Phone ?? string.Empty,
        "mobile" => Mobile ?? string.Empty,
        "lang" => Lang ?? string.Empty,
        "comment" => Comment ?? string.Empty,
        "function" => Function ?? string.Empty,
        "street" => Street ?? string.Empty,
        "street2" => Street2 ?? string.Empty,
        "zip" => Zip ?? string.Empty,
        "city" => City ?? string.Empty,
        "country_id/.id" => Id(CountryId),
        "state_id/.id" => Id(StateId),
        "category_id/.id" => string.Join(',', CategoryIds.Order().Select(id => id.ToString(CultureInfo.InvariantCulture))),
        "active" => Active ? "1" : "0",
        _ => throw new InvalidOperationException($"No value for column '{field}'."),
    };

    private static string Id(long? id) => id is long value ? value.ToString(CultureInfo.InvariantCulture) : string.Empty;
}
