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
        var accessors = columns.Accessors;
        for (var i = 0; i < accessors.Length; i++)
        {
            row[offset + i] = accessors[i](this);
        }
    }

    /// <summary>How a <c>load</c> column's cell is read from the values (resolved once per column set, not per cell).</summary>
    public static Func<PartnerVals, string> Accessor(string field) => field switch
    {
        "name" => static v => v.Name ?? string.Empty,
        "is_company" => static v => v.IsCompany ? "1" : "0",
        "type" => static v => v.Type ?? string.Empty,
        "parent_id/.id" => static v => Id(v.ParentId),
        "vat" => static v => v.Vat ?? string.Empty,
        "company_registry" => static v => v.CompanyRegistry ?? string.Empty,
        "ref" => static v => v.Ref ?? string.Empty,
        "website" => static v => v.Website ?? string.Empty,
        "email" => static v => v.Email ?? string.Empty,
        "phone" => static v => v.Phone ?? string.Empty,
        "mobile" => static v => v.Mobile ?? string.Empty,
        "lang" => static v => v.Lang ?? string.Empty,
        "comment" => static v => v.Comment ?? string.Empty,
        "function" => static v => v.Function ?? string.Empty,
        "street" => static v => v.Street ?? string.Empty,
        "street2" => static v => v.Street2 ?? string.Empty,
        "zip" => static v => v.Zip ?? string.Empty,
        "city" => static v => v.City ?? string.Empty,
        "country_id/.id" => static v => Id(v.CountryId),
        "state_id/.id" => static v => Id(v.StateId),
        "category_id/.id" => static v => Ids(v.CategoryIds),
        "active" => static v => v.Active ? "1" : "0",
        _ => throw new InvalidOperationException($"No value for column '{field}'."),
    };

    private static string Ids(IReadOnlyList<long> ids)
    {
        switch (ids.Count)
        {
            case 0:
                return string.Empty;
            case 1:
                return ids[0].ToString(CultureInfo.InvariantCulture);
            default:
                var sorted = new long[ids.Count];
                for (var i = 0; i < sorted.Length; i++)
                {
                    sorted[i] = ids[i];
                }

                Array.Sort(sorted);
                return string.Join(',', sorted);
        }
    }

    private static string Id(long? id) => id is long value ? value.ToString(CultureInfo.InvariantCulture) : string.Empty;
}
