using System.Collections.Immutable;
using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using Values = Concord.Canonical.Normalization.Normalize;
using Concord.Canonical.Errors;
using Concord.Canonical.Privacy;

namespace Concord.Canonical.Normalization;

/// <summary>
/// Normalises a canonical customer: connectors call it on every record they read, and the sync engine
/// on every record it writes, so that equal data compares (and fingerprints) equal whatever system it came from.
/// </summary>
/// <remarks>
/// <para>What it does: emails trimmed and lower-cased (customer and contacts); <see cref="CanonicalCustomer.Domain"/>
/// derived from <see cref="CanonicalCustomer.Website"/> (an explicit domain is kept, normalised, when there is no
/// website or it holds no host); country codes upper-cased and checked against ISO 3166-1 alpha-2; regions upper-cased and checked
/// for the ISO 3166-2 shape <c>CC-XXX</c> with the address's country as prefix; currency upper-cased and checked
/// against ISO 4217; languages checked as BCP 47 and put in canonical case; phones keep their raw value and get
/// an E.164 form from libphonenumber (region hint: the main, else billing, address country); when the raw
/// value cannot be parsed, a valid E.164 form the source gave is kept, otherwise there is none; tax id values upper-cased without spaces, dots or dashes.</para>
/// <para>Pure and deterministic: the input is not changed, and normalising a normalised customer returns an
/// equal customer. Provenance, contact ids and external refs are left as they are.</para>
/// </remarks>
public static class CustomerNormalizer
{
    /// <summary>Error code of a country that is not an officially assigned ISO 3166-1 alpha-2 code.</summary>
    public const string CountryRule = "iso3166-1";

    /// <summary>Error code of a region that is not an ISO 3166-2 code of its address's country.</summary>
    public const string RegionRule = "iso3166-2";

    /// <summary>Error code of a currency that is not an ISO 4217 code.</summary>
    public const string CurrencyRule = "iso4217";

    /// <summary>Error code of a language that is not a well-formed BCP 47 tag.</summary>
    public const string LanguageRule = "bcp47";

    /// <summary>Error code of a null entry in a list (a contact, address, tax id, email, phone, consent, tag or external reference).</summary>
    public const string NullEntryRule = "null-entry";

    /// <summary>Error code of a required value that is null (a name, an email address, a raw phone number, a tax id's value or country).</summary>
    public const string RequiredRule = "required";

    /// <summary>Error code of text with a NUL character or an unpaired UTF-16 surrogate, which no vendor stores faithfully.</summary>
    public const string TextRule = "text";

    /// <summary>Returns the normalised copy of <paramref name="customer"/>.</summary>
    /// <param name="customer">The customer.</param>
    /// <returns>The normalised customer.</returns>
    /// <exception cref="ConcordException">
    /// <see cref="ErrorCategory.Validation"/>: a country, region, currency or language is invalid;
    /// <see cref="ConcordException.FieldErrors"/> lists every problem by canonical JSON path (<c>$.addresses[1].country</c>).
    /// </exception>
    public static CanonicalCustomer Normalize(CanonicalCustomer customer)
    {
        if (TryNormalize(customer, out var normalized, out var errors))
        {
            return normalized;
        }

        throw new ConcordException(
            ErrorCategory.Validation,
            string.Create(CultureInfo.InvariantCulture, $"The customer has {errors.Length} invalid field(s): {string.Join(", ", errors.Select(e => e.Field))}."))
        {
            Operation = "normalize",
            FieldErrors = errors,
        };
    }

    /// <summary>Normalises <paramref name="customer"/> without throwing for invalid codes.</summary>
    /// <param name="customer">The customer.</param>
    /// <param name="normalized">The normalised customer, when there is no error.</param>
    /// <param name="errors">Every invalid field, by canonical JSON path; empty on success.</param>
    /// <returns>True when the customer is valid and <paramref name="normalized"/> is set.</returns>
    /// <remarks>
    /// A customer that is not whole (a null entry in a list, a required value missing, text with a NUL character or an
    /// unpaired surrogate) is refused before any normalisation, with <see cref="NullEntryRule"/>, <see cref="RequiredRule"/>
    /// or <see cref="TextRule"/> errors; this method never throws for the shape of its input.
    /// </remarks>
    public static bool TryNormalize(CanonicalCustomer customer, [NotNullWhen(true)] out CanonicalCustomer? normalized, out ImmutableArray<FieldError> errors)
    {
        ArgumentNullException.ThrowIfNull(customer);
        if (CustomerIntegrity.Check(customer) is { Count: > 0 } broken)
        {
            normalized = null;
            errors = [.. broken];
            return false;
        }

        var context = new Context();
        var regionHint = RegionHint(customer);

        var result = customer with
        {
            Emails = NormalizeEmails(customer.Emails),
            Phones = NormalizePhones(customer.Phones, regionHint),
            Domain = Values.Domain(customer.Website) ?? Values.Domain(customer.Domain),
            Addresses = Map(customer.Addresses, context, static (address, index, ctx) => NormalizeAddress(address, $"$.addresses[{index}]", ctx)),
            TaxIds = Map(customer.TaxIds, context, static (taxId, index, ctx) => taxId with
            {
                Value = Values.TaxIdValue(taxId.Value),
                Country = ctx.Country(taxId.Country, $"$.taxIds[{index}].country")!,
            }),
            Currency = context.Currency(customer.Currency, "$.currency"),
            Language = context.Language(customer.Language, "$.language"),
            Contacts = Map(customer.Contacts, context, (contact, index, ctx) => contact with
            {
                Emails = NormalizeEmails(contact.Emails),
                Phones = NormalizePhones(contact.Phones, regionHint),
                Language = ctx.Language(contact.Language, $"$.contacts[{index}].language"),
            }),
        };

        if (context.Errors is { Count: > 0 } list)
        {
            normalized = null;
            errors = [.. list];
            return false;
        }

        normalized = result;
        errors = [];
        return true;
    }

    private static string? RegionHint(CanonicalCustomer customer)
    {
        var country = Values.Code(customer.AddressFor(AddressRole.Main)?.Country ?? customer.AddressFor(AddressRole.Billing)?.Country);
        return IsoCodes.IsCountryCode(country) ? country : null;
    }

    private static PostalAddress NormalizeAddress(PostalAddress address, string path, Context context)
    {
        var country = context.Country(address.Country, path + ".country");
        return address with { Country = country, Region = context.Region(address.Region, country, path + ".region") };
    }

    private static ImmutableArray<EmailAddress> NormalizeEmails(ImmutableArray<EmailAddress> emails) =>
        emails.IsDefaultOrEmpty ? [] : emails.Select(static e => e with { Address = Values.Email(e.Address) }).ToImmutableArray();

    private static ImmutableArray<PhoneNumber> NormalizePhones(ImmutableArray<PhoneNumber> phones, string? regionHint)
    {
        if (phones.IsDefaultOrEmpty)
        {
            return [];
        }

        var builder = ImmutableArray.CreateBuilder<PhoneNumber>(phones.Length);
        foreach (var phone in phones)
        {
            // A source that knew better (a per-contact country) may have given a valid E.164 form already: keep it.
            var e164 = Values.PhoneE164(phone.Raw, regionHint)
                ?? (phone.E164 is { } given && given.StartsWith('+') ? Values.PhoneE164(given) : null);
            builder.Add(phone with { E164 = e164 });
        }

        return builder.MoveToImmutable();
    }

    private static ImmutableArray<T> Map<T>(ImmutableArray<T> items, Context context, Func<T, int, Context, T> map)
    {
        if (items.IsDefaultOrEmpty)
        {
            return [];
        }

        var builder = ImmutableArray.CreateBuilder<T>(items.Length);
        for (var i = 0; i < items.Length; i++)
        {
            builder.Add(map(items[i], i, context));
        }

        return builder.MoveToImmutable();
    }

    // Collects every error of one run, so the caller sees all problems at once.
    private sealed class Context
    {
        private const int MaxValueInMessage = 32;

        public List<FieldError>? Errors { get; private set; }

        public string? Country(string? value, string path)
        {
            if (value is null)
            {
                return null;
            }

            var code = Values.Code(value);
            if (!IsoCodes.IsCountryCode(code))
            {
                Add(path, $"'{Shorten(value)}' is not an officially assigned ISO 3166-1 alpha-2 country code.", CountryRule);
            }

            return code;
        }

        public string? Region(string? value, string? country, string path)
        {
            if (value is null)
            {
                return null;
            }

            var code = Values.Code(value);
            if (!IsRegionShape(code))
            {
                Add(path, $"'{Shorten(value)}' is not an ISO 3166-2 subdivision code (CC-XXX).", RegionRule);
            }
            else if (!IsoCodes.IsCountryCode(code[..2]))
            {
                Add(path, $"'{Shorten(value)}' does not start with an ISO 3166-1 alpha-2 country code.", RegionRule);
            }
            else if (country is not null && !code.StartsWith(country + "-", StringComparison.Ordinal))
            {
                Add(path, $"'{Shorten(value)}' is not a subdivision of the address's country '{Shorten(country)}'.", RegionRule);
            }

            return code;
        }

        public string? Currency(string? value, string path)
        {
            if (value is null)
            {
                return null;
            }

            var code = Values.Code(value);
            if (!IsoCodes.IsCurrencyCode(code))
            {
                Add(path, $"'{Shorten(value)}' is not an ISO 4217 currency code.", CurrencyRule);
            }

            return code;
        }

        public string? Language(string? value, string path)
        {
            if (value is null)
            {
                return null;
            }

            if (Values.TryLanguageTag(value, out var tag))
            {
                return tag;
            }

            Add(path, $"'{Shorten(value)}' is not a well-formed BCP 47 language tag.", LanguageRule);
            return value;
        }

        private static bool IsRegionShape(string code)
        {
            if (code.Length is < 4 or > 6 || code[2] != '-' || !char.IsAsciiLetterUpper(code[0]) || !char.IsAsciiLetterUpper(code[1]))
            {
                return false;
            }

            foreach (var c in code.AsSpan(3))
            {
                if (!char.IsAsciiLetterUpper(c) && !char.IsAsciiDigit(c))
                {
                    return false;
                }
            }

            return true;
        }

        private static string Shorten(string value) =>
            PersonalDataMasker.Mask(value.Length <= MaxValueInMessage ? value : string.Concat(value.AsSpan(0, MaxValueInMessage), "..."));

        private void Add(string path, string message, string code) => (Errors ??= []).Add(new FieldError(path, message, code));
    }
}
