using Concord.Canonical.Errors;
using Concord.Canonical.Normalization;
using Concord.Canonical.Tests.TestData;
using Xunit;

namespace Concord.Canonical.Tests.Normalization;

public sealed class CustomerNormalizerTests
{
    private static CanonicalCustomer Messy() => SampleCustomers.Acme() with
    {
        Website = "HTTPS://WWW.Acme.DE:443/impressum",
        Domain = null,
        Currency = "eur",
        Language = "de_de",
        Emails = [new EmailAddress { Address = "  Info@ACME.de " }],
        Phones = [new PhoneNumber { Raw = "030 1234567" }, new PhoneNumber { Raw = "not a number", E164 = "+0000" }],
        Addresses =
        [
            new PostalAddress { Role = AddressRole.Main, City = "Berlin", Region = "de-be", Country = "de" },
        ],
        TaxIds = [new TaxIdentifier { Type = TaxIdType.Vat, Value = "de 123.456-789", Country = "de" }],
        Contacts =
        [
            SampleCustomers.Acme().Contacts[0] with
            {
                Emails = [new EmailAddress { Address = "ADA@Acme.de" }],
                Phones = [new PhoneNumber { Raw = "0170 1234567" }],
                Language = "EN-gb",
            },
        ],
    };

    [Fact]
    public void Normalize_lower_cases_emails_of_customer_and_contacts()
    {
        var normalized = CustomerNormalizer.Normalize(Messy());

        Assert.Equal("info@acme.de", normalized.Emails[0].Address);
        Assert.Equal("ada@acme.de", normalized.Contacts[0].Emails[0].Address);
    }

    [Fact]
    public void Normalize_derives_the_domain_from_the_website_and_keeps_the_website()
    {
        var normalized = CustomerNormalizer.Normalize(Messy());

        Assert.Equal("acme.de", normalized.Domain);
        Assert.Equal("HTTPS://WWW.Acme.DE:443/impressum", normalized.Website);
    }

    [Fact]
    public void Normalize_keeps_an_explicit_domain_when_there_is_no_website()
    {
        var normalized = CustomerNormalizer.Normalize(SampleCustomers.Minimal() with { Domain = "WWW.Example.COM" });

        Assert.Equal("example.com", normalized.Domain);
    }

    [Fact]
    public void Normalize_upper_cases_codes_and_canonicalises_language_case()
    {
        var normalized = CustomerNormalizer.Normalize(Messy());

        Assert.Equal("EUR", normalized.Currency);
        Assert.Equal("de-DE", normalized.Language);
        Assert.Equal("en-GB", normalized.Contacts[0].Language);
        Assert.Equal("DE", normalized.Addresses[0].Country);
        Assert.Equal("DE-BE", normalized.Addresses[0].Region);
        Assert.Equal("DE", normalized.TaxIds[0].Country);
        Assert.Equal("DE123456789", normalized.TaxIds[0].Value);
    }

    [Fact]
    public void Normalize_derives_E164_with_the_main_address_country_as_hint_and_keeps_raw()
    {
        var normalized = CustomerNormalizer.Normalize(Messy());

        Assert.Equal("030 1234567", normalized.Phones[0].Raw);
        Assert.Equal("+49301234567", normalized.Phones[0].E164);
        Assert.Equal("+491701234567", normalized.Contacts[0].Phones[0].E164);
    }

    [Fact]
    public void Normalize_clears_E164_when_the_raw_value_cannot_be_parsed()
    {
        var normalized = CustomerNormalizer.Normalize(Messy());

        Assert.Equal("not a number", normalized.Phones[1].Raw);
        Assert.Null(normalized.Phones[1].E164);
    }

    [Fact]
    public void Normalize_keeps_a_valid_E164_form_the_source_gave_when_raw_cannot_be_read_without_a_hint()
    {
        var customer = SampleCustomers.Minimal() with { Phones = [new PhoneNumber { Raw = "(415) 555-2671", E164 = "+14155552671" }, new PhoneNumber { Raw = "(415) 555-2671", E164 = "+1" }] };

        var normalized = CustomerNormalizer.Normalize(customer);

        Assert.Equal("+14155552671", normalized.Phones[0].E164);
        Assert.Null(normalized.Phones[1].E164);
    }

    [Fact]
    public void Normalize_uses_the_billing_country_when_there_is_no_main_address()
    {
        var customer = SampleCustomers.Minimal() with
        {
            Addresses = [new PostalAddress { Role = AddressRole.Billing, Country = "FR" }],
            Phones = [new PhoneNumber { Raw = "01 42 68 53 00" }],
        };

        Assert.Equal("+33142685300", CustomerNormalizer.Normalize(customer).Phones[0].E164);
    }

    [Fact]
    public void Normalize_without_a_country_hint_only_parses_international_numbers()
    {
        var customer = SampleCustomers.Minimal() with { Phones = [new PhoneNumber { Raw = "030 1234567" }, new PhoneNumber { Raw = "+33 1 42 68 53 00" }] };

        var normalized = CustomerNormalizer.Normalize(customer);

        Assert.Null(normalized.Phones[0].E164);
        Assert.Equal("+33142685300", normalized.Phones[1].E164);
    }

    [Fact]
    public void Normalize_is_idempotent()
    {
        var once = CustomerNormalizer.Normalize(Messy());

        Assert.Equal(once, CustomerNormalizer.Normalize(once));
    }

    [Fact]
    public void Normalize_does_not_change_its_input_or_the_provenance()
    {
        var input = Messy();
        var copy = input with { };

        var normalized = CustomerNormalizer.Normalize(input);

        Assert.Equal(copy, input);
        Assert.Same(input.Provenance, normalized.Provenance);
        Assert.Equal("c-ada", normalized.Contacts[0].Id);
    }

    [Fact]
    public void Normalize_of_a_normalised_sample_changes_nothing()
    {
        var acme = SampleCustomers.Acme() with { Domain = "acme.de" };

        Assert.Equal(acme, CustomerNormalizer.Normalize(acme));
        Assert.Equal(SampleCustomers.Person(), CustomerNormalizer.Normalize(SampleCustomers.Person()));
    }

    [Fact]
    public void Invalid_codes_are_all_reported_at_once_with_their_json_paths()
    {
        var customer = SampleCustomers.Acme() with
        {
            Currency = "EURO",
            Language = "english please",
            Addresses =
            [
                new PostalAddress { Role = AddressRole.Main, Country = "DE", Region = "DE-BE" },
                new PostalAddress { Role = AddressRole.Billing, Country = "XK", Region = "FR-75" },
                new PostalAddress { Role = AddressRole.Shipping, Country = "DE", Region = "FR-75" },
                new PostalAddress { Role = AddressRole.Other, Region = "Bavaria" },
            ],
            TaxIds = [new TaxIdentifier { Type = TaxIdType.Vat, Value = "X", Country = "Germany" }],
            Contacts = [SampleCustomers.Acme().Contacts[0] with { Language = "e" }],
        };

        var error = Assert.Throws<ConcordException>(() => CustomerNormalizer.Normalize(customer));

        Assert.Equal(ErrorCategory.Validation, error.Category);
        Assert.False(error.IsRetryable);
        Assert.True(error.IsRecordLevel);
        var byPath = error.FieldErrors.ToDictionary(e => e.Field, e => e.Code);
        Assert.Equal(
            new Dictionary<string, string?>
            {
                ["$.currency"] = CustomerNormalizer.CurrencyRule,
                ["$.language"] = CustomerNormalizer.LanguageRule,
                ["$.addresses[1].country"] = CustomerNormalizer.CountryRule,
                ["$.addresses[1].region"] = CustomerNormalizer.RegionRule,
                ["$.addresses[2].region"] = CustomerNormalizer.RegionRule,
                ["$.addresses[3].region"] = CustomerNormalizer.RegionRule,
                ["$.taxIds[0].country"] = CustomerNormalizer.CountryRule,
                ["$.contacts[0].language"] = CustomerNormalizer.LanguageRule,
            },
            byPath);
        Assert.Contains("$.addresses[1].country", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void TryNormalize_reports_errors_without_throwing()
    {
        var ok = CustomerNormalizer.TryNormalize(SampleCustomers.Minimal() with { Currency = "ZZZ" }, out var normalized, out var errors);

        Assert.False(ok);
        Assert.Null(normalized);
        var error = Assert.Single(errors);
        Assert.Equal("$.currency", error.Field);
        Assert.Contains("ISO 4217", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Error_messages_mask_personal_data_held_in_a_code_field()
    {
        var ok = CustomerNormalizer.TryNormalize(SampleCustomers.Minimal() with { Currency = "ada@example.com" }, out _, out var errors);

        Assert.False(ok);
        Assert.DoesNotContain("ada@example.com", errors[0].Message, StringComparison.OrdinalIgnoreCase);
    }
}
