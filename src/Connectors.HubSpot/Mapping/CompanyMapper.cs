using System.Collections.Immutable;
using System.Globalization;
using Concord.Canonical;
using Concord.Canonical.Normalization;
using Concord.Connectors.HubSpot.Api.Dtos;

namespace Concord.Connectors.HubSpot.Mapping;

/// <summary>
/// Pure functions between canonical customers and HubSpot companies with their contacts (facts page mapping table).
/// Every value travels as a string; a value the customer does not have is written as <c>""</c>, which clears it in
/// HubSpot, so a cleared field is cleared there too.
/// </summary>
internal static class CompanyMapper
{
    /// <summary>The company properties of <paramref name="customer"/>, the unique key included.</summary>
    public static Dictionary<string, string> ToCompany(CanonicalCustomer customer, HubSpotSchema schema)
    {
        var address = customer.AddressFor(AddressRole.Billing) ?? customer.AddressFor(AddressRole.Main);
        var properties = new Dictionary<string, string>(schema.CompanyWriteCount, StringComparer.Ordinal)
        {
            ["name"] = customer.Name,
            ["domain"] = customer.Domain ?? Normalize.Domain(customer.Website) ?? string.Empty,
            ["website"] = customer.Website ?? string.Empty,
            ["phone"] = FirstPhone(customer.Phones) ?? string.Empty,
            ["address"] = address?.Street ?? string.Empty,
            ["address2"] = address?.Street2 ?? string.Empty,
            ["city"] = address?.City ?? string.Empty,
            ["zip"] = address?.PostalCode ?? string.Empty,
            ["state"] = StateText(address?.Region) ?? string.Empty,
            ["country"] = address?.Country is { } country ? CountryNames.NameOf(country) ?? country : string.Empty,
            ["description"] = customer.Notes ?? string.Empty,
            ["lifecyclestage"] = customer.LifecycleStage is { } stage ? LifecycleStages.ToHubSpot(stage) : string.Empty,
            [schema.CompanyUnique] = customer.Provenance.CanonicalId!,
        };

        var attributes = customer.CustomAttributes;
        foreach (var (attribute, property) in schema.Attributes)
        {
            properties[property] = attributes.Count > 0 && attributes.TryGetValue(attribute, out var value) ? value : string.Empty;
        }

        if (schema.TaxIdProperty is { } taxProperty)
        {
            var vat = customer.TaxIds.FirstOrDefault(t => t.Type == TaxIdType.Vat) ?? customer.TaxIds.FirstOrDefault();
            properties[taxProperty] = vat is null ? string.Empty : WithCountryPrefix(vat);
        }

        return properties;
    }

    /// <summary>The contact properties of <paramref name="contact"/> of <paramref name="owner"/> (its first email is the upsert key when it has one).</summary>
    public static Dictionary<string, string> ToContact(Contact contact, CanonicalCustomer owner, HubSpotSchema schema)
    {
        string? phone = null;
        string? mobile = null;
        foreach (var number in contact.Phones)
        {
            if (number.Use == ContactPointUse.Mobile)
            {
                mobile ??= number.E164 ?? number.Raw;
            }
            else if (number.Use != ContactPointUse.Fax)
            {
                phone ??= number.E164 ?? number.Raw;
            }
        }

        var (given, family) = SplitName(contact);
        var emails = contact.Emails.Select(e => e.Address.Trim().ToLowerInvariant()).Where(e => e.Length > 0).Distinct(StringComparer.Ordinal).ToList();
        var properties = new Dictionary<string, string>(12, StringComparer.Ordinal)
        {
            ["firstname"] = given ?? string.Empty,
            ["lastname"] = family ?? string.Empty,
            ["phone"] = phone ?? string.Empty,
            ["mobilephone"] = mobile ?? string.Empty,
            ["jobtitle"] = contact.JobTitle ?? string.Empty,
            ["hs_additional_emails"] = string.Join(';', emails.Skip(1)),
            ["company"] = owner.Name,
        };
        if (emails.Count > 0)
        {
            properties["email"] = emails[0];
        }

        if (!string.IsNullOrWhiteSpace(contact.Id))
        {
            properties[schema.ContactUnique] = contact.Id;
        }

        return properties;
    }

    /// <summary>The canonical customer of a company and its contacts, normalised when its data allows.</summary>
    public static CanonicalCustomer ToCustomer(HubSpotObject company, IReadOnlyList<HubSpotObject> contacts, string connectorName, HubSpotSchema schema)
    {
        var countryCode = CountryNames.CodeOf(company.Get("country"));
        var phones = ImmutableArray.CreateBuilder<PhoneNumber>();
        if (company.Get("phone") is { } phone)
        {
            phones.Add(new PhoneNumber { Raw = phone, Use = ContactPointUse.Work });
        }

        var addresses = ImmutableArray<PostalAddress>.Empty;
        var street = company.Get("address");
        var street2 = company.Get("address2");
        var city = company.Get("city");
        var zip = company.Get("zip");
        var state = company.Get("state");
        var countryText = company.Get("country");
        if (street is not null || street2 is not null || city is not null || zip is not null || state is not null || countryText is not null)
        {
            var country = countryCode ?? countryText;
            addresses = [new PostalAddress
            {
                Role = AddressRole.Billing,
                Street = street,
                Street2 = street2,
                City = city,
                PostalCode = zip,
                Country = country,
                Region = Region(country, state),
            }];
        }

        var attributes = ImmutableSortedDictionary<string, string>.Empty.WithComparers(StringComparer.Ordinal);
        foreach (var (attribute, property) in schema.Attributes)
        {
            if (company.Get(property) is { } value)
            {
                attributes = attributes.SetItem(attribute, value);
            }
        }

        var taxIds = ImmutableArray<TaxIdentifier>.Empty;
        if (schema.TaxIdProperty is { } taxProperty && company.Get(taxProperty) is { } vat)
        {
            var prefix = vat.Length > 2 && char.IsAsciiLetter(vat[0]) && char.IsAsciiLetter(vat[1]) ? vat[..2].ToUpperInvariant() : null;
            var issuer = prefix is not null && IsoCodes.IsCountryCode(prefix == "EL" ? "GR" : prefix) ? (prefix == "EL" ? "GR" : prefix) : countryCode;
            if (issuer is not null)
            {
                taxIds = [new TaxIdentifier { Type = TaxIdType.Vat, Value = vat, Country = issuer }];
            }
        }

        var modified = Timestamp(company.Get(HubSpotSchema.CompanyLastModified)) ?? company.UpdatedAt;
        var customer = new CanonicalCustomer
        {
            Kind = CustomerKind.Company,
            Name = company.Get("name") ?? company.Get("domain") ?? string.Empty,
            Website = company.Get("website"),
            Domain = Normalize.Domain(company.Get("domain")) ?? Normalize.Domain(company.Get("website")),
            Phones = phones.ToImmutable(),
            Addresses = addresses,
            TaxIds = taxIds,
            Notes = company.Get("description"),
            LifecycleStage = LifecycleStages.FromHubSpot(company.Get("lifecyclestage")),
            CustomAttributes = attributes,
            Contacts = [.. contacts.OrderBy(c => IdOrder(c.Id)).Select(c => ToContact(c, connectorName, schema))],
            Provenance = new Provenance
            {
                CanonicalId = company.Get(schema.CompanyUnique),
                ExternalRefs = company.Id is null ? [] : [new ExternalRef(connectorName, company.Id)],
                SourceSystem = connectorName,
                SourceModifiedAt = modified,
                SourceVersion = modified?.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture),
            },
        };

        // Data that breaks the canonical rules (an unknown country name) is returned as read: the engine's validation reports it.
        return CustomerNormalizer.TryNormalize(customer, out var normalized, out _) ? normalized : customer;
    }

    /// <summary>Reads a HubSpot datetime value: ISO 8601 or epoch milliseconds (both are seen).</summary>
    public static DateTimeOffset? Timestamp(string? value)
    {
        if (string.IsNullOrEmpty(value))
        {
            return null;
        }

        if (long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var ms))
        {
            return DateTimeOffset.FromUnixTimeMilliseconds(ms);
        }

        return DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var time) ? time : null;
    }

    public static long IdOrder(string? id) => long.TryParse(id, NumberStyles.None, CultureInfo.InvariantCulture, out var value) ? value : long.MaxValue;

    private static Contact ToContact(HubSpotObject contact, string connectorName, HubSpotSchema schema)
    {
        var phones = ImmutableArray.CreateBuilder<PhoneNumber>();
        if (contact.Get("phone") is { } phone)
        {
            phones.Add(new PhoneNumber { Raw = phone, Use = ContactPointUse.Work });
        }

        if (contact.Get("mobilephone") is { } mobile)
        {
            phones.Add(new PhoneNumber { Raw = mobile, Use = ContactPointUse.Mobile });
        }

        var emails = ImmutableArray.CreateBuilder<EmailAddress>();
        if (contact.Get("email") is { } email)
        {
            emails.Add(new EmailAddress { Address = email });
        }

        foreach (var additional in (contact.Get("hs_additional_emails") ?? string.Empty).Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            emails.Add(new EmailAddress { Address = additional });
        }

        var given = contact.Get("firstname");
        var family = contact.Get("lastname");
        var name = string.Join(' ', new[] { given, family }.Where(n => !string.IsNullOrWhiteSpace(n)));
        return new Contact
        {
            Id = contact.Get(schema.ContactUnique),
            ExternalRefs = contact.Id is null ? [] : [new ExternalRef(connectorName, contact.Id)],
            Name = name.Length > 0 ? name : contact.Get("email") ?? string.Empty,
            GivenName = given,
            FamilyName = family,
            JobTitle = contact.Get("jobtitle"),
            Emails = emails.ToImmutable(),
            Phones = phones.ToImmutable(),
        };
    }

    private static (string? Given, string? Family) SplitName(Contact contact)
    {
        if (!string.IsNullOrWhiteSpace(contact.GivenName) || !string.IsNullOrWhiteSpace(contact.FamilyName))
        {
            return (contact.GivenName, contact.FamilyName);
        }

        var space = contact.Name.LastIndexOf(' ');
        return space > 0 ? (contact.Name[..space], contact.Name[(space + 1)..]) : (null, contact.Name);
    }

    private static string? FirstPhone(ImmutableArray<PhoneNumber> phones)
    {
        foreach (var phone in phones)
        {
            if (phone.Use != ContactPointUse.Fax)
            {
                return phone.E164 ?? phone.Raw;
            }
        }

        return null;
    }

    private static string WithCountryPrefix(TaxIdentifier vat)
    {
        var prefix = vat.Country == "GR" ? "EL" : vat.Country;
        return vat.Value.StartsWith(prefix, StringComparison.OrdinalIgnoreCase) ? vat.Value : prefix + vat.Value;
    }

    /// <summary>
    /// The state as HubSpot users see it (its <c>state</c> is free text): the name of ISO 3166-2 <c>US-CA</c>
    /// (<c>California</c>) when <see cref="SubdivisionNames"/> holds it, else the local code (<c>CA</c>).
    /// </summary>
    private static string? StateText(string? region)
    {
        if (region is null)
        {
            return null;
        }

        if (SubdivisionNames.NameOf(region) is { } name)
        {
            return name;
        }

        var dash = region.IndexOf('-', StringComparison.Ordinal);
        return dash >= 0 ? region[(dash + 1)..] : region;
    }

    /// <summary>
    /// The ISO 3166-2 code of a state HubSpot holds as a name, an alias, a local or a full code; a local code of a
    /// country the table does not cover becomes <c>CC-CODE</c>; anything else is returned as read (validation reports it).
    /// </summary>
    private static string? Region(string? country, string? state)
    {
        if (state is null || country is not { Length: 2 })
        {
            return state;
        }

        if (SubdivisionNames.CodeOf(country, state) is { } code)
        {
            return code;
        }

        return state.Contains('-', StringComparison.Ordinal) || state.Length > 3 ? state : string.Concat(country, "-", state.ToUpperInvariant());
    }
}
