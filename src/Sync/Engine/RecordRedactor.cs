using Concord.Canonical;
using Concord.Canonical.Privacy;

namespace Concord.Sync.Engine;

/// <summary>
/// Removes a record's own values (names, emails, phones, tax ids, street lines) from a vendor message before it is
/// logged or stored as a reason: a generic masker finds emails and digit runs, but only the record knows its names.
/// </summary>
internal static class RecordRedactor
{
    private const int MinimumLength = 3;

    public static string Redact(string text, CanonicalCustomer? customer)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (customer is not null)
        {
            foreach (var value in ValuesOf(customer).OfType<string>().Where(v => v.Length >= MinimumLength).Distinct(StringComparer.OrdinalIgnoreCase).OrderByDescending(v => v.Length))
            {
                text = text.Replace(value, "***", StringComparison.OrdinalIgnoreCase);
            }
        }

        return PersonalDataMasker.Mask(text);
    }

    // Null entries (a malformed record, refused by normalisation) are skipped rather than dereferenced.
    private static IEnumerable<string?> ValuesOf(CanonicalCustomer customer)
    {
        yield return customer.Name;
        if (customer.LegalName is { } legalName)
        {
            yield return legalName;
        }

        foreach (var email in customer.Emails.OfType<EmailAddress>())
        {
            yield return email.Address;
        }

        foreach (var phone in customer.Phones.OfType<PhoneNumber>())
        {
            yield return phone.Raw;
        }

        foreach (var taxId in customer.TaxIds.OfType<TaxIdentifier>())
        {
            yield return taxId.Value;
        }

        foreach (var address in customer.Addresses.OfType<PostalAddress>())
        {
            if (address.Street is { } street)
            {
                yield return street;
            }

            if (address.Street2 is { } street2)
            {
                yield return street2;
            }
        }

        foreach (var contact in customer.Contacts.OfType<Contact>())
        {
            yield return contact.Name;
            if (contact.GivenName is { } given)
            {
                yield return given;
            }

            if (contact.FamilyName is { } family)
            {
                yield return family;
            }

            foreach (var email in contact.Emails.OfType<EmailAddress>())
            {
                yield return email.Address;
            }

            foreach (var phone in contact.Phones.OfType<PhoneNumber>())
            {
                yield return phone.Raw;
            }
        }
    }
}
