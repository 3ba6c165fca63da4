using System.Collections.Immutable;
using System.Globalization;
using System.Text.Json;
using Concord.Canonical.Normalization;

namespace Concord.Canonical.Serialization.Internal;

/// <summary>
/// Writes the canonical form of a customer's content, the input of <see cref="CustomerFingerprint"/>:
/// compact JSON, properties in ordinal order, null and empty values omitted, cheap normalisations applied,
/// provenance, schema version, contact ids and contact external refs left out.
/// </summary>
/// <remarks>
/// Property names are written in ordinal order by hand (each method lists them sorted); strings are escaped by
/// the default encoder, which escapes every non-ASCII character and is therefore the same in every .NET version.
/// Changing anything here changes every fingerprint: the pinned fingerprints in the tests guard it.
/// </remarks>
internal static class CanonicalFormWriter
{
    public static void Write(Utf8JsonWriter writer, CanonicalCustomer customer)
    {
        writer.WriteStartObject();
        WriteArray(writer, "addresses", customer.Addresses, WriteAddress);
        WriteArray(writer, "consents", customer.Consents, WriteConsent);
        WriteArray(writer, "contacts", customer.Contacts, WriteContact);
        WriteString(writer, "currency", Normalize.Code(customer.Currency));
        WriteAttributes(writer, customer.CustomAttributes);
        WriteString(writer, "domain", Normalize.Domain(customer.Website) ?? Normalize.Domain(customer.Domain));
        WriteArray(writer, "emails", customer.Emails, WriteEmail);
        writer.WriteString("kind", EnumNames.Of(customer.Kind));
        WriteString(writer, "language", Language(customer.Language));
        WriteString(writer, "legalName", customer.LegalName);
        if (customer.LifecycleStage is { } stage)
        {
            writer.WriteString("lifecycleStage", EnumNames.Of(stage));
        }

        WriteString(writer, "name", customer.Name);
        WriteString(writer, "notes", customer.Notes);
        WriteArray(writer, "phones", customer.Phones, WritePhone);
        writer.WriteString("status", EnumNames.Of(customer.Status));
        WriteTags(writer, customer.Tags);
        WriteArray(writer, "taxIds", customer.TaxIds, WriteTaxId);
        WriteString(writer, "website", customer.Website?.Trim());
        writer.WriteEndObject();
    }

    private static void WriteAddress(Utf8JsonWriter writer, PostalAddress address)
    {
        writer.WriteStartObject();
        WriteString(writer, "city", address.City);
        WriteString(writer, "country", Normalize.Code(address.Country));
        WriteString(writer, "name", address.Name);
        WriteString(writer, "postalCode", address.PostalCode);
        WriteString(writer, "region", Normalize.Code(address.Region));
        writer.WriteString("role", EnumNames.Of(address.Role));
        WriteString(writer, "street", address.Street);
        WriteString(writer, "street2", address.Street2);
        writer.WriteEndObject();
    }

    private static void WriteConsent(Utf8JsonWriter writer, ConsentRecord consent)
    {
        writer.WriteStartObject();
        writer.WriteString("channel", EnumNames.Of(consent.Channel));
        if (consent.RecordedAt is { } recordedAt)
        {
            Span<byte> utf8 = stackalloc byte[40];
            recordedAt.UtcDateTime.TryFormat(utf8, out var length, "O", CultureInfo.InvariantCulture);
            writer.WriteString("recordedAt", utf8[..length]);
        }

        WriteString(writer, "source", consent.Source);
        writer.WriteString("status", EnumNames.Of(consent.Status));
        writer.WriteEndObject();
    }

    // Contact id and external refs are identity, not content.
    private static void WriteContact(Utf8JsonWriter writer, Contact contact)
    {
        writer.WriteStartObject();
        WriteArray(writer, "emails", contact.Emails, WriteEmail);
        WriteString(writer, "familyName", contact.FamilyName);
        WriteString(writer, "givenName", contact.GivenName);
        WriteString(writer, "jobTitle", contact.JobTitle);
        WriteString(writer, "language", Language(contact.Language));
        WriteString(writer, "name", contact.Name);
        WriteArray(writer, "phones", contact.Phones, WritePhone);
        writer.WriteEndObject();
    }

    private static void WriteEmail(Utf8JsonWriter writer, EmailAddress email)
    {
        writer.WriteStartObject();
        WriteString(writer, "address", Normalize.Email(email.Address));
        writer.WriteString("use", EnumNames.Of(email.Use));
        writer.WriteEndObject();
    }

    // A number with an E.164 form counts by that form only: systems reformat the raw value on save (Zendesk
    // stores E.164, people type spaces), and a different spelling of the same number is not a change.
    private static void WritePhone(Utf8JsonWriter writer, PhoneNumber phone)
    {
        writer.WriteStartObject();
        if (!string.IsNullOrEmpty(phone.E164))
        {
            writer.WriteString("e164", phone.E164);
        }
        else
        {
            WriteString(writer, "raw", phone.Raw?.Trim());
        }

        writer.WriteString("use", EnumNames.Of(phone.Use));
        writer.WriteEndObject();
    }

    private static void WriteTaxId(Utf8JsonWriter writer, TaxIdentifier taxId)
    {
        writer.WriteStartObject();
        WriteString(writer, "country", Normalize.Code(taxId.Country));
        writer.WriteString("type", EnumNames.Of(taxId.Type));
        WriteString(writer, "value", Normalize.TaxIdValue(taxId.Value));
        writer.WriteEndObject();
    }

    private static void WriteAttributes(Utf8JsonWriter writer, ImmutableSortedDictionary<string, string>? attributes)
    {
        if (attributes is null || attributes.IsEmpty)
        {
            return;
        }

        writer.WritePropertyName("customAttributes");
        writer.WriteStartObject();
        if (ReferenceEquals(attributes.KeyComparer, StringComparer.Ordinal))
        {
            foreach (var (key, value) in attributes)
            {
                writer.WriteString(key, value);
            }
        }
        else
        {
            var keys = attributes.Keys.ToArray();
            Array.Sort(keys, StringComparer.Ordinal);
            foreach (var key in keys)
            {
                writer.WriteString(key, attributes[key]);
            }
        }

        writer.WriteEndObject();
    }

    // Tags are a set: their order in a source system is not content.
    private static void WriteTags(Utf8JsonWriter writer, ImmutableArray<string> tags)
    {
        if (tags.IsDefaultOrEmpty)
        {
            return;
        }

        writer.WritePropertyName("tags");
        writer.WriteStartArray();
        if (IsSortedOrdinal(tags))
        {
            foreach (var tag in tags)
            {
                writer.WriteStringValue(tag);
            }
        }
        else
        {
            var sorted = tags.ToArray();
            Array.Sort(sorted, StringComparer.Ordinal);
            foreach (var tag in sorted)
            {
                writer.WriteStringValue(tag);
            }
        }

        writer.WriteEndArray();
    }

    private static bool IsSortedOrdinal(ImmutableArray<string> values)
    {
        for (var i = 1; i < values.Length; i++)
        {
            if (string.CompareOrdinal(values[i - 1], values[i]) > 0)
            {
                return false;
            }
        }

        return true;
    }

    private static void WriteArray<T>(Utf8JsonWriter writer, string name, ImmutableArray<T> items, Action<Utf8JsonWriter, T> write)
    {
        if (items.IsDefaultOrEmpty)
        {
            return;
        }

        writer.WritePropertyName(name);
        writer.WriteStartArray();
        foreach (var item in items)
        {
            write(writer, item);
        }

        writer.WriteEndArray();
    }

    private static void WriteString(Utf8JsonWriter writer, string name, string? value)
    {
        if (!string.IsNullOrEmpty(value))
        {
            writer.WriteString(name, value);
        }
    }

    private static string? Language(string? tag) => Normalize.TryLanguageTag(tag, out var normalized) ? normalized : tag;
}
