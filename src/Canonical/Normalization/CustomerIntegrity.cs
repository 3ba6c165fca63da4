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
        // The walk allocates nothing for a whole customer: paths are spelled out only for an error.
        var errors = new Checker();
        errors.Required(customer.Name, ".name");
        errors.Text(customer.SchemaVersion, ".schemaVersion");
        errors.Text(customer.LegalName, ".legalName");
        errors.Text(customer.Website, ".website");
        errors.Text(customer.Domain, ".domain");
        errors.Text(customer.Currency, ".currency");
        errors.Text(customer.Language, ".language");
        errors.Text(customer.Notes, ".notes");
        errors.Each(customer.Contacts, ".contacts", static (e, contact) =>
        {
            e.Text(contact.Id, ".id");
            e.Required(contact.Name, ".name");
            e.Text(contact.GivenName, ".givenName");
            e.Text(contact.FamilyName, ".familyName");
            e.Text(contact.JobTitle, ".jobTitle");
            e.Text(contact.Language, ".language");
            e.Emails(contact.Emails);
            e.Phones(contact.Phones);
            e.References(contact.ExternalRefs);
        });
        errors.Each(customer.Addresses, ".addresses", static (e, address) =>
        {
            e.Text(address.Name, ".name");
            e.Text(address.Street, ".street");
            e.Text(address.Street2, ".street2");
            e.Text(address.City, ".city");
            e.Text(address.PostalCode, ".postalCode");
            e.Text(address.Region, ".region");
            e.Text(address.Country, ".country");
        });
        errors.Each(customer.TaxIds, ".taxIds", static (e, taxId) =>
        {
            e.Required(taxId.Value, ".value");
            e.Required(taxId.Country, ".country");
        });
        errors.Emails(customer.Emails);
        errors.Phones(customer.Phones);
        errors.Each(customer.Consents, ".consents", static (e, consent) => e.Text(consent.Source, ".source"));
        errors.Each(customer.Tags, ".tags", static (e, tag) => e.Text(tag, string.Empty));
        foreach (var (key, value) in customer.CustomAttributes)
        {
            errors.Attribute(key, value);
        }

        var provenance = customer.Provenance;
        errors.Text(provenance.CanonicalId, ".provenance.canonicalId");
        errors.Text(provenance.SourceSystem, ".provenance.sourceSystem");
        errors.Text(provenance.SourceVersion, ".provenance.sourceVersion");
        errors.Text(provenance.Actor, ".provenance.actor");
        errors.References(provenance.ExternalRefs, ".provenance.externalRefs");
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

    /// <summary>Walks a customer, keeping the path to the current item as segments (a member, or an index) until an error needs it.</summary>
    private sealed class Checker
    {
        private readonly List<(string Member, int Index)> _path = new(4);

        public List<FieldError>? List { get; private set; }

        public void Each<T>(ImmutableArray<T> items, string member, Action<Checker, T> check)
            where T : class
        {
            if (items.IsDefaultOrEmpty)
            {
                return;
            }

            for (var i = 0; i < items.Length; i++)
            {
                _path.Add((member, i));
                if (items[i] is { } item)
                {
                    check(this, item);
                }
                else
                {
                    Add(string.Empty, "is null; a list entry must be present.", CustomerNormalizer.NullEntryRule);
                }

                _path.RemoveAt(_path.Count - 1);
            }
        }

        public void Emails(ImmutableArray<EmailAddress> emails) =>
            Each(emails, ".emails", static (e, email) => e.Required(email.Address, ".address"));

        public void Phones(ImmutableArray<PhoneNumber> phones) =>
            Each(phones, ".phones", static (e, phone) =>
            {
                e.Required(phone.Raw, ".raw");
                e.Text(phone.E164, ".e164");
            });

        public void References(ImmutableArray<ExternalRef> references, string member = ".externalRefs") =>
            Each(references, member, static (e, reference) =>
            {
                e.Required(reference.System, ".system");
                e.Required(reference.Id, ".id");
            });

        public void Attribute(string key, string? value)
        {
            if (BadCharacter(key) is { } inKey)
            {
                Add(".customAttributes" + Member(key), Describe(inKey, "name"), CustomerNormalizer.TextRule);
            }

            if (value is null)
            {
                Add(".customAttributes" + Member(key), "is required.", CustomerNormalizer.RequiredRule);
            }
            else if (BadCharacter(value) is { } inValue)
            {
                Add(".customAttributes" + Member(key), Describe(inValue, "value"), CustomerNormalizer.TextRule);
            }
        }

        public void Required(string? value, string member)
        {
            if (value is null)
            {
                Add(member, "is required.", CustomerNormalizer.RequiredRule);
                return;
            }

            Text(value, member);
        }

        public void Text(string? value, string member)
        {
            if (value is not null && BadCharacter(value) is { } bad)
            {
                Add(member, Describe(bad, "value"), CustomerNormalizer.TextRule);
            }
        }

        /// <summary>The first NUL character or unpaired surrogate, with its position, or null.</summary>
        private static (char Character, int Position)? BadCharacter(string value)
        {
            for (var i = 0; i < value.Length; i++)
            {
                var c = value[i];
                if (c == '\0')
                {
                    return (c, i);
                }

                if (char.IsHighSurrogate(c) && i + 1 < value.Length && char.IsLowSurrogate(value[i + 1]))
                {
                    i++;
                    continue;
                }

                if (char.IsSurrogate(c))
                {
                    return (c, i);
                }
            }

            return null;
        }

        private static string Describe((char Character, int Position) bad, string what) => bad.Character == '\0'
            ? string.Create(CultureInfo.InvariantCulture, $"has a NUL character (U+0000) in its {what} at position {bad.Position}.")
            : string.Create(CultureInfo.InvariantCulture, $"has an unpaired UTF-16 surrogate (U+{(int)bad.Character:X4}) in its {what} at position {bad.Position}.");

        private void Add(string member, string message, string code)
        {
            var path = new StringBuilder("$");
            foreach (var (segment, index) in _path)
            {
                path.Append(segment).Append('[').Append(index.ToString(CultureInfo.InvariantCulture)).Append(']');
            }

            (List ??= []).Add(new FieldError(path.Append(member).ToString(), message, code));
        }
    }
}
