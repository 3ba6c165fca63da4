using System.Collections.Immutable;
using System.Globalization;
using System.Text;
using Concord.Canonical.Errors;

namespace Concord.Canonical.Normalization;

/// <summary>
/// The structural checks <see cref="CustomerNormalizer.TryNormalize"/> runs before it normalises anything: no list holds a
/// null entry, required strings are present, and no text carries a NUL character or an unpaired UTF-16 surrogate (which
/// no vendor stores faithfully: JSON and XML writers refuse or replace them, databases truncate at NUL). Errors name the
/// field by canonical JSON path and never echo its value.
/// </summary>
internal static class CustomerIntegrity
{
    public static List<FieldError>? Check(CanonicalCustomer customer)
    {
        var errors = new Checker();
        errors.Required(customer.Name, "$.name");
        errors.Text(customer.SchemaVersion, "$.schemaVersion");
        errors.Text(customer.LegalName, "$.legalName");
        errors.Text(customer.Website, "$.website");
        errors.Text(customer.Domain, "$.domain");
        errors.Text(customer.Currency, "$.currency");
        errors.Text(customer.Language, "$.language");
        errors.Text(customer.Notes, "$.notes");
        errors.Each(customer.Contacts, "$.contacts", static (e, contact, path) =>
        {
            e.Text(contact.Id, path + ".id");
            e.Required(contact.Name, path + ".name");
            e.Text(contact.GivenName, path + ".givenName");
            e.Text(contact.FamilyName, path + ".familyName");
            e.Text(contact.JobTitle, path + ".jobTitle");
            e.Text(contact.Language, path + ".language");
            e.Emails(contact.Emails, path + ".emails");
            e.Phones(contact.Phones, path + ".phones");
            e.References(contact.ExternalRefs, path + ".externalRefs");
        });
        errors.Each(customer.Addresses, "$.addresses", static (e, address, path) =>
        {
            e.Text(address.Name, path + ".name");
            e.Text(address.Street, path + ".street");
            e.Text(address.Street2, path + ".street2");
            e.Text(address.City, path + ".city");
            e.Text(address.PostalCode, path + ".postalCode");
            e.Text(address.Region, path + ".region");
            e.Text(address.Country, path + ".country");
        });
        errors.Each(customer.TaxIds, "$.taxIds", static (e, taxId, path) =>
        {
            e.Required(taxId.Value, path + ".value");
            e.Required(taxId.Country, path + ".country");
        });
        errors.Emails(customer.Emails, "$.emails");
        errors.Phones(customer.Phones, "$.phones");
        errors.Each(customer.Consents, "$.consents", static (e, consent, path) => e.Text(consent.Source, path + ".source"));
        errors.Each(customer.Tags, "$.tags", static (e, tag, path) => e.Text(tag, path));
        foreach (var (key, value) in customer.CustomAttributes)
        {
            var path = "$.customAttributes" + Member(key);
            errors.Text(key, path, "name");
            errors.Required(value, path);
        }

        var provenance = customer.Provenance;
        errors.Text(provenance.CanonicalId, "$.provenance.canonicalId");
        errors.Text(provenance.SourceSystem, "$.provenance.sourceSystem");
        errors.Text(provenance.SourceVersion, "$.provenance.sourceVersion");
        errors.Text(provenance.Actor, "$.provenance.actor");
        errors.References(provenance.ExternalRefs, "$.provenance.externalRefs");
        return errors.List;
    }

    private static string Member(string key)
    {
        foreach (var c in key)
        {
            if (!char.IsAsciiLetterOrDigit(c) && c != '_')
            {
                return "[" + Escaped(key) + "]";
            }
        }

        return key.Length == 0 ? "['']" : "." + key;
    }

    // A quoted key with everything outside printable ASCII escaped, so that a bad key cannot spoil the message.
    private static string Escaped(string key)
    {
        var builder = new StringBuilder("'");
        foreach (var c in key)
        {
            _ = c is >= ' ' and <= '~' and not '\'' and not '\\'
                ? builder.Append(c)
                : builder.Append(CultureInfo.InvariantCulture, $"\\u{(int)c:X4}");
        }

        return builder.Append('\'').ToString();
    }

    private sealed class Checker
    {
        public List<FieldError>? List { get; private set; }

        public void Each<T>(ImmutableArray<T> items, string path, Action<Checker, T, string> check)
            where T : class
        {
            if (items.IsDefault)
            {
                return;
            }

            for (var i = 0; i < items.Length; i++)
            {
                var itemPath = string.Create(CultureInfo.InvariantCulture, $"{path}[{i}]");
                if (items[i] is { } item)
                {
                    check(this, item, itemPath);
                }
                else
                {
                    Add(itemPath, "is null; a list entry must be present.", CustomerNormalizer.NullEntryRule);
                }
            }
        }

        public void Emails(ImmutableArray<EmailAddress> emails, string path) =>
            Each(emails, path, static (e, email, itemPath) => e.Required(email.Address, itemPath + ".address"));

        public void Phones(ImmutableArray<PhoneNumber> phones, string path) =>
            Each(phones, path, static (e, phone, itemPath) =>
            {
                e.Required(phone.Raw, itemPath + ".raw");
                e.Text(phone.E164, itemPath + ".e164");
            });

        public void References(ImmutableArray<ExternalRef> references, string path) =>
            Each(references, path, static (e, reference, itemPath) =>
            {
                e.Required(reference.System, itemPath + ".system");
                e.Required(reference.Id, itemPath + ".id");
            });

        public void Required(string? value, string path)
        {
            if (value is null)
            {
                Add(path, "is required.", CustomerNormalizer.RequiredRule);
                return;
            }

            Text(value, path);
        }

        public void Text(string? value, string path, string what = "value")
        {
            if (value is null)
            {
                return;
            }

            for (var i = 0; i < value.Length; i++)
            {
                var c = value[i];
                if (c == '\0')
                {
                    Add(path, string.Create(CultureInfo.InvariantCulture, $"has a NUL character (U+0000) in its {what} at position {i}."), CustomerNormalizer.TextRule);
                    return;
                }

                if (char.IsHighSurrogate(c) && i + 1 < value.Length && char.IsLowSurrogate(value[i + 1]))
                {
                    i++;
                    continue;
                }

                if (char.IsSurrogate(c))
                {
                    Add(path, string.Create(CultureInfo.InvariantCulture, $"has an unpaired UTF-16 surrogate (U+{(int)c:X4}) in its {what} at position {i}."), CustomerNormalizer.TextRule);
                    return;
                }
            }
        }

        private void Add(string path, string message, string code) => (List ??= []).Add(new FieldError(path, message, code));
    }
}
