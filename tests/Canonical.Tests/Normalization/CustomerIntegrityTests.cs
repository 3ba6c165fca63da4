using Concord.Canonical.Errors;
using Concord.Canonical.Normalization;
using Concord.Canonical.Tests.TestData;
using Xunit;

namespace Concord.Canonical.Tests.Normalization;

/// <summary>A customer that is not whole is refused by normalisation with a path, never with a NullReferenceException.</summary>
public sealed class CustomerIntegrityTests
{
    public static TheoryData<string, string, string> Broken => new()
    {
        { "null contact", "$.contacts[0]", CustomerNormalizer.NullEntryRule },
        { "null tax id", "$.taxIds[0]", CustomerNormalizer.NullEntryRule },
        { "null email", "$.emails[0]", CustomerNormalizer.NullEntryRule },
        { "null phone", "$.phones[0]", CustomerNormalizer.NullEntryRule },
        { "null address", "$.addresses[0]", CustomerNormalizer.NullEntryRule },
        { "null contact email", "$.contacts[0].emails[0]", CustomerNormalizer.NullEntryRule },
        { "null external ref", "$.provenance.externalRefs[0]", CustomerNormalizer.NullEntryRule },
        { "null name", "$.name", CustomerNormalizer.RequiredRule },
        { "null email address", "$.emails[0].address", CustomerNormalizer.RequiredRule },
        { "null tax id value", "$.taxIds[0].value", CustomerNormalizer.RequiredRule },
        { "NUL in name", "$.name", CustomerNormalizer.TextRule },
        { "lone high surrogate in city", "$.addresses[0].city", CustomerNormalizer.TextRule },
        { "lone low surrogate in contact name", "$.contacts[0].name", CustomerNormalizer.TextRule },
        { "surrogate at the end of a tag", "$.tags[0]", CustomerNormalizer.TextRule },
        { "NUL in an attribute name", "$.customAttributes['a\\u0000b']", CustomerNormalizer.TextRule },
    };

    [Theory]
    [MemberData(nameof(Broken))]
    public void A_customer_that_is_not_whole_is_refused_with_the_path_and_rule(string what, string path, string rule)
    {
        var customer = Make(what);

        var valid = CustomerNormalizer.TryNormalize(customer, out var normalized, out var errors);

        Assert.False(valid);
        Assert.Null(normalized);
        var error = Assert.Single(errors);
        Assert.Equal((path, rule), (error.Field, error.Code));
        var thrown = Assert.Throws<ConcordException>(() => CustomerNormalizer.Normalize(customer));
        Assert.Equal(ErrorCategory.Validation, thrown.Category);
    }

    [Fact]
    public void The_error_names_the_character_but_never_echoes_the_value()
    {
        var customer = SampleCustomers.Acme() with { Name = "Ada Lovelace\0" };

        CustomerNormalizer.TryNormalize(customer, out _, out var errors);

        var message = Assert.Single(errors).Message;
        Assert.Contains("U+0000", message, StringComparison.Ordinal);
        Assert.DoesNotContain("Lovelace", message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Zoë 😀 Œuvre")]
    [InlineData("Tab\tand\nnew line")]
    [InlineData("中文名称")]
    public void Paired_surrogates_and_ordinary_text_are_accepted(string name)
    {
        var valid = CustomerNormalizer.TryNormalize(SampleCustomers.Acme() with { Name = name }, out var normalized, out _);

        Assert.True(valid);
        Assert.Equal(name, normalized!.Name);
    }

    private static CanonicalCustomer Make(string what)
    {
        var acme = SampleCustomers.Acme() with { Contacts = [], Emails = [], Phones = [], TaxIds = [], Addresses = [] };
        return what switch
        {
            "null contact" => acme with { Contacts = [null!] },
            "null tax id" => acme with { TaxIds = [null!] },
            "null email" => acme with { Emails = [null!] },
            "null phone" => acme with { Phones = [null!] },
            "null address" => acme with { Addresses = [null!] },
            "null contact email" => acme with { Contacts = [new Contact { Name = "Ada", Emails = [null!] }] },
            "null external ref" => acme with { Provenance = acme.Provenance with { ExternalRefs = [null!] } },
            "null name" => acme with { Name = null! },
            "null email address" => acme with { Emails = [new EmailAddress { Address = null! }] },
            "null tax id value" => acme with { TaxIds = [new TaxIdentifier { Type = TaxIdType.Vat, Value = null!, Country = "DE" }] },
            "NUL in name" => acme with { Name = "Acme\0" },
            "lone high surrogate in city" => acme with { Addresses = [new PostalAddress { Role = AddressRole.Main, City = "Berl\uD83Din", Country = "DE" }] },
            "lone low surrogate in contact name" => acme with { Contacts = [new Contact { Name = "\uDE00Ada" }] },
            "surrogate at the end of a tag" => acme with { Tags = ["vip\uD83D"] },
            "NUL in an attribute name" => acme with { CustomAttributes = acme.CustomAttributes.Add("a\0b", "x") },
            _ => throw new ArgumentOutOfRangeException(nameof(what)),
        };
    }
}
