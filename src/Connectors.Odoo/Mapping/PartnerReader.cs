using System.Collections.Immutable;
using System.Globalization;
using Concord.Canonical;
using Concord.Canonical.Normalization;
using Concord.Connectors.Odoo.Api.Dtos;
using Concord.Connectors.Odoo.ChangeFeed;

namespace Concord.Connectors.Odoo.Mapping;

/// <summary>
/// <c>res.partner</c> tree → canonical customer, pure: the root is the company (or standalone person); active children of
/// type contact become contacts, children of type invoice, delivery and other become addresses; <c>active</c> false is
/// <see cref="CustomerStatus.Archived"/>. The result is normalised with <see cref="CustomerNormalizer"/>.
/// </summary>
internal static class PartnerReader
{
    public const string WriteDateFormat = "yyyy-MM-dd HH:mm:ss";

    public static CanonicalCustomer ToCustomer(PartnerRecord root, IEnumerable<PartnerRecord> children, IReferenceLookup lookup, string system)
    {
        var contacts = ImmutableArray.CreateBuilder<Contact>();
        var addresses = ImmutableArray.CreateBuilder<PostalAddress>();
        var main = Address(root, AddressRole.Main, lookup);
        if (main is not null)
        {
            addresses.Add(main);
        }

        var modified = ParseWriteDate(root.WriteDate);
        var version = root.WriteDate;
        var content = RowFingerprint.Of(root);
        foreach (var child in children.OrderBy(c => c.Id))
        {
            content ^= RowFingerprint.Of(child);
            if (ParseWriteDate(child.WriteDate) is { } childModified && (modified is null || childModified > modified))
            {
                modified = childModified;
                version = child.WriteDate;
            }

            if (!child.Active)
            {
                continue;
            }

            switch (child.Type)
            {
                case "invoice":
                case "delivery":
                case "other":
                    var role = child.Type switch { "invoice" => AddressRole.Billing, "delivery" => AddressRole.Shipping, _ => AddressRole.Other };
                    addresses.Add(Address(child, role, lookup) ?? new PostalAddress { Role = role, Name = child.Name });
                    break;
                default:
                    contacts.Add(new Contact
                    {
                        ExternalRefs = [new ExternalRef(system, child.Id.ToString(CultureInfo.InvariantCulture))],
                        Name = child.Name ?? string.Empty,
                        JobTitle = child.Function,
                        Emails = Emails(child.Email),
                        Phones = Phones(child.Phone, child.Mobile),
                        Language = OdooLanguage.FromOdoo(child.Lang),
                    });
                    break;
            }
        }

        var country = root.CountryId is long countryId ? lookup.CountryCode(countryId) : null;
        var taxIds = ImmutableArray.CreateBuilder<TaxIdentifier>();
        if (root.Vat is { } vat && TaxCountry(vat, country) is { } vatCountry)
        {
            taxIds.Add(new TaxIdentifier { Type = TaxIdType.Vat, Value = vat, Country = vatCountry });
        }

        if (root.CompanyRegistry is { } registry && country is not null)
        {
            taxIds.Add(new TaxIdentifier { Type = TaxIdType.CompanyRegistry, Value = registry, Country = country });
        }

        var attributes = ImmutableSortedDictionary<string, string>.Empty.WithComparers(StringComparer.Ordinal);
        if (root.Ref is { } reference)
        {
            attributes = attributes.Add(PartnerMapper.ReferenceAttribute, reference);
        }

        var tags = ImmutableArray.CreateBuilder<string>();
        foreach (var tagId in root.CategoryIds.Order())
        {
            if (lookup.TagName(tagId) is { } tag)
            {
                tags.Add(tag);
            }
        }

        var customer = new CanonicalCustomer
        {
            Kind = root.IsCompany ? CustomerKind.Company : CustomerKind.Person,
            Name = root.Name ?? string.Empty,
            Status = root.Active ? CustomerStatus.Active : CustomerStatus.Archived,
            Contacts = contacts.ToImmutable(),
            Addresses = addresses.ToImmutable(),
            TaxIds = taxIds.ToImmutable(),
            Emails = Emails(root.Email),
            Phones = Phones(root.Phone, root.Mobile),
            Website = root.Website,
            Language = OdooLanguage.FromOdoo(root.Lang),
            Tags = tags.ToImmutable(),
            Notes = PlainText(root.Comment),
            CustomAttributes = attributes,
            Provenance = new Provenance
            {
                ExternalRefs = [new ExternalRef(system, root.Id.ToString(CultureInfo.InvariantCulture))],
                SourceSystem = system,
                SourceModifiedAt = modified,
                // write_date has whole seconds: two writes in one second differ only by content, so the version names both.
                SourceVersion = string.Create(CultureInfo.InvariantCulture, $"{version}#{content:x16}"),
            },
        };

        // A value Odoo holds that the canonical model rejects (a state code that is not ISO 3166-2) is dropped by
        // keeping the record as read rather than failing the whole read.
        return CustomerNormalizer.TryNormalize(customer, out var normalized, out _) ? normalized : customer;
    }

    public static DateTimeOffset? ParseWriteDate(string? writeDate) =>
        writeDate is not null && DateTime.TryParseExact(writeDate, WriteDateFormat, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var parsed)
            ? new DateTimeOffset(DateTime.SpecifyKind(parsed, DateTimeKind.Utc))
            : null;

    private static PostalAddress? Address(PartnerRecord record, AddressRole role, IReferenceLookup lookup)
    {
        if (record.Street is null && record.Street2 is null && record.City is null && record.Zip is null && record.CountryId is null)
        {
            return null;
        }

        var country = record.CountryId is long countryId ? lookup.CountryCode(countryId) : null;
        var state = record.StateId is long stateId ? lookup.State(stateId) : null;
        return new PostalAddress
        {
            Role = role,
            Name = role == AddressRole.Main ? null : record.Name,
            Street = record.Street,
            Street2 = record.Street2,
            City = record.City,
            PostalCode = record.Zip,
            Country = country,
            Region = state is { } s ? $"{s.CountryCode}-{s.Code}" : null,
        };
    }

    private static ImmutableArray<EmailAddress> Emails(string? email) =>
        email is null ? [] : [new EmailAddress { Address = email }];

    private static ImmutableArray<PhoneNumber> Phones(string? phone, string? mobile)
    {
        var builder = ImmutableArray.CreateBuilder<PhoneNumber>();
        if (phone is not null)
        {
            builder.Add(new PhoneNumber { Raw = phone });
        }

        if (mobile is not null)
        {
            builder.Add(new PhoneNumber { Raw = mobile, Use = ContactPointUse.Mobile });
        }

        return builder.ToImmutable();
    }

    private static string? TaxCountry(string vat, string? partnerCountry)
    {
        if (vat.Length > 2 && char.IsAsciiLetterUpper(vat[0]) && char.IsAsciiLetterUpper(vat[1]))
        {
            var prefix = vat[..2];
            return prefix == "EL" ? "GR" : prefix;
        }

        return partnerCountry;
    }

    /// <summary>Odoo stores <c>comment</c> as HTML; a single plain paragraph comes back as its text.</summary>
    private static string? PlainText(string? html)
    {
        if (html is null)
        {
            return null;
        }

        var text = html.Trim();
        if (text.StartsWith("<p>", StringComparison.Ordinal) && text.EndsWith("</p>", StringComparison.Ordinal) && text.IndexOf('<', 3) == text.Length - 4)
        {
            return text[3..^4];
        }

        return text;
    }
}
