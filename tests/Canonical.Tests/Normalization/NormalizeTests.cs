using Concord.Canonical.Normalization;
using Xunit;

namespace Concord.Canonical.Tests.Normalization;

public sealed class NormalizeTests
{
    [Theory]
    [InlineData(" Ada@Example.COM ", "ada@example.com")]
    [InlineData("ada@example.com", "ada@example.com")]
    [InlineData("MAILTO:Grace@Navy.MIL", "grace@navy.mil")]
    [InlineData("\tbob@b.de\n", "bob@b.de")]
    public void Email_is_trimmed_and_lower_cased(string raw, string expected) =>
        Assert.Equal(expected, Normalize.Email(raw));

    [Fact]
    public void Email_that_is_already_normalised_is_returned_without_a_copy()
    {
        var email = "ada@example.com";
        Assert.Same(email, Normalize.Email(email));
    }

    [Fact]
    public void Values_that_are_already_normalised_are_returned_without_a_copy()
    {
        var taxId = "DE123456789";
        var tag = "zh-Hant-TW";

        Assert.Same(taxId, Normalize.TaxIdValue(taxId));
        Assert.True(Normalize.TryLanguageTag(tag, out var normalized));
        Assert.Same(tag, normalized);
        Assert.Same("EUR", Normalize.Code("EUR"));
    }

    [Theory]
    [InlineData("https://www.Example.com", "example.com")]
    [InlineData("http://example.com/about?x=1#top", "example.com")]
    [InlineData("HTTPS://WWW.EXAMPLE.CO.UK:8443/path", "example.co.uk")]
    [InlineData("www.acme.de", "acme.de")]
    [InlineData("acme.de", "acme.de")]
    [InlineData("//cdn.acme.de/x", "cdn.acme.de")]
    [InlineData("https://user:pw@shop.acme.de/", "shop.acme.de")]
    [InlineData("example.com.", "example.com")]
    [InlineData("  Example.com  ", "example.com")]
    [InlineData("https://wwwtest.com", "wwwtest.com")]
    public void Domain_drops_scheme_www_port_and_path(string website, string expected) =>
        Assert.Equal(expected, Normalize.Domain(website));

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("https://")]
    [InlineData("not a domain")]
    public void Domain_of_nothing_host_like_is_null(string? website) =>
        Assert.Null(Normalize.Domain(website));

    [Theory]
    [InlineData("Ada@Mail.Example.COM", "mail.example.com")]
    [InlineData(" bob@www.acme.de ", "acme.de")]
    [InlineData("no-at-sign", null)]
    [InlineData("trailing@", null)]
    [InlineData(null, null)]
    public void DomainOfEmail_is_the_normalised_host_after_the_at_sign(string? email, string? expected) =>
        Assert.Equal(expected, Normalize.DomainOfEmail(email));

    [Theory]
    [InlineData("de 123.456-789", "DE123456789")]
    [InlineData("BE0123456789", "BE0123456789")]
    [InlineData(" gb 123 4567 89 ", "GB123456789")]
    public void TaxIdValue_is_upper_cased_without_separators(string raw, string expected) =>
        Assert.Equal(expected, Normalize.TaxIdValue(raw));

    [Theory]
    [InlineData("en-us", "en-US")]
    [InlineData("EN_us", "en-US")]
    [InlineData("fr", "fr")]
    [InlineData("zh-hant-tw", "zh-Hant-TW")]
    [InlineData("es-419", "es-419")]
    [InlineData("de-CH-1996", "de-CH-1996")]
    [InlineData("sl-rozaj-biske", "sl-rozaj-biske")]
    [InlineData("en-US-u-ca-gregory", "en-US-u-ca-gregory")]
    [InlineData("x-whatever", "x-whatever")]
    [InlineData("zh-yue-HK", "zh-yue-HK")]
    [InlineData("en-a-bbb-x-a-ccc", "en-a-bbb-x-a-ccc")]
    public void Language_tags_that_are_well_formed_get_canonical_case(string tag, string expected)
    {
        Assert.True(Normalize.TryLanguageTag(tag, out var normalized));
        Assert.Equal(expected, normalized);
    }

    [Theory]
    [InlineData("")]
    [InlineData("e")]
    [InlineData("english please")]
    [InlineData("en-")]
    [InlineData("-en")]
    [InlineData("en--US")]
    [InlineData("en-US-")]
    [InlineData("en-u")]
    [InlineData("en-x")]
    [InlineData("123")]
    [InlineData("en-abcdefghi")]
    [InlineData("en-US-US")]
    [InlineData("français")]
    public void Language_tags_that_are_malformed_are_refused(string tag) =>
        Assert.False(Normalize.TryLanguageTag(tag, out _));

    [Theory]
    [InlineData("+49 30 1234567", null, "+49301234567")]
    [InlineData("030 1234567", "DE", "+49301234567")]
    [InlineData("(415) 555-2671", "US", "+14155552671")]
    [InlineData("+1 415 555 2671", "DE", "+14155552671")]
    public void Phone_numbers_get_their_E164_form(string raw, string? region, string expected) =>
        Assert.Equal(expected, Normalize.PhoneE164(raw, region));

    [Theory]
    [InlineData("030 1234567", null)]
    [InlineData("call me maybe", "DE")]
    [InlineData("12", "DE")]
    [InlineData("", "DE")]
    public void Phone_numbers_that_cannot_be_parsed_have_no_E164_form(string raw, string? region) =>
        Assert.Null(Normalize.PhoneE164(raw, region));

    [Fact]
    public void Iso_lists_hold_the_officially_assigned_codes_only()
    {
        Assert.Equal(249, IsoCodes.CountryCodes.Count);
        Assert.True(IsoCodes.IsCountryCode("DE"));
        Assert.True(IsoCodes.IsCountryCode("SS"));
        Assert.False(IsoCodes.IsCountryCode("XK"));
        Assert.False(IsoCodes.IsCountryCode("UK"));
        Assert.False(IsoCodes.IsCountryCode("de"));
        Assert.True(IsoCodes.IsCurrencyCode("EUR"));
        Assert.True(IsoCodes.IsCurrencyCode("CHF"));
        Assert.False(IsoCodes.IsCurrencyCode("XXX"));
        Assert.False(IsoCodes.IsCurrencyCode("DEM"));
        Assert.All(IsoCodes.CountryCodes, c => Assert.Matches("^[A-Z]{2}$", c));
        Assert.All(IsoCodes.CurrencyCodes, c => Assert.Matches("^[A-Z]{3}$", c));
    }
}
