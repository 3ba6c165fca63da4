using System.Collections.Immutable;
using Concord.Canonical;
using Concord.Canonical.Errors;

namespace Concord.Connectors.Odoo.Mapping;

/// <summary>
/// Canonical customer → <c>res.partner</c> values, pure: the company (or standalone person) with its main address,
/// its contacts (<c>type</c> contact, no address) and its billing, shipping and other addresses (children of type
/// invoice, delivery, other). VAT and company registry are written on the company only. Countries, states and tags
/// must be resolved first; a code Odoo does not know is a field error for this customer alone.
/// </summary>
internal static class PartnerMapper
{
    /// <summary>The name of the custom attribute that carries Odoo's <c>ref</c> (a business reference).</summary>
    public const string ReferenceAttribute = "ref";

    public static PartnerVals Root(CanonicalCustomer customer, IReferenceLookup lookup, bool hasMobile, List<FieldError> errors)
    {
        var main = customer.AddressFor(AddressRole.Main);
        var mainIndex = main is null ? -1 : customer.Addresses.IndexOf(main);
        var (countryId, stateId) = Place(main, $"$.addresses[{mainIndex}]", lookup, errors);
        var tagIds = new List<long>(customer.Tags.Length);
        foreach (var tag in customer.Tags)
        {
            if (lookup.TagId(tag) is long tagId && !tagIds.Contains(tagId))
            {
                tagIds.Add(tagId);
            }
        }

        tagIds.Sort();
        var (phone, mobile) = Phones(customer.Phones, hasMobile);
        return new PartnerVals
        {
            Name = customer.Name,
            IsCompany = customer.Kind == CustomerKind.Company,
            Vat = TaxId(customer.TaxIds, registry: false),
            CompanyRegistry = TaxId(customer.TaxIds, registry: true),
            Ref = customer.CustomAttributes.TryGetValue(ReferenceAttribute, out var reference) ? reference : null,
            Website = customer.Website,
            Email = customer.Emails.IsDefaultOrEmpty ? null : customer.Emails[0].Address,
            Phone = phone,
            Mobile = mobile,
            Lang = OdooLanguage.ToOdoo(customer.Language),
            Comment = customer.Notes,
            Street = main?.Street,
            Street2 = main?.Street2,
            Zip = main?.PostalCode,
            City = main?.City,
            CountryId = countryId,
            StateId = stateId,
            CategoryIds = tagIds,
            Active = customer.Status != CustomerStatus.Archived,
        };
    }

    public static PartnerVals Contact(Contact contact, long? parentId, bool hasMobile)
    {
        var (phone, mobile) = Phones(contact.Phones, hasMobile);
        return new PartnerVals
        {
            ParentId = parentId,
            Type = "contact",
            IsCompany = false,
            Name = contact.Name,
            Function = contact.JobTitle,
            Email = contact.Emails.IsDefaultOrEmpty ? null : contact.Emails[0].Address,
            Phone = phone,
            Mobile = mobile,
            Lang = OdooLanguage.ToOdoo(contact.Language),
        };
    }

    public static PartnerVals Address(PostalAddress address, string path, long? parentId, IReferenceLookup lookup, List<FieldError> errors)
    {
        var (countryId, stateId) = Place(address, path, lookup, errors);
        return new PartnerVals
        {
            ParentId = parentId,
            Type = TypeOf(address.Role),
            IsCompany = false,
            Name = address.Name,
            Street = address.Street,
            Street2 = address.Street2,
            Zip = address.PostalCode,
            City = address.City,
            CountryId = countryId,
            StateId = stateId,
        };
    }

    public static string TypeOf(AddressRole role) => role switch
    {
        AddressRole.Billing => "invoice",
        AddressRole.Shipping => "delivery",
        _ => "other",
    };

    /// <summary>The local subdivision code Odoo keys states on: <c>US-CA</c> → <c>CA</c>.</summary>
    public static string StateCode(string region)
    {
        var dash = region.IndexOf('-', StringComparison.Ordinal);
        return dash >= 0 ? region[(dash + 1)..] : region;
    }

    private static (long? CountryId, long? StateId) Place(PostalAddress? address, string path, IReferenceLookup lookup, List<FieldError> errors)
    {
        if (address?.Country is not { Length: > 0 } country)
        {
            return (null, null);
        }

        if (lookup.CountryId(country) is not long countryId)
        {
            errors.Add(new FieldError($"{path}.country", $"Odoo has no country with the code '{country}'.", "odoo.country"));
            return (null, null);
        }

        if (address.Region is not { Length: > 0 } region)
        {
            return (countryId, null);
        }

        if (lookup.StateId(countryId, StateCode(region)) is not long stateId)
        {
            errors.Add(new FieldError($"{path}.region", $"Odoo has no state '{StateCode(region)}' in country '{country}'.", "odoo.state"));
            return (countryId, null);
        }

        return (countryId, stateId);
    }

    private static string? TaxId(ImmutableArray<TaxIdentifier> taxIds, bool registry)
    {
        foreach (var taxId in taxIds)
        {
            if ((taxId.Type == TaxIdType.CompanyRegistry) == registry)
            {
                return taxId.Value;
            }
        }

        return null;
    }

    private static (string? Phone, string? Mobile) Phones(ImmutableArray<PhoneNumber> phones, bool hasMobile)
    {
        string? phone = null;
        string? mobile = null;
        foreach (var number in phones)
        {
            var value = number.E164 ?? number.Raw;
            if (hasMobile && number.Use == ContactPointUse.Mobile)
            {
                mobile ??= value;
            }
            else
            {
                phone ??= value;
            }
        }

        return (phone, mobile);
    }
}
