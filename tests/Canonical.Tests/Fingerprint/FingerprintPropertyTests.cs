using System.Collections.Immutable;
using Concord.Canonical.Normalization;
using Concord.Canonical.Serialization;
using FsCheck;
using FsCheck.Fluent;
using Xunit;

namespace Concord.Canonical.Tests.Fingerprint;

public sealed class FingerprintPropertyTests
{
    private static readonly Config Config = Config.QuickThrowOnFailure.WithMaxTest(300).WithQuietOnSuccess(true);

    [Fact]
    public void Equal_customers_have_equal_fingerprints()
    {
        Check.One(Config, Prop.ForAll(CustomerGenerators.Customers().ToArbitrary(), customer =>
        {
            var copy = CanonicalJson.Deserialize(CanonicalJson.Serialize(customer));
            return copy.Equals(customer) && CustomerFingerprint.Compute(copy) == CustomerFingerprint.Compute(customer);
        }));
    }

    [Fact]
    public void Provenance_never_changes_the_fingerprint()
    {
        var pairs = CustomerGenerators.Customers().SelectMany(c => CustomerGenerators.Provenances().Select(p => (c, p)));

        Check.One(Config, Prop.ForAll(pairs.ToArbitrary(), pair =>
            CustomerFingerprint.Compute(pair.c) == CustomerFingerprint.Compute(pair.c with { Provenance = pair.p })));
    }

    [Fact]
    public void Any_content_change_changes_the_fingerprint()
    {
        var cases = CustomerGenerators.Customers().SelectMany(c => Gen.Choose(0, CustomerGenerators.Mutations.Length - 1).Select(m => (c, m)));

        Check.One(Config, Prop.ForAll(cases.ToArbitrary(), pair =>
        {
            var (name, mutate) = CustomerGenerators.Mutations[pair.m];
            var changed = mutate(pair.c);
            return (CustomerFingerprint.Compute(pair.c) != CustomerFingerprint.Compute(changed)).Label(name);
        }));
    }

    [Fact]
    public void The_fingerprint_of_a_normalised_customer_is_stable_under_renormalisation()
    {
        Check.One(Config, Prop.ForAll(CustomerGenerators.Customers().ToArbitrary(), customer =>
        {
            var once = CustomerNormalizer.Normalize(customer);
            return CustomerFingerprint.Compute(once) == CustomerFingerprint.Compute(CustomerNormalizer.Normalize(once));
        }));
    }
}

/// <summary>FsCheck generators of valid canonical customers (schema-conforming, normalisable).</summary>
internal static class CustomerGenerators
{
    private static readonly string[] Words = ["Acme", "Zoë", "東京", "O'Brien", "Łódź", "Ærø", "Smith & Sons", "a\"b", "tab\tbed", "ünïcode", "x", "Ω"];
    private static readonly string[] Countries = ["DE", "FR", "US", "GB", "CH", "JP", "BR"];
    private static readonly string[] Currencies = ["EUR", "USD", "CHF", "JPY", "GBP"];
    private static readonly string[] Languages = ["en", "en-US", "de-DE", "fr-BE", "zh-Hant-TW", "es-419"];

    public static readonly (string Name, Func<CanonicalCustomer, CanonicalCustomer> Mutate)[] Mutations =
    [
        ("name", c => c with { Name = c.Name + "·" }),
        ("kind", c => c with { Kind = c.Kind == CustomerKind.Company ? CustomerKind.Person : CustomerKind.Company }),
        ("status", c => c with { Status = c.Status == CustomerStatus.Active ? CustomerStatus.Archived : CustomerStatus.Active }),
        ("legal name", c => c with { LegalName = (c.LegalName ?? string.Empty) + "·" }),
        ("notes", c => c with { Notes = (c.Notes ?? string.Empty) + "·" }),
        ("tag", c => c with { Tags = c.Tags.Add("tag-added") }),
        ("email", c => c with { Emails = c.Emails.Add(new EmailAddress { Address = "added@example.net" }) }),
        ("phone", c => c with { Phones = c.Phones.Add(new PhoneNumber { Raw = "+41 44 668 18 00" }) }),
        ("contact", c => c with { Contacts = c.Contacts.Add(new Contact { Name = "Added" }) }),
        ("address", c => c with { Addresses = c.Addresses.Add(new PostalAddress { Role = AddressRole.Other, City = "Added" }) }),
        ("tax id", c => c with { TaxIds = c.TaxIds.Add(new TaxIdentifier { Type = TaxIdType.Other, Value = "ADDED1", Country = "NL" }) }),
        ("consent", c => c with { Consents = c.Consents.Add(new ConsentRecord { Channel = ConsentChannel.Post, Status = ConsentStatus.Pending }) }),
        ("website", c => c with { Website = "https://changed.example/" + (c.Website ?? string.Empty).Length }),
        ("currency", c => c with { Currency = c.Currency == "SEK" ? "NOK" : "SEK" }),
        ("language", c => c with { Language = c.Language == "sv-SE" ? "nb-NO" : "sv-SE" }),
        ("lifecycle", c => c with { LifecycleStage = c.LifecycleStage == LifecycleStage.Evangelist ? LifecycleStage.Former : LifecycleStage.Evangelist }),
        ("custom attribute", c => c with { CustomAttributes = c.CustomAttributes.SetItem("added", (c.CustomAttributes.GetValueOrDefault("added") ?? string.Empty) + "·") }),
    ];

    private static Gen<string> Text() => Gen.Elements(Words).ListOf(3).Select(words => string.Join(' ', words));

    private static Gen<T?> Maybe<T>(Gen<T> gen)
        where T : class => Gen.Frequency((1, Gen.Constant<T?>(null)), (2, gen.Select(v => (T?)v)));

    private static Gen<ImmutableArray<T>> Many<T>(Gen<T> gen, int max) =>
        Gen.Choose(0, max).SelectMany(n => gen.ListOf(n)).Select(items => items.ToImmutableArray());

    private static Gen<EmailAddress> Email() =>
        Gen.Choose(1, 9999).SelectMany(n => Gen.Elements(Enum.GetValues<ContactPointUse>()).Select(use => new EmailAddress { Address = $"user{n}@example.com", Use = use }));

    private static Gen<PhoneNumber> Phone() =>
        Gen.Choose(1000000, 9999999).Select(n => new PhoneNumber { Raw = $"+49 30 {n}", E164 = $"+4930{n}" });

    private static Gen<PostalAddress> Address() =>
        from role in Gen.Elements(Enum.GetValues<AddressRole>())
        from city in Maybe(Text())
        from country in Gen.Elements(Countries)
        from street in Maybe(Text())
        select new PostalAddress { Role = role, City = city, Country = country, Street = street };

    private static Gen<Contact> Contact() =>
        from name in Text()
        from job in Maybe(Text())
        from emails in Many(Email(), 2)
        from phones in Many(Phone(), 2)
        from language in Maybe(Gen.Elements(Languages))
        select new Contact { Name = name, JobTitle = job, Emails = emails, Phones = phones, Language = language };

    private static Gen<ConsentRecord> Consent() =>
        from channel in Gen.Elements(Enum.GetValues<ConsentChannel>())
        from status in Gen.Elements(Enum.GetValues<ConsentStatus>())
        from seconds in Gen.Choose(0, int.MaxValue)
        select new ConsentRecord { Channel = channel, Status = status, RecordedAt = DateTimeOffset.UnixEpoch.AddSeconds(seconds) };

    public static Gen<CanonicalCustomer> Customers() =>
        from kind in Gen.Elements(Enum.GetValues<CustomerKind>())
        from name in Text()
        from legalName in Maybe(Text())
        from status in Gen.Elements(Enum.GetValues<CustomerStatus>())
        from contacts in Many(Contact(), 3)
        from addresses in Many(Address(), 3)
        from emails in Many(Email(), 3)
        from phones in Many(Phone(), 2)
        from currency in Maybe(Gen.Elements(Currencies))
        from language in Maybe(Gen.Elements(Languages))
        from stage in Gen.Elements(Enum.GetValues<LifecycleStage>().Select(s => (LifecycleStage?)s).Append(null).ToArray())
        from consents in Many(Consent(), 2)
        from tags in Many(Gen.Elements(Words), 3)
        from notes in Maybe(Text())
        from attributes in Many(Gen.Elements(Words).SelectMany(k => Text().Select(v => (k, v))), 3)
        select new CanonicalCustomer
        {
            Kind = kind,
            Name = name,
            LegalName = legalName,
            Status = status,
            Contacts = contacts,
            Addresses = addresses,
            Emails = emails,
            Phones = phones,
            Currency = currency,
            Language = language,
            LifecycleStage = stage,
            Consents = consents,
            Tags = tags,
            Notes = notes,
            CustomAttributes = attributes.Distinct().GroupBy(a => a.k).ToImmutableSortedDictionary(g => g.Key, g => g.First().v, StringComparer.Ordinal),
            Website = name.Length % 2 == 0 ? null : "https://www.example.org",
        };

    public static Gen<Provenance> Provenances() =>
        from id in Maybe(Gen.Elements("cus_1", "cus_2", "x"))
        from system in Maybe(Gen.Elements("odoo", "salesforce", "hubspot"))
        from seconds in Gen.Choose(0, int.MaxValue)
        from externalId in Gen.Choose(1, 1000)
        select new Provenance
        {
            CanonicalId = id,
            SourceSystem = system,
            SourceModifiedAt = DateTimeOffset.UnixEpoch.AddSeconds(seconds),
            ExternalRefs = system is null ? [] : [new ExternalRef(system, externalId.ToString(System.Globalization.CultureInfo.InvariantCulture))],
        };
}
