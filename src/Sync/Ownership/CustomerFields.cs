using System.Collections.Immutable;
using Concord.Canonical;

namespace Concord.Sync.Ownership;

/// <summary>Reads, compares and copies the field groups of a customer.</summary>
internal static class CustomerFields
{
    public static ImmutableArray<CustomerField> All { get; } = [.. Enum.GetValues<CustomerField>()];

    public static ImmutableArray<CustomerField>? ForMember(string member) => member switch
    {
        nameof(CanonicalCustomer.Kind) => [CustomerField.Kind],
        nameof(CanonicalCustomer.Name) => [CustomerField.Name],
        nameof(CanonicalCustomer.LegalName) => [CustomerField.LegalName],
        nameof(CanonicalCustomer.Status) => [CustomerField.Status],
        nameof(CanonicalCustomer.Contacts) => [CustomerField.Contacts],
        nameof(CanonicalCustomer.Addresses) => [CustomerField.MainAddress, CustomerField.BillingAddress, CustomerField.ShippingAddress, CustomerField.OtherAddresses],
        nameof(CanonicalCustomer.TaxIds) => [CustomerField.TaxIds],
        nameof(CanonicalCustomer.Emails) => [CustomerField.Emails],
        nameof(CanonicalCustomer.Phones) => [CustomerField.Phones],
        nameof(CanonicalCustomer.Website) or nameof(CanonicalCustomer.Domain) => [CustomerField.Website],
        nameof(CanonicalCustomer.LifecycleStage) => [CustomerField.LifecycleStage],
        nameof(CanonicalCustomer.Consents) => [CustomerField.Consents],
        nameof(CanonicalCustomer.Currency) => [CustomerField.Currency],
        nameof(CanonicalCustomer.Language) => [CustomerField.Language],
        nameof(CanonicalCustomer.Tags) => [CustomerField.Tags],
        nameof(CanonicalCustomer.Notes) => [CustomerField.Notes],
        nameof(CanonicalCustomer.CustomAttributes) => [CustomerField.CustomAttributes],
        _ => null,
    };

    public static bool Same(CustomerField field, CanonicalCustomer left, CanonicalCustomer right) => field switch
    {
        CustomerField.Kind => left.Kind == right.Kind,
        CustomerField.Name => left.Name == right.Name,
        CustomerField.LegalName => left.LegalName == right.LegalName,
        CustomerField.Status => left.Status == right.Status,
        CustomerField.Contacts => SameContacts(left.Contacts, right.Contacts),
        CustomerField.MainAddress or CustomerField.BillingAddress or CustomerField.ShippingAddress or CustomerField.OtherAddresses =>
            Addresses(left, RoleOf(field)).SequenceEqual(Addresses(right, RoleOf(field))),
        CustomerField.TaxIds => left.TaxIds.SequenceEqual(right.TaxIds),
        CustomerField.Emails => left.Emails.SequenceEqual(right.Emails),
        CustomerField.Phones => SamePhones(left.Phones, right.Phones),
        CustomerField.Website => left.Website == right.Website && left.Domain == right.Domain,
        CustomerField.LifecycleStage => left.LifecycleStage == right.LifecycleStage,
        CustomerField.Consents => left.Consents.SequenceEqual(right.Consents),
        CustomerField.Currency => left.Currency == right.Currency,
        CustomerField.Language => left.Language == right.Language,
        CustomerField.Tags => left.Tags.SequenceEqual(right.Tags),
        CustomerField.Notes => left.Notes == right.Notes,
        CustomerField.CustomAttributes => SameAttributes(left.CustomAttributes, right.CustomAttributes),
        _ => throw new ArgumentOutOfRangeException(nameof(field), field, null),
    };

    public static bool IsEmpty(CustomerField field, CanonicalCustomer customer) => field switch
    {
        CustomerField.Kind or CustomerField.Status => false,
        CustomerField.Name => string.IsNullOrWhiteSpace(customer.Name),
        CustomerField.LegalName => string.IsNullOrWhiteSpace(customer.LegalName),
        CustomerField.Contacts => customer.Contacts.IsDefaultOrEmpty,
        CustomerField.MainAddress or CustomerField.BillingAddress or CustomerField.ShippingAddress or CustomerField.OtherAddresses =>
            !Addresses(customer, RoleOf(field)).Any(),
        CustomerField.TaxIds => customer.TaxIds.IsDefaultOrEmpty,
        CustomerField.Emails => customer.Emails.IsDefaultOrEmpty,
        CustomerField.Phones => customer.Phones.IsDefaultOrEmpty,
        CustomerField.Website => string.IsNullOrWhiteSpace(customer.Website) && string.IsNullOrWhiteSpace(customer.Domain),
        CustomerField.LifecycleStage => customer.LifecycleStage is null,
        CustomerField.Consents => customer.Consents.IsDefaultOrEmpty,
        CustomerField.Currency => string.IsNullOrWhiteSpace(customer.Currency),
        CustomerField.Language => string.IsNullOrWhiteSpace(customer.Language),
        CustomerField.Tags => customer.Tags.IsDefaultOrEmpty,
        CustomerField.Notes => string.IsNullOrWhiteSpace(customer.Notes),
        CustomerField.CustomAttributes => customer.CustomAttributes.Count == 0,
        _ => throw new ArgumentOutOfRangeException(nameof(field), field, null),
    };

    /// <summary>Returns <paramref name="into"/> with the value of <paramref name="field"/> taken from <paramref name="from"/>.</summary>
    public static CanonicalCustomer Copy(CustomerField field, CanonicalCustomer into, CanonicalCustomer from) => field switch
    {
        CustomerField.Kind => into with { Kind = from.Kind },
        CustomerField.Name => into with { Name = from.Name },
        CustomerField.LegalName => into with { LegalName = from.LegalName },
        CustomerField.Status => into with { Status = from.Status },
        CustomerField.Contacts => into with { Contacts = from.Contacts },
        CustomerField.MainAddress or CustomerField.BillingAddress or CustomerField.ShippingAddress or CustomerField.OtherAddresses =>
            into with { Addresses = [.. into.Addresses.Where(a => a.Role != RoleOf(field)), .. Addresses(from, RoleOf(field))] },
        CustomerField.TaxIds => into with { TaxIds = from.TaxIds },
        CustomerField.Emails => into with { Emails = from.Emails },
        CustomerField.Phones => into with { Phones = from.Phones },
        CustomerField.Website => into with { Website = from.Website, Domain = from.Domain },
        CustomerField.LifecycleStage => into with { LifecycleStage = from.LifecycleStage },
        CustomerField.Consents => into with { Consents = from.Consents },
        CustomerField.Currency => into with { Currency = from.Currency },
        CustomerField.Language => into with { Language = from.Language },
        CustomerField.Tags => into with { Tags = from.Tags },
        CustomerField.Notes => into with { Notes = from.Notes },
        CustomerField.CustomAttributes => into with { CustomAttributes = from.CustomAttributes },
        _ => throw new ArgumentOutOfRangeException(nameof(field), field, null),
    };

    /// <summary>Returns <paramref name="customer"/> with <paramref name="field"/> emptied (required groups are kept).</summary>
    public static CanonicalCustomer Clear(CustomerField field, CanonicalCustomer customer) => field switch
    {
        CustomerField.Kind or CustomerField.Name or CustomerField.Status => customer,
        CustomerField.LegalName => customer with { LegalName = null },
        CustomerField.Contacts => customer with { Contacts = [] },
        CustomerField.MainAddress or CustomerField.BillingAddress or CustomerField.ShippingAddress or CustomerField.OtherAddresses =>
            customer with { Addresses = [.. customer.Addresses.Where(a => a.Role != RoleOf(field))] },
        CustomerField.TaxIds => customer with { TaxIds = [] },
        CustomerField.Emails => customer with { Emails = [] },
        CustomerField.Phones => customer with { Phones = [] },
        CustomerField.Website => customer with { Website = null, Domain = null },
        CustomerField.LifecycleStage => customer with { LifecycleStage = null },
        CustomerField.Consents => customer with { Consents = [] },
        CustomerField.Currency => customer with { Currency = null },
        CustomerField.Language => customer with { Language = null },
        CustomerField.Tags => customer with { Tags = [] },
        CustomerField.Notes => customer with { Notes = null },
        CustomerField.CustomAttributes => customer with { CustomAttributes = customer.CustomAttributes.Clear() },
        _ => throw new ArgumentOutOfRangeException(nameof(field), field, null),
    };

    private static AddressRole RoleOf(CustomerField field) => field switch
    {
        CustomerField.MainAddress => AddressRole.Main,
        CustomerField.BillingAddress => AddressRole.Billing,
        CustomerField.ShippingAddress => AddressRole.Shipping,
        _ => AddressRole.Other,
    };

    private static IEnumerable<PostalAddress> Addresses(CanonicalCustomer customer, AddressRole role) => customer.Addresses.Where(a => a.Role == role);

    // Contacts compare on what every system keeps: name, emails, phones and title, in any order. Ids and external refs
    // are per system, and given/family names or language count only when both sides hold them (Odoo keeps one name).
    private static bool SameContacts(ImmutableArray<Contact> left, ImmutableArray<Contact> right)
    {
        if (left.Length != right.Length)
        {
            return false;
        }

        var leftSorted = left.OrderBy(c => c.Name, StringComparer.Ordinal).ThenBy(c => c.Emails.FirstOrDefault()?.Address, StringComparer.Ordinal).ToList();
        var rightSorted = right.OrderBy(c => c.Name, StringComparer.Ordinal).ThenBy(c => c.Emails.FirstOrDefault()?.Address, StringComparer.Ordinal).ToList();
        for (var i = 0; i < leftSorted.Count; i++)
        {
            if (!SameContact(leftSorted[i], rightSorted[i]))
            {
                return false;
            }
        }

        return true;
    }

    private static bool SameContact(Contact left, Contact right) =>
        left.Name == right.Name
        && left.JobTitle == right.JobTitle
        && left.Emails.Select(e => e.Address).SequenceEqual(right.Emails.Select(e => e.Address), StringComparer.Ordinal)
        && left.Phones.Select(p => p.E164 ?? p.Raw).SequenceEqual(right.Phones.Select(p => p.E164 ?? p.Raw), StringComparer.Ordinal)
        && BothOrEither(left.GivenName, right.GivenName)
        && BothOrEither(left.FamilyName, right.FamilyName)
        && BothOrEither(left.Language, right.Language);

    // Phones compare on the number (E.164 when it is known, as vendors store it) and its use, not on the raw text the
    // source typed: "+49 30 1000037" written to a vendor reads back as "+49301000037", and is the same phone.
    private static bool SamePhones(ImmutableArray<PhoneNumber> left, ImmutableArray<PhoneNumber> right) =>
        left.Select(p => (p.E164 ?? p.Raw, p.Use)).SequenceEqual(right.Select(p => (p.E164 ?? p.Raw, p.Use)));

    private static bool BothOrEither(string? left, string? right) => left is null || right is null || left == right;

    private static bool SameAttributes(IReadOnlyDictionary<string, string> left, IReadOnlyDictionary<string, string> right) =>
        ReferenceEquals(left, right)
        || (left.Count == right.Count && left.All(pair => right.TryGetValue(pair.Key, out var other) && string.Equals(pair.Value, other, StringComparison.Ordinal)));
}
