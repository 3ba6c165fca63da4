using System.Collections.Immutable;
using System.Text;
using System.Text.Json;
using Concord.Canonical.Normalization;
using Concord.Canonical.Serialization;
using Concord.Canonical.Serialization.Internal;
using Concord.Canonical.Tests.TestData;
using Xunit;

namespace Concord.Canonical.Tests.Fingerprint;

public sealed class CustomerFingerprintTests
{
    // Computed once and pinned: a change here means every stored fingerprint and idempotency key changes.
    [Theory]
    [InlineData("acme", "sha256:b756546581a70068d08362d5617425b28c3700569d48d6ed7dd835fa1d9cc7aa")]
    [InlineData("person", "sha256:565c95910a7736f258dda151b804c6b4e7e511e03ac325f15f514c52b555efb7")]
    [InlineData("minimal", "sha256:760300a2fb67974540a67137243920a672dcde9bdfe872d387879e2f6a7a82f6")]
    public void Fingerprints_of_fixed_customers_are_pinned(string name, string expected)
    {
        var customer = name switch
        {
            "acme" => SampleCustomers.Acme(),
            "person" => SampleCustomers.Person(),
            _ => SampleCustomers.Minimal(),
        };

        Assert.Equal(expected, CustomerFingerprint.Compute(customer));
    }

    [Fact]
    public void The_canonical_form_is_sorted_compact_ASCII_JSON_without_empty_values()
    {
        var form = Encoding.UTF8.GetString(CustomerFingerprint.CanonicalForm(SampleCustomers.Minimal() with
        {
            Tags = ["b", "a"],
            LegalName = string.Empty,
            Emails = [new EmailAddress { Address = " X@Y.DE " }],
        }));

        Assert.Equal("""{"emails":[{"address":"x@y.de","use":"work"}],"kind":"company","name":"\u6771\u4EAC\u5546\u4E8B\u682A\u5F0F\u4F1A\u793E","status":"active","tags":["a","b"]}""", form);
    }

    [Fact]
    public void The_fingerprint_is_the_SHA256_of_the_canonical_form()
    {
        var customer = SampleCustomers.Acme();
        var expected = "sha256:" + Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(CustomerFingerprint.CanonicalForm(customer)));

        Assert.Equal(expected, CustomerFingerprint.Compute(customer));
        Assert.True(CustomerFingerprint.IsFingerprint(expected));
        Assert.Equal(CustomerFingerprint.Length, expected.Length);
    }

    [Theory]
    [InlineData(null, false)]
    [InlineData("", false)]
    [InlineData("sha256:abc", false)]
    [InlineData("sha1:0000000000000000000000000000000000000000000000000000000000000000", false)]
    [InlineData("sha256:000000000000000000000000000000000000000000000000000000000000000G", false)]
    [InlineData("sha256:ABCDEF0000000000000000000000000000000000000000000000000000000000", false)]
    [InlineData("sha256:abcdef0000000000000000000000000000000000000000000000000000000000", true)]
    public void IsFingerprint_checks_the_shape(string? value, bool expected) =>
        Assert.Equal(expected, CustomerFingerprint.IsFingerprint(value));

    [Fact]
    public void Provenance_schema_version_and_contact_identity_do_not_count()
    {
        var acme = SampleCustomers.Acme();
        var moved = acme with
        {
            SchemaVersion = "customer.v1-preview",
            Provenance = new Provenance { CanonicalId = "other", SourceSystem = "salesforce", SourceModifiedAt = DateTimeOffset.UnixEpoch, Actor = "x" },
            Contacts = [acme.Contacts[0] with { Id = "c-other", ExternalRefs = [new ExternalRef("hubspot", "1")] }],
        };

        Assert.Equal(CustomerFingerprint.Compute(acme), CustomerFingerprint.Compute(moved));
    }

    [Fact]
    public void Differences_that_normalisation_removes_do_not_count()
    {
        var acme = SampleCustomers.Acme();
        var messy = acme with
        {
            Emails = [.. acme.Emails.Select(e => e with { Address = " " + e.Address.ToUpperInvariant() })],
            Currency = "eur",
            Language = "de_de",
            Domain = null,
            Tags = [.. acme.Tags.Reverse()],
            CustomAttributes = acme.CustomAttributes.WithComparers(StringComparer.OrdinalIgnoreCase),
            TaxIds = [acme.TaxIds[0] with { Value = "de 123.456.789", Country = "de" }],
            Addresses = [.. acme.Addresses.Select(a => a with { Country = a.Country?.ToLowerInvariant(), Region = a.Region?.ToLowerInvariant() })],
        };

        Assert.Equal(CustomerFingerprint.Compute(acme), CustomerFingerprint.Compute(messy));
    }

    [Fact]
    public void The_raw_spelling_of_a_number_with_an_E164_form_does_not_count()
    {
        var acme = SampleCustomers.Acme();
        var reformatted = acme with { Phones = [acme.Phones[0] with { Raw = "+49301234567" }] };

        Assert.Equal(CustomerFingerprint.Compute(acme), CustomerFingerprint.Compute(reformatted));
    }

    [Fact]
    public void Null_and_empty_are_the_same_content()
    {
        var minimal = SampleCustomers.Minimal();

        Assert.Equal(CustomerFingerprint.Compute(minimal), CustomerFingerprint.Compute(minimal with { Notes = string.Empty, LegalName = string.Empty, Tags = [], Contacts = default }));
    }

    public static TheoryData<string> Mutations() => [.. ContentMutations.All.Keys];

    [Theory]
    [MemberData(nameof(Mutations))]
    public void Changing_a_content_field_changes_the_fingerprint(string mutation)
    {
        var acme = SampleCustomers.Acme();

        Assert.NotEqual(CustomerFingerprint.Compute(acme), CustomerFingerprint.Compute(ContentMutations.All[mutation](acme)));
    }

    [Fact]
    public void Every_content_property_of_the_model_has_a_mutation()
    {
        var covered = ContentMutations.All.Keys.Select(k => k.Split(':')[0]).ToHashSet(StringComparer.Ordinal);
        string[] notContent = ["CanonicalCustomer.SchemaVersion", "CanonicalCustomer.Provenance", "Contact.Id", "Contact.ExternalRefs"];
        Type[] types = [typeof(CanonicalCustomer), typeof(Contact), typeof(PostalAddress), typeof(TaxIdentifier), typeof(EmailAddress), typeof(PhoneNumber), typeof(ConsentRecord)];

        var missing = types
            .SelectMany(t => t.GetProperties().Select(p => $"{t.Name}.{p.Name}"))
            .Except(notContent)
            .Where(p => !covered.Contains(p))
            .ToArray();

        Assert.Empty(missing);
    }

    [Fact]
    public void Undefined_enum_values_still_count_as_content()
    {
        var minimal = SampleCustomers.Minimal();

        Assert.NotEqual(CustomerFingerprint.Compute(minimal), CustomerFingerprint.Compute(minimal with { Kind = (CustomerKind)42 }));
    }

    [Fact]
    public void Enum_names_in_the_canonical_form_are_the_JSON_names()
    {
        foreach (var value in Enum.GetValues<CustomerKind>()) { Assert.Equal(JsonName(value), EnumNames.Of(value)); }
        foreach (var value in Enum.GetValues<CustomerStatus>()) { Assert.Equal(JsonName(value), EnumNames.Of(value)); }
        foreach (var value in Enum.GetValues<AddressRole>()) { Assert.Equal(JsonName(value), EnumNames.Of(value)); }
        foreach (var value in Enum.GetValues<ContactPointUse>()) { Assert.Equal(JsonName(value), EnumNames.Of(value)); }
        foreach (var value in Enum.GetValues<TaxIdType>()) { Assert.Equal(JsonName(value), EnumNames.Of(value)); }
        foreach (var value in Enum.GetValues<LifecycleStage>()) { Assert.Equal(JsonName(value), EnumNames.Of(value)); }
        foreach (var value in Enum.GetValues<ConsentChannel>()) { Assert.Equal(JsonName(value), EnumNames.Of(value)); }
        foreach (var value in Enum.GetValues<ConsentStatus>()) { Assert.Equal(JsonName(value), EnumNames.Of(value)); }
    }

    [Fact]
    public void Concurrent_computation_gives_the_sequential_results()
    {
        var customers = ValidCustomers.All().Select(c => c.Customer).ToArray();
        var expected = customers.Select(CustomerFingerprint.Compute).ToArray();

        var actual = new string[customers.Length * 8];
        Parallel.For(0, actual.Length, i => actual[i] = CustomerFingerprint.Compute(customers[i % customers.Length]));

        Assert.Equal(Enumerable.Range(0, actual.Length).Select(i => expected[i % customers.Length]), actual);
    }

    [Fact]
    public void A_large_customer_is_hashed_in_a_streaming_way_with_the_same_result()
    {
        var big = ValidCustomers.All().Single(c => c.Case == "a thousand contacts (the maximum)").Customer with { Notes = new string('n', 32000) };
        var expected = "sha256:" + Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(CustomerFingerprint.CanonicalForm(big)));

        Assert.Equal(expected, CustomerFingerprint.Compute(big));
        Assert.Equal(expected, CustomerFingerprint.Compute(big));
    }

    [Fact]
    public void Computing_a_normalised_fingerprint_allocates_little_more_than_the_result()
    {
        var acme = CustomerNormalizer.Normalize(SampleCustomers.Acme());
        CustomerFingerprint.Compute(acme); // warm up this thread's writer and hash

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 100; i++)
        {
            CustomerFingerprint.Compute(acme);
        }

        var perCall = (GC.GetAllocatedBytesForCurrentThread() - before) / 100;
        Assert.True(perCall < 1024, $"{perCall} bytes per fingerprint");
    }

    private static string JsonName<T>(T value)
        where T : struct, Enum => JsonSerializer.Serialize(value, CanonicalJson.Options.GetTypeInfo(typeof(T))).Trim('"');
}
