using Concord.Canonical.Privacy;
using Xunit;

namespace Concord.Canonical.Tests.Privacy;

public sealed class PersonalDataMaskerTests
{
    [Theory]
    [InlineData("ada@example.com", "a***@example.com")]
    [InlineData("Contact Ada.Lovelace+crm@mail.example.co.uk now", "Contact A***@mail.example.co.uk now")]
    [InlineData("two: a@b.de, zoe@example.org.", "two: a***@b.de, z***@example.org.")]
    public void Emails_keep_their_first_character_and_domain(string text, string expected) =>
        Assert.Equal(expected, PersonalDataMasker.Mask(text));

    [Theory]
    [InlineData("call +49 30 1234567", "1234567")]
    [InlineData("call +49 (30) 123-4567", "123-4567")]
    [InlineData("tel 030/1234567", "1234567")]
    [InlineData("mobile 0170 1234567 please", "1234567")]
    [InlineData("(415) 555-2671", "555-2671")]
    [InlineData("+14155552671", "4155552671")]
    public void Phone_numbers_are_masked_except_their_last_two_digits(string text, string secret)
    {
        var masked = PersonalDataMasker.Mask(text);

        Assert.DoesNotContain(secret, masked, StringComparison.Ordinal);
        Assert.Equal(text.Length, masked.Length);
        Assert.Equal(text[^2..], masked[^2..]);
    }

    [Theory]
    [InlineData("VAT DE123456789 is invalid", "VAT DE*******89 is invalid")]
    [InlineData("vat: FR40303265045", "vat: FR*********45")]
    [InlineData("IBAN DE89 3704 0044 0532 0130 00", "IBAN DE** **** **** **** **** 00")]
    [InlineData("account 1234567890123", "account ***********23")]
    public void Tax_ids_and_long_digit_runs_keep_only_their_last_two_digits(string text, string expected) =>
        Assert.Equal(expected, PersonalDataMasker.Mask(text));

    [Theory]
    [InlineData("Record not found.")]
    [InlineData("Field 'name' is required (code 1234).")]
    [InlineData("HTTP 404 from /api/v2/partners")]
    [InlineData("Odoo 17.0 refused: ValidationError")]
    [InlineData("Retry after 30 seconds; 2 of 3 attempts used.")]
    [InlineData("INVALID_FIELD: No such column 'Foo__c' on entity 'Account'")]
    [InlineData("Die Straße ist ungültig — «Ärger»")]
    [InlineData("")]
    public void Ordinary_text_is_left_untouched(string text) =>
        Assert.Equal(text, PersonalDataMasker.Mask(text));

    [Theory]
    [InlineData("The document is 1048568 bytes, more than the 1048576 B allowed")]
    [InlineData("Country codes follow ISO 3166-1 alpha-2 and regions ISO 3166-2")]
    [InlineData("Connection refused (127.0.0.1:8069)")]
    [InlineData("host 192.168.100.254 did not answer; fell back to 10.0.0.5")]
    [InlineData("Odoo 17.0.1.3 on Microsoft.Extensions 10.0.15")]
    [InlineData("at 2026-11-23T09:00:00.0000000+00:00, last change 2026-11-22 17:45:03Z")]
    [InlineData("trace 0af7651916cd43dd8448eb211c80319c span b7ad6b7169203331")]
    [InlineData("event 0197e1b2-5d3c-7a41-9f2e-123456789abc")]
    [InlineData("HTTP 503 after 3 attempts in 12345 ms")]
    [InlineData("partner 1234567 not found; res.partner(4711)")]
    [InlineData("took 1234.5678 ms; timeout 00:01:40")]
    [InlineData("1073741824 bytes written in 2500000 microseconds")]
    [InlineData("on 23/11/2026 at 09:00")]
    public void Diagnostics_that_hold_no_personal_data_are_left_readable(string text) =>
        Assert.Equal(text, PersonalDataMasker.Mask(text));

    [Theory]
    [InlineData("VAT CHE-123.456.789 is taken", "VAT CHE-***.***.*89 is taken")]
    [InlineData("vat GB 123 4567 89", "vat GB *** **** 89")]
    [InlineData("NL123456789B01 exists", "NL*******89B01 exists")]
    [InlineData("call 415.555.2671", "call ***.***.**71")]
    [InlineData("call 0170 1234567 from 127.0.0.1", "call **** *****67 from 127.0.0.1")]
    [InlineData("card 4111111111111111", "card **************11")]
    public void Personal_data_next_to_diagnostics_is_still_masked(string text, string expected) =>
        Assert.Equal(expected, PersonalDataMasker.Mask(text));

    [Theory]
    [InlineData("ada@example.com", "a***@example.com")]
    [InlineData("no-at-sign", "***")]
    [InlineData("@example.com", "***")]
    [InlineData("", "")]
    [InlineData(null, "")]
    public void MaskEmail_masks_one_address(string? email, string expected) =>
        Assert.Equal(expected, PersonalDataMasker.MaskEmail(email));

    [Theory]
    [InlineData("DE123456789", "*********89")]
    [InlineData("42", "**")]
    [InlineData("7", "*")]
    [InlineData("", "")]
    [InlineData(null, "")]
    public void MaskIdentifier_keeps_the_last_two_characters(string? value, string expected) =>
        Assert.Equal(expected, PersonalDataMasker.MaskIdentifier(value));

    [Fact]
    public void A_huge_hostile_message_is_masked_quickly()
    {
        var text = string.Concat(Enumerable.Repeat("a.b-c_d@", 20_000)) + " " + new string('1', 100_000);

        var masked = PersonalDataMasker.Mask(text);

        Assert.DoesNotContain("11111", masked, StringComparison.Ordinal);
    }

    [Fact]
    public void The_withheld_placeholder_holds_no_personal_data() =>
        Assert.Equal(PersonalDataMasker.Withheld, PersonalDataMasker.Mask(PersonalDataMasker.Withheld));
}
