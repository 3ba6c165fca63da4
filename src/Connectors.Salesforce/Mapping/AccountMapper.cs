using System.Collections.Immutable;
using System.Text.Json;
using Concord.Canonical;
using Concord.Canonical.Normalization;
using Concord.Connectors.Salesforce.Api;
using Concord.Connectors.Salesforce.Api.Dtos;

namespace Concord.Connectors.Salesforce.Mapping;

/// <summary>Pure functions between canonical customers and Salesforce Accounts (business accounts) with their Contacts.</summary>
internal static class AccountMapper
{
    public const string IndustryAttribute = "industry";
    public const string AccountNumberAttribute = "accountNumber";

    /// <summary>The Account to upsert. The external id goes in the body only for collections (<paramref name="withExternalId"/>).</summary>
    public static AccountRecord ToAccount(CanonicalCustomer customer, SalesforceConnectorOptions options, bool withExternalId)
    {
        var record = new AccountRecord
        {
            Attributes = withExternalId ? AccountAttributes : null,
            Name = customer.Name,
            Website = customer.Website,
            Phone = FirstPhone(customer.Phones, fax: false),
            Fax = FirstPhone(customer.Phones, fax: true),
            Description = customer.Notes,
            AccountNumber = customer.CustomAttributes.GetValueOrDefault(AccountNumberAttribute),
            Industry = customer.CustomAttributes.GetValueOrDefault(IndustryAttribute),
        };

        var billing = customer.AddressFor(AddressRole.Billing) ?? customer.AddressFor(AddressRole.Main);
        if (billing is not null)
        {
            record.BillingStreet = Street(billing);
            record.BillingCity = billing.City;
            record.BillingPostalCode = billing.PostalCode;
            if (options.UseStateAndCountryPicklists)
            {
                record.BillingStateCode = Subdivision(billing.Region);
                record.BillingCountryCode = billing.Country;
            }
            else
            {
                record.BillingState = Subdivision(billing.Region);
                record.BillingCountry = billing.Country;
            }
        }

        var shipping = customer.AddressFor(AddressRole.Shipping);
        if (shipping is not null)
        {
            record.ShippingStreet = Street(shipping);
            record.ShippingCity = shipping.City;
            record.ShippingPostalCode = shipping.PostalCode;
            if (options.UseStateAndCountryPicklists)
            {
                record.ShippingStateCode = Subdivision(shipping.Region);
                record.ShippingCountryCode = shipping.Country;
            }
            else
            {
                record.ShippingState = Subdivision(shipping.Region);
                record.ShippingCountry = shipping.Country;
            }
        }

        if (withExternalId)
        {
            record.Extra = new Dictionary<string, object>(1, StringComparer.Ordinal) { [options.AccountExternalIdField] = customer.Provenance.CanonicalId! };
        }

        return record;
    }

    /// <summary>The Contact to upsert, linked to its Account through the Account's external id.</summary>
    public static ContactRecord ToContact(Contact contact, string accountCanonicalId, SalesforceConnectorOptions options)
    {
        Dictionary<string, object>? extra = null;
        if (contact.Id is not null)
        {
            extra = new Dictionary<string, object>(1, StringComparer.Ordinal) { [options.ContactExternalIdField] = contact.Id };
        }

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

        return new ContactRecord
        {
            Attributes = ContactAttributes,
            FirstName = contact.GivenName,
            LastName = string.IsNullOrWhiteSpace(contact.FamilyName) ? contact.Name : contact.FamilyName,
            Email = contact.Emails.IsDefaultOrEmpty ? null : contact.Emails[0].Address,
            Phone = phone,
            MobilePhone = mobile,
            Title = contact.JobTitle,
            Account = new Dictionary<string, string>(1, StringComparer.Ordinal) { [options.AccountExternalIdField] = accountCanonicalId },
            Extra = extra,
        };
    }

    /// <summary>The canonical customer of an Account row and its contacts, normalised when its data allows.</summary>
    public static CanonicalCustomer ToCustomer(AccountRecord account, IReadOnlyList<ContactRecord> contacts, string connectorName, SalesforceConnectorOptions options)
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

        var addresses = ImmutableArray.CreateBuilder<PostalAddress>(2);
        AddAddress(addresses, AddressRole.Billing, account.BillingStreet, account.BillingCity, account.BillingPostalCode, account.BillingStateCode ?? account.BillingState, account.BillingCountryCode ?? account.BillingCountry);
        AddAddress(addresses, AddressRole.Shipping, account.ShippingStreet, account.ShippingCity, account.ShippingPostalCode, account.ShippingStateCode ?? account.ShippingState, account.ShippingCountryCode ?? account.ShippingCountry);

        var attributes = ImmutableSortedDictionary<string, string>.Empty.WithComparers(StringComparer.Ordinal);
        if (!string.IsNullOrWhiteSpace(account.Industry))
        {
            attributes = attributes.Add(IndustryAttribute, account.Industry);
        }

        if (!string.IsNullOrWhiteSpace(account.AccountNumber))
        {
            attributes = attributes.Add(AccountNumberAttribute, account.AccountNumber);
        }

        var contactList = ImmutableArray.CreateBuilder<Contact>(contacts.Count);
        foreach (var contact in contacts)
        {
            contactList.Add(ToContact(contact, connectorName, options));
        }

        var customer = new CanonicalCustomer
        {
            Kind = CustomerKind.Company,
            Name = account.Name ?? string.Empty,
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
                SourceModifiedAt = account.SystemModstamp,
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

    private static readonly SObjectAttributes AccountAttributes = new() { Type = "Account" };
    private static readonly SObjectAttributes ContactAttributes = new() { Type = "Contact" };

    internal static string? ReadString(Dictionary<string, object>? extra, string field)
    {
        if (extra is null || !extra.TryGetValue(field, out var value))
        {
            return null;
        }

        return value switch
        {
            string text => text,
            JsonElement { ValueKind: JsonValueKind.String } element => element.GetString(),
            JsonElement { ValueKind: JsonValueKind.Number } element => element.GetRawText(),
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
