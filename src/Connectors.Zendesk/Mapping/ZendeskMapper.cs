using System.Collections.Frozen;
using System.Collections.Immutable;
using System.Globalization;
using System.Text.Json;
using Concord.Canonical;
using Concord.Connectors.Zendesk.Api;

namespace Concord.Connectors.Zendesk.Mapping;

/// <summary>
/// The mapping table of the facts page, both ways. A customer (company) is an organization: name; canonical id as
/// <c>external_id</c>; the domain as <c>domain_names</c> (the full list on each write, so a cleared domain is cleared);
/// the billing address as <c>details</c> text or organization fields; tax ids, currency and lifecycle stage through the
/// configured organization fields; tags; notes; host-mapped custom attributes through organization fields. Its contacts
/// are end users: canonical contact id as <c>external_id</c>, name, primary email (written on create), phone (E.164),
/// locale, and the job title through a configured user field.
/// </summary>
internal sealed class ZendeskMapper
{
    private readonly ZendeskConnectorOptions _options;
    private readonly string _system;
    private readonly ZendeskOrganizationFieldKeys _keys;
    private readonly KeyValuePair<string, string>[] _customMappings;
    private readonly string? _taxIdsKey;
    private readonly string? _currencyKey;
    private readonly string? _lifecycleKey;
    private readonly string? _jobTitleKey;

    public ZendeskMapper(ZendeskConnectorOptions options, string system)
    {
        _options = options;
        _system = system;
        _keys = options.OrganizationFields ?? new ZendeskOrganizationFieldKeys();
        _taxIdsKey = Key(_keys.TaxIds);
        _currencyKey = Key(_keys.Currency);
        _lifecycleKey = Key(_keys.LifecycleStage);
        _jobTitleKey = Key(options.JobTitleUserField);
        _customMappings = [.. (options.CustomFieldMappings ?? new Dictionary<string, string>())
            .Where(m => !string.IsNullOrWhiteSpace(m.Key) && !string.IsNullOrWhiteSpace(m.Value))
            .OrderBy(m => m.Key, StringComparer.Ordinal)];

        var organizationKeys = new List<string>();
        AddKey(organizationKeys, _taxIdsKey);
        AddKey(organizationKeys, _currencyKey);
        AddKey(organizationKeys, _lifecycleKey);
        if (options.AddressTarget == ZendeskAddressTarget.OrganizationFields)
        {
            foreach (var key in AddressKeys())
            {
                AddKey(organizationKeys, key);
            }
        }

        foreach (var mapping in _customMappings)
        {
            AddKey(organizationKeys, mapping.Value);
        }

        OrganizationFieldKeys = [.. organizationKeys];
        UserFieldKeys = _jobTitleKey is null ? [] : [_jobTitleKey];

        var carried = new HashSet<CustomerField>
        {
            CustomerField.Kind,
            CustomerField.Name,
            CustomerField.Website,
            CustomerField.BillingAddress,
            CustomerField.Tags,
            CustomerField.Notes,
            CustomerField.Contacts,
        };
        if (_taxIdsKey is not null)
        {
            carried.Add(CustomerField.TaxIds);
        }

        if (_currencyKey is not null)
        {
            carried.Add(CustomerField.Currency);
        }

        if (_lifecycleKey is not null)
        {
            carried.Add(CustomerField.LifecycleStage);
        }

        if (_customMappings.Length > 0)
        {
            carried.Add(CustomerField.CustomAttributes);
        }

        Carried = carried.ToFrozenSet();
    }

    /// <summary>
    /// The groups an organization and its end users hold. Zendesk organizations have no legal name, email, phone,
    /// language, consent, archived state or shipping, main or other address; a group whose field key is not configured is
    /// not carried either.
    /// </summary>
    public FrozenSet<CustomerField> Carried { get; }

    /// <summary>Every organization field key the mapping writes and reads.</summary>
    public ImmutableArray<string> OrganizationFieldKeys { get; }

    /// <summary>Every user field key the mapping writes and reads.</summary>
    public ImmutableArray<string> UserFieldKeys { get; }

    public OrganizationWrite ToOrganization(CanonicalCustomer customer, long? id = null)
    {
        var billing = customer.AddressFor(AddressRole.Billing);
        Dictionary<string, string?>? fields = OrganizationFieldKeys.Length == 0 ? null : new Dictionary<string, string?>(OrganizationFieldKeys.Length, StringComparer.Ordinal);
        if (fields is not null)
        {
            Put(fields, _taxIdsKey, FormatTaxIds(customer.TaxIds));
            Put(fields, _currencyKey, customer.Currency);
            Put(fields, _lifecycleKey, customer.LifecycleStage is { } stage ? StageName(stage) : null);
            if (_options.AddressTarget == ZendeskAddressTarget.OrganizationFields)
            {
                Put(fields, Key(_keys.Street), billing?.Street);
                Put(fields, Key(_keys.Street2), billing?.Street2);
                Put(fields, Key(_keys.City), billing?.City);
                Put(fields, Key(_keys.PostalCode), billing?.PostalCode);
                Put(fields, Key(_keys.Region), billing?.Region);
                Put(fields, Key(_keys.Country), billing?.Country);
            }

            foreach (var (attribute, key) in _customMappings)
            {
                Put(fields, key, customer.CustomAttributes.TryGetValue(attribute, out var value) ? value : null);
            }
        }

        return new OrganizationWrite
        {
            Id = id,
            Name = customer.Name.Trim(),
            ExternalId = customer.Provenance.CanonicalId!,
            DomainNames = string.IsNullOrWhiteSpace(customer.Domain) ? [] : [customer.Domain.Trim().ToLowerInvariant()],
            Details = _options.AddressTarget == ZendeskAddressTarget.Details ? AddressText.Format(billing) ?? string.Empty : null,
            Notes = string.IsNullOrEmpty(customer.Notes) ? null : customer.Notes,
            Tags = Tags(customer.Tags),
            OrganizationFields = fields,
        };
    }

    public CanonicalCustomer ToCustomer(OrganizationDto organization, IEnumerable<UserDto> members)
    {
        var fields = organization.OrganizationFields;
        PostalAddress? billing = _options.AddressTarget == ZendeskAddressTarget.Details
            ? AddressText.Parse(organization.Details, AddressRole.Billing)
            : AddressFromFields(fields);
        var attributes = ImmutableSortedDictionary.CreateBuilder<string, string>(StringComparer.Ordinal);
        foreach (var (attribute, key) in _customMappings)
        {
            if (Text(fields, key) is { } value)
            {
                attributes[attribute] = value;
            }
        }

        var id = organization.Id.ToString(CultureInfo.InvariantCulture);
        return new CanonicalCustomer
        {
            Kind = CustomerKind.Company,
            Name = organization.Name ?? string.Empty,
            Domain = organization.DomainNames is { Count: > 0 } domains ? domains[0].ToLowerInvariant() : null,
            Addresses = billing is null ? [] : [billing],
            TaxIds = ParseTaxIds(Text(fields, _taxIdsKey)),
            Currency = Text(fields, _currencyKey),
            LifecycleStage = ParseStage(Text(fields, _lifecycleKey)),
            Tags = organization.Tags is { Count: > 0 } tags ? [.. tags] : [],
            Notes = string.IsNullOrEmpty(organization.Notes) ? null : organization.Notes,
            CustomAttributes = attributes.ToImmutable(),
            Contacts = [.. members.Where(IsContact).OrderBy(u => u.Id).Select(ToContact)],
            Provenance = new Provenance
            {
                CanonicalId = string.IsNullOrEmpty(organization.ExternalId) ? null : organization.ExternalId,
                ExternalRefs = [new ExternalRef(_system, id)],
                SourceSystem = _system,
                SourceModifiedAt = organization.UpdatedAt,
                SourceVersion = organization.UpdatedAt?.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture),
            },
        };
    }

    /// <summary>A synced contact: an active end user (agents and admins of the account are not customers' contacts).</summary>
    public static bool IsContact(UserDto user) => user.Active && (user.Role is null or "end-user");

    public Contact ToContact(UserDto user) => new()
    {
        // A key the connector derived (the source gave no canonical contact id) is not a canonical id.
        Id = string.IsNullOrEmpty(user.ExternalId) || user.ExternalId.Contains(DerivedContactMarker, StringComparison.Ordinal) ? null : user.ExternalId,
        ExternalRefs = [new ExternalRef(_system, user.Id.ToString(CultureInfo.InvariantCulture))],
        Name = user.Name ?? string.Empty,
        JobTitle = Text(user.UserFields, _jobTitleKey),
        Emails = string.IsNullOrEmpty(user.Email) ? [] : [new EmailAddress { Address = user.Email.ToLowerInvariant() }],
        Phones = string.IsNullOrEmpty(user.Phone) ? [] : [new PhoneNumber { Raw = user.Phone, E164 = user.Phone.StartsWith('+') ? user.Phone : null }],
        Language = string.IsNullOrEmpty(user.Locale) ? null : user.Locale,
    };

    /// <summary>
    /// The user to write for <paramref name="contact"/>: its email only when the user is new (an email on update adds a
    /// secondary identity), <c>organization_id</c> only when <paramref name="organizationId"/> may become its default
    /// (writing it removes every other membership).
    /// </summary>
    public UserWrite ToUser(Contact contact, string key, long? organizationId, bool isNew) => new()
    {
        Name = contact.Name.Trim(),
        ExternalId = key,
        Email = isNew ? PrimaryEmail(contact) : null,
        Phone = contact.Phones.IsDefaultOrEmpty ? null : contact.Phones[0].E164 ?? contact.Phones[0].Raw,
        OrganizationId = organizationId,
        Locale = string.IsNullOrWhiteSpace(contact.Language) ? null : contact.Language,
        SkipVerifyEmail = isNew ? true : null,
        UserFields = _jobTitleKey is null ? null : new Dictionary<string, string?>(1, StringComparer.Ordinal) { [_jobTitleKey] = contact.JobTitle },
    };

    /// <summary>
    /// A contact's <c>external_id</c>: its canonical id, or — when the source gave it none — one derived from the customer's
    /// canonical id and the contact's primary email (or name), which is what makes it the same person across calls.
    /// </summary>
    public static string ContactKey(string canonicalId, Contact contact)
    {
        if (!string.IsNullOrWhiteSpace(contact.Id))
        {
            return contact.Id;
        }

        var basis = contact.Emails.IsDefaultOrEmpty ? contact.Name.Trim().ToLowerInvariant() : contact.Emails[0].Address.Trim().ToLowerInvariant();
        return string.Concat(canonicalId, DerivedContactMarker, Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(basis)))[..16]);
    }

    /// <summary>What separates the customer's canonical id from the hash in a derived contact key.</summary>
    public const string DerivedContactMarker = "/c/";

    public static string? PrimaryEmail(Contact contact) => contact.Emails.IsDefaultOrEmpty ? null : contact.Emails[0].Address.Trim().ToLowerInvariant();

    /// <summary>Whether <paramref name="existing"/> already holds every value of <paramref name="write"/> (nothing to send).</summary>
    public static bool Holds(OrganizationDto existing, OrganizationWrite write)
    {
        if (!string.Equals(existing.Name?.Trim(), write.Name, StringComparison.Ordinal)
            || !string.Equals(existing.ExternalId, write.ExternalId, StringComparison.Ordinal)
            || !(existing.DomainNames ?? []).Select(d => d.ToLowerInvariant()).SequenceEqual(write.DomainNames)
            || (write.Details is not null && !string.Equals(existing.Details ?? string.Empty, write.Details, StringComparison.Ordinal))
            || !string.Equals(existing.Notes ?? string.Empty, write.Notes ?? string.Empty, StringComparison.Ordinal)
            || !(existing.Tags ?? []).Order(StringComparer.Ordinal).SequenceEqual(write.Tags.Order(StringComparer.Ordinal)))
        {
            return false;
        }

        foreach (var (key, value) in write.OrganizationFields ?? [])
        {
            if (!string.Equals(Text(existing.OrganizationFields, key), string.IsNullOrEmpty(value) ? null : value, StringComparison.Ordinal))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Whether <paramref name="existing"/> already holds <paramref name="write"/> and <paramref name="contact"/>'s primary email.</summary>
    public static bool Holds(UserDto existing, UserWrite write, Contact contact)
    {
        if (!string.Equals(existing.Name?.Trim(), write.Name, StringComparison.Ordinal)
            || !string.Equals(existing.ExternalId, write.ExternalId, StringComparison.Ordinal)
            || !string.Equals(existing.Phone ?? string.Empty, write.Phone ?? string.Empty, StringComparison.Ordinal)
            || (write.Locale is not null && !string.Equals(existing.Locale, write.Locale, StringComparison.OrdinalIgnoreCase))
            || (PrimaryEmail(contact) is { } email && !string.Equals(existing.Email, email, StringComparison.OrdinalIgnoreCase)))
        {
            return false;
        }

        foreach (var (key, value) in write.UserFields ?? [])
        {
            if (!string.Equals(Text(existing.UserFields, key), string.IsNullOrEmpty(value) ? null : value, StringComparison.Ordinal))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Zendesk tags: lower case, no blanks (a blank separates tags), each once.</summary>
    public static List<string> Tags(IEnumerable<string> tags)
    {
        var list = new List<string>();
        foreach (var tag in tags)
        {
            var text = IsPlainTag(tag) ? tag : string.Join('_', tag.Trim().ToLowerInvariant().Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
            if (text.Length > 0 && !list.Contains(text))
            {
                list.Add(text);
            }
        }

        return list;
    }

    private static bool IsPlainTag(string tag)
    {
        foreach (var c in tag)
        {
            if (char.IsWhiteSpace(c) || char.IsUpper(c))
            {
                return false;
            }
        }

        return true;
    }

    public static string? FormatTaxIds(ImmutableArray<TaxIdentifier> taxIds)
    {
        if (taxIds.IsDefaultOrEmpty)
        {
            return null;
        }

        if (taxIds.Length == 1)
        {
            return string.Concat(taxIds[0].Country, ":", TypeName(taxIds[0].Type), ":", taxIds[0].Value);
        }

        var parts = new string[taxIds.Length];
        for (var i = 0; i < parts.Length; i++)
        {
            parts[i] = string.Concat(taxIds[i].Country, ":", TypeName(taxIds[i].Type), ":", taxIds[i].Value);
        }

        return string.Join("; ", parts);
    }

    public static ImmutableArray<TaxIdentifier> ParseTaxIds(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return [];
        }

        var builder = ImmutableArray.CreateBuilder<TaxIdentifier>();
        foreach (var part in text.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var pieces = part.Split(':', 3, StringSplitOptions.TrimEntries);
            if (pieces.Length == 3 && pieces[0].Length == 2 && pieces[2].Length > 0)
            {
                builder.Add(new TaxIdentifier { Country = pieces[0].ToUpperInvariant(), Type = ParseType(pieces[1]), Value = pieces[2] });
            }
        }

        return builder.ToImmutable();
    }

    private static string TypeName(TaxIdType type) => type switch
    {
        TaxIdType.Vat => "vat",
        TaxIdType.Gst => "gst",
        TaxIdType.Ein => "ein",
        TaxIdType.CompanyRegistry => "company_registry",
        _ => "other",
    };

    private static TaxIdType ParseType(string text) => text.ToLowerInvariant() switch
    {
        "vat" => TaxIdType.Vat,
        "gst" => TaxIdType.Gst,
        "ein" => TaxIdType.Ein,
        "company_registry" => TaxIdType.CompanyRegistry,
        _ => TaxIdType.Other,
    };

    private static readonly (LifecycleStage Stage, string Name)[] Stages =
    [
        (LifecycleStage.Subscriber, "subscriber"),
        (LifecycleStage.Lead, "lead"),
        (LifecycleStage.MarketingQualifiedLead, "marketing_qualified_lead"),
        (LifecycleStage.SalesQualifiedLead, "sales_qualified_lead"),
        (LifecycleStage.Opportunity, "opportunity"),
        (LifecycleStage.Customer, "customer"),
        (LifecycleStage.Evangelist, "evangelist"),
        (LifecycleStage.Former, "former"),
        (LifecycleStage.Other, "other"),
    ];

    /// <summary>The stage as customer.v1 spells it (<c>sales_qualified_lead</c>), which is also a valid dropdown tag.</summary>
    private static string StageName(LifecycleStage stage) => Stages[(int)stage].Stage == stage ? Stages[(int)stage].Name : Stages.First(s => s.Stage == stage).Name;

    private static LifecycleStage? ParseStage(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        var name = text.Trim().ToLowerInvariant();
        foreach (var (stage, stageName) in Stages)
        {
            if (stageName == name)
            {
                return stage;
            }
        }

        return LifecycleStage.Other;
    }

    private PostalAddress? AddressFromFields(Dictionary<string, JsonElement>? fields)
    {
        var street = Text(fields, Key(_keys.Street));
        var street2 = Text(fields, Key(_keys.Street2));
        var city = Text(fields, Key(_keys.City));
        var postal = Text(fields, Key(_keys.PostalCode));
        var region = Text(fields, Key(_keys.Region));
        var country = Text(fields, Key(_keys.Country));
        return street is null && street2 is null && city is null && postal is null && region is null && country is null
            ? null
            : new PostalAddress { Role = AddressRole.Billing, Street = street, Street2 = street2, City = city, PostalCode = postal, Region = region, Country = country };
    }

    private IEnumerable<string?> AddressKeys() => [Key(_keys.Street), Key(_keys.Street2), Key(_keys.City), Key(_keys.PostalCode), Key(_keys.Region), Key(_keys.Country)];

    /// <summary>A field value as text (numbers and booleans in their JSON form), or null when absent, null or empty.</summary>
    public static string? Text(Dictionary<string, JsonElement>? fields, string? key)
    {
        if (key is null || fields is null || !fields.TryGetValue(key, out var value))
        {
            return null;
        }

        var text = value.ValueKind switch
        {
            JsonValueKind.String => value.GetString(),
            JsonValueKind.Null or JsonValueKind.Undefined => null,
            _ => value.GetRawText(),
        };
        return string.IsNullOrEmpty(text) ? null : text;
    }

    private static string? Key(string? key) => string.IsNullOrWhiteSpace(key) ? null : key.Trim();

    private static void AddKey(List<string> keys, string? key)
    {
        if (key is not null && !keys.Contains(key, StringComparer.Ordinal))
        {
            keys.Add(key);
        }
    }

    private static void Put(Dictionary<string, string?> fields, string? key, string? value)
    {
        if (key is not null)
        {
            fields[key] = string.IsNullOrEmpty(value) ? null : value;
        }
    }
}

/// <summary>
/// The billing address as <c>details</c> text agents can read: street, second line, postal code and city, then
/// <c>REGION, CC</c> (or the country alone). Read back line by line: what does not fit that shape becomes the street.
/// </summary>
internal static class AddressText
{
    public static string? Format(PostalAddress? address)
    {
        if (address is null)
        {
            return null;
        }

        var postalCity = Join(address.PostalCode, " ", address.City);
        var regionCountry = Join(address.Region, ", ", address.Country);
        var text = Join(Join(Join(address.Street, "\n", address.Street2), "\n", postalCity), "\n", regionCountry);
        return text.Length == 0 ? null : text;

        static string Join(string? left, string separator, string? right)
        {
            var l = string.IsNullOrWhiteSpace(left) ? string.Empty : left.Trim();
            var r = string.IsNullOrWhiteSpace(right) ? string.Empty : right.Trim();
            return l.Length == 0 ? r : r.Length == 0 ? l : string.Concat(l, separator, r);
        }
    }

    public static PostalAddress? Parse(string? text, AddressRole role)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        var lines = text.Replace("\r", string.Empty, StringComparison.Ordinal).Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToList();
        string? region = null;
        string? country = null;
        if (lines.Count > 0 && TryRegionCountry(lines[^1], out region, out country))
        {
            lines.RemoveAt(lines.Count - 1);
        }

        string? postal = null;
        string? city = null;
        if (lines.Count > 1 || (lines.Count == 1 && country is not null))
        {
            var last = lines[^1];
            var space = last.IndexOf(' ', StringComparison.Ordinal);
            var first = space < 0 ? last : last[..space];
            if (first.Any(char.IsDigit))
            {
                postal = first;
                city = space < 0 ? null : last[(space + 1)..].Trim();
            }
            else
            {
                city = last;
            }

            lines.RemoveAt(lines.Count - 1);
        }

        return new PostalAddress
        {
            Role = role,
            Street = lines.Count > 0 ? lines[0] : null,
            Street2 = lines.Count > 1 ? string.Join(", ", lines.Skip(1)) : null,
            PostalCode = postal,
            City = string.IsNullOrEmpty(city) ? null : city,
            Region = region,
            Country = country,
        };
    }

    private static bool TryRegionCountry(string line, out string? region, out string? country)
    {
        region = null;
        country = null;
        var parts = line.Split(',', StringSplitOptions.TrimEntries);
        if (parts.Length == 1 && IsCountry(parts[0]))
        {
            country = parts[0];
            return true;
        }

        if (parts.Length == 2 && IsCountry(parts[1]) && parts[0].StartsWith(parts[1] + "-", StringComparison.Ordinal))
        {
            region = parts[0];
            country = parts[1];
            return true;
        }

        return false;
    }

    private static bool IsCountry(string text) => text.Length == 2 && char.IsAsciiLetterUpper(text[0]) && char.IsAsciiLetterUpper(text[1]);
}
