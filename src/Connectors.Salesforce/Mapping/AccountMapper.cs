using System.Collections.Immutable;
using System.Text.Json;
using Concord.Canonical;
using Concord.Canonical.Normalization;
using Concord.Connectors.Salesforce.Api;
using Concord.Connectors.Salesforce.Api.Dtos;
using Concord.Connectors.Salesforce.Internal;

namespace Concord.Connectors.Salesforce.Mapping;

/// <summary>Pure functions between canonical customers and Salesforce Accounts (business accounts) with their Contacts.</summary>
internal static class AccountMapper
{
    public const string IndustryAttribute = "industry";
    public const string AccountNumberAttribute = "accountNumber";

    /// <summary>
    /// The body that writes <paramref name="customer"/> to an Account: with <c>attributes</c> for collections, with
    /// <paramref name="id"/> for an update by id, and with the external id unless it travels in the URL.
    /// </summary>
    public static SObjectBody ToAccountBody(CanonicalCustomer customer, SalesforceConnectorOptions options, OrgContext org, string? id, bool withExternalId = true, bool withAttributes = true)
    {
        var body = new SObjectBody(withAttributes ? "Account" : null, id);
        if (withExternalId)
        {
            body.Set(options.AccountExternalIdField, customer.Provenance.CanonicalId);
        }

        if (org.PersonAccounts && customer.Kind == CustomerKind.Person)
        {
            // A person account: Name is derived from the first and last name and cannot be written.
            if (id is null && org.PersonRecordTypeId is not null)
            {
                body.Set("RecordTypeId", org.PersonRecordTypeId);
            }

            var (first, last) = SplitName(customer.Name);
            Put(body, "FirstName", first);
            Put(body, "LastName", last);
            Put(body, "PersonEmail", customer.Emails.IsDefaultOrEmpty ? null : customer.Emails[0].Address);
            Put(body, "PersonMobilePhone", Phone(customer.Phones, p => p.Use == ContactPointUse.Mobile));
            Put(body, "Phone", Phone(customer.Phones, p => p.Use is not ContactPointUse.Mobile and not ContactPointUse.Fax));
        }
        else
        {
            Put(body, "Name", customer.Name);
            Put(body, "Phone", FirstPhone(customer.Phones, fax: false));
        }

        Put(body, "Website", customer.Website);
        Put(body, "Fax", FirstPhone(customer.Phones, fax: true));
        Put(body, "Description", customer.Notes);
        Put(body, "AccountNumber", customer.CustomAttributes.GetValueOrDefault(AccountNumberAttribute));
        Put(body, "Industry", customer.CustomAttributes.GetValueOrDefault(IndustryAttribute));
        PutAddress(body, "Billing", customer.AddressFor(AddressRole.Billing) ?? customer.AddressFor(AddressRole.Main), org.UseAddressCodes);
        PutAddress(body, "Shipping", customer.AddressFor(AddressRole.Shipping), org.UseAddressCodes);
        org.CustomAttributes.Write(customer.CustomAttributes, (field, value) => body.Set(field, value));
        return body;
    }

    /// <summary>The body that writes <paramref name="contact"/> under the Account <paramref name="accountId"/>, by <paramref name="id"/> when known, stamping its external id.</summary>
    public static SObjectBody ToContactBody(Contact contact, string accountId, SalesforceConnectorOptions options, string? id)
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

        var body = new SObjectBody("Contact", id)
            .Set(options.ContactExternalIdField, contact.Id)
            .Set("AccountId", accountId);
        Put(body, "FirstName", contact.GivenName);
        Put(body, "LastName", string.IsNullOrWhiteSpace(contact.FamilyName) ? contact.Name : contact.FamilyName);
        Put(body, "Email", contact.Emails.IsDefaultOrEmpty ? null : contact.Emails[0].Address);
        Put(body, "Phone", phone);
        Put(body, "MobilePhone", mobile);
        Put(body, "Title", contact.JobTitle);
        return body;
    }

    /// <summary>The collections-update body that detaches the Contact <paramref name="id"/> from its Account.</summary>
    public static SObjectBody DetachContactBody(string id) => new SObjectBody("Contact", id).Set("AccountId", null);

    /// <summary>
    /// Every component of one address; an absent address clears them all. With State and Country/Territory picklists the
    /// codes go to the code fields (the text fields take only a listed name, and follow the code); without them the
    /// text fields get the country's English name and the subdivision code.
    /// </summary>
    private static void PutAddress(SObjectBody body, string prefix, PostalAddress? address, bool codes)
    {
        Put(body, prefix + "Street", address is null ? null : Street(address));
        Put(body, prefix + "City", address?.City);
        Put(body, prefix + "PostalCode", address?.PostalCode);
        Put(body, prefix + (codes ? "StateCode" : "State"), Subdivision(address?.Region));
        Put(body, prefix + (codes ? "CountryCode" : "Country"), codes ? address?.Country : CountryNames.NameOf(address?.Country) ?? address?.Country);
    }

    /// <summary>
    /// Writes a field the connector maps, null included: the canonical customer is the whole truth for the fields it maps,
    /// so a value it no longer has is cleared in Salesforce (a PATCH leaves a field it does not name as it is).
    /// </summary>
    private static void Put(SObjectBody body, string field, string? value) => body.Set(field, value);

    /// <summary>The canonical customer of an Account row and its contacts, normalised when its data allows.</summary>
    public static CanonicalCustomer ToCustomer(AccountRecord account, IReadOnlyList<ContactRecord> contacts, string connectorName, SalesforceConnectorOptions options, OrgContext org)
    {
        var phones = ImmutableArray.CreateBuilder<PhoneNumber>();
        if (!string.IsNullOrWhiteSpace(account.Phone))
        {
            phones.Add(new PhoneNumber { Raw = account.Phone, Use = ContactPointUse.Work });
        }

        if (!string.IsNullOrWhiteSpace(account.Fax))
        {
            phones.Add(new PhoneNumber { Raw = account.Fax, Use = ContactPointUse.Fax });
        }

        var person = org.PersonAccounts && string.Equals(ReadString(account.Extra, "IsPersonAccount"), "true", StringComparison.OrdinalIgnoreCase);
        var emails = ImmutableArray<EmailAddress>.Empty;
        var name = account.Name ?? string.Empty;
        if (person)
        {
            if (ReadString(account.Extra, "PersonMobilePhone") is { } mobile && !string.IsNullOrWhiteSpace(mobile))
            {
                phones.Add(new PhoneNumber { Raw = mobile, Use = ContactPointUse.Mobile });
            }

            if (ReadString(account.Extra, "PersonEmail") is { } email && !string.IsNullOrWhiteSpace(email))
            {
                emails = [new EmailAddress { Address = email }];
            }

            var full = string.Join(' ', new[] { ReadString(account.Extra, "FirstName"), ReadString(account.Extra, "LastName") }.Where(n => !string.IsNullOrWhiteSpace(n)));
            name = full.Length > 0 ? full : name;
        }

        var addresses = ImmutableArray.CreateBuilder<PostalAddress>(2);
        // The codes when the org has them (the text fields then hold names); otherwise free text, a name or a code.
        AddAddress(addresses, AddressRole.Billing, account.BillingStreet, account.BillingCity, account.BillingPostalCode, org.UseAddressCodes ? account.BillingStateCode : account.BillingState, org.UseAddressCodes ? account.BillingCountryCode : CountryNames.CodeOf(account.BillingCountry) ?? account.BillingCountry);
        AddAddress(addresses, AddressRole.Shipping, account.ShippingStreet, account.ShippingCity, account.ShippingPostalCode, org.UseAddressCodes ? account.ShippingStateCode : account.ShippingState, org.UseAddressCodes ? account.ShippingCountryCode : CountryNames.CodeOf(account.ShippingCountry) ?? account.ShippingCountry);

        var attributes = ImmutableSortedDictionary<string, string>.Empty.WithComparers(StringComparer.Ordinal);
        if (!string.IsNullOrWhiteSpace(account.Industry))
        {
            attributes = attributes.Add(IndustryAttribute, account.Industry);
        }

        if (!string.IsNullOrWhiteSpace(account.AccountNumber))
        {
            attributes = attributes.Add(AccountNumberAttribute, account.AccountNumber);
        }

        attributes = org.CustomAttributes.Read(field => ReadString(account.Extra, field), attributes);
        var contactList = ImmutableArray.CreateBuilder<Contact>(contacts.Count);
        foreach (var contact in contacts)
        {
            contactList.Add(ToContact(contact, connectorName, options));
        }

        var customer = new CanonicalCustomer
        {
            Kind = person ? CustomerKind.Person : CustomerKind.Company,
            Name = name,
            Emails = emails,
            Website = account.Website,
            Phones = phones.ToImmutable(),
            Addresses = addresses.ToImmutable(),
            Notes = account.Description,
            CustomAttributes = attributes,
            Contacts = contactList.ToImmutable(),
            Provenance = new Provenance
            {
                CanonicalId = ReadString(account.Extra, options.AccountExternalIdField),
                ExternalRefs = account.Id is null ? [] : [new ExternalRef(connectorName, account.Id)],
                SourceSystem = connectorName,
                // When someone last changed the values: a system update (a roll-up, a sharing recalculation) moves only
                // SystemModstamp, and must not make these values look newer than a later edit elsewhere.
                SourceModifiedAt = account.LastModifiedDate ?? account.SystemModstamp,
                SourceVersion = account.SystemModstamp is { } stamp ? SalesforceDateTimeConverter.ToSoqlLiteral(stamp) : null,
                Actor = account.LastModifiedById,
            },
        };

        // Data that breaks the canonical rules (a free-text country) is returned as read: the engine's validation reports it.
        return CustomerNormalizer.TryNormalize(customer, out var normalized, out _) ? normalized : customer;
    }

    private static Contact ToContact(ContactRecord contact, string connectorName, SalesforceConnectorOptions options)
    {
        var phones = ImmutableArray.CreateBuilder<PhoneNumber>();
        if (!string.IsNullOrWhiteSpace(contact.Phone))
        {
            phones.Add(new PhoneNumber { Raw = contact.Phone, Use = ContactPointUse.Work });
        }

        if (!string.IsNullOrWhiteSpace(contact.MobilePhone))
        {
            phones.Add(new PhoneNumber { Raw = contact.MobilePhone, Use = ContactPointUse.Mobile });
        }

        var name = string.Join(' ', new[] { contact.FirstName, contact.LastName }.Where(n => !string.IsNullOrWhiteSpace(n)));
        return new Contact
        {
            Id = ReadString(contact.Extra, options.ContactExternalIdField),
            ExternalRefs = contact.Id is null ? [] : [new ExternalRef(connectorName, contact.Id)],
            Name = name,
            GivenName = contact.FirstName,
            FamilyName = contact.LastName,
            JobTitle = contact.Title,
            Emails = string.IsNullOrWhiteSpace(contact.Email) ? [] : [new EmailAddress { Address = contact.Email }],
            Phones = phones.ToImmutable(),
        };
    }

    /// <summary>
    /// The text of <paramref name="field"/> among a row's other fields. Salesforce answers with the schema's spelling of a
    /// field, whatever the query's, so a name from configuration is matched without regard to case.
    /// </summary>
    internal static string? ReadString(Dictionary<string, JsonElement>? extra, string field)
    {
        if (extra is null)
        {
            return null;
        }

        if (!extra.TryGetValue(field, out var value))
        {
            var match = extra.FirstOrDefault(e => string.Equals(e.Key, field, StringComparison.OrdinalIgnoreCase));
            if (match.Key is null)
            {
                return null;
            }

            value = match.Value;
        }

        return value.ValueKind switch
        {
            JsonValueKind.String => value.GetString(),
            JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False => value.GetRawText(),
            _ => null,
        };
    }

    private static string? FirstPhone(ImmutableArray<PhoneNumber> phones, bool fax)
    {
        foreach (var phone in phones)
        {
            if ((phone.Use == ContactPointUse.Fax) == fax)
            {
                return phone.E164 ?? phone.Raw;
            }
        }

        return null;
    }

    private static string? Phone(ImmutableArray<PhoneNumber> phones, Func<PhoneNumber, bool> which)
    {
        foreach (var phone in phones)
        {
            if (which(phone))
            {
                return phone.E164 ?? phone.Raw;
            }
        }

        return null;
    }

    /// <summary>A person's name as Salesforce's first and last name: the last word is the last name (required), the rest the first.</summary>
    private static (string? First, string Last) SplitName(string name)
    {
        var trimmed = name.Trim();
        var space = trimmed.LastIndexOf(' ');
        return space <= 0 ? (null, trimmed) : (trimmed[..space].TrimEnd(), trimmed[(space + 1)..]);
    }

    private static string? Street(PostalAddress address) =>
        string.IsNullOrWhiteSpace(address.Street2) ? address.Street : string.Concat(address.Street, "\n", address.Street2);

    /// <summary>ISO 3166-2 <c>US-CA</c> becomes the state code <c>CA</c>.</summary>
    private static string? Subdivision(string? region)
    {
        if (region is null)
        {
            return null;
        }

        var dash = region.IndexOf('-', StringComparison.Ordinal);
        return dash >= 0 ? region[(dash + 1)..] : region;
    }

    private static void AddAddress(ImmutableArray<PostalAddress>.Builder addresses, AddressRole role, string? street, string? city, string? postalCode, string? state, string? country)
    {
        if (street is null && city is null && postalCode is null && state is null && country is null)
        {
            return;
        }

        string? street1 = street;
        string? street2 = null;
        var newline = street?.IndexOf('\n', StringComparison.Ordinal) ?? -1;
        if (newline >= 0)
        {
            street1 = street![..newline].TrimEnd('\r');
            street2 = street[(newline + 1)..];
        }

        addresses.Add(new PostalAddress
        {
            Role = role,
            Street = street1,
            Street2 = street2,
            City = city,
            PostalCode = postalCode,
            Country = country,
            Region = state is null || country is not { Length: 2 } || state.Contains('-', StringComparison.Ordinal) ? state : string.Concat(country, "-", state),
        });
    }
}
