using System.Collections.Immutable;

namespace Concord.Canonical.Tests.TestData;

/// <summary>Customers that conform to customer.v1: each one names the case it covers.</summary>
internal static class ValidCustomers
{
    private static readonly DateTimeOffset When = new(2025, 5, 17, 8, 0, 0, TimeSpan.Zero);

    public static IEnumerable<(string Case, CanonicalCustomer Customer)> All()
    {
        yield return ("full company", SampleCustomers.Acme());
        yield return ("person with shipping address", SampleCustomers.Person());
        yield return ("minimal document (kind and name)", SampleCustomers.Minimal());
        yield return ("person without company", new CanonicalCustomer
        {
            Kind = CustomerKind.Person,
            Name = "Jean Dupont",
            Emails = [new EmailAddress { Address = "jean.dupont@example.fr", Use = ContactPointUse.Home }],
            Addresses = [new PostalAddress { Role = AddressRole.Main, City = "Paris", PostalCode = "75001", Region = "FR-75C", Country = "FR" }],
            Language = "fr-FR",
        });
        yield return ("unicode names", new CanonicalCustomer
        {
            Kind = CustomerKind.Company,
            Name = "Ünïcødé ΑΒΓ Ωmega — «Ltd» 🚀",
            LegalName = "شركة المثال المحدودة",
            Notes = "Line 1\nLine 2 \"quoted\" \\ back\tslash 𝔘𝔫𝔦",
            Contacts = [new Contact { Name = "李小龍", GivenName = "小龍", FamilyName = "李" }, new Contact { Name = "Søren Kierkegaard" }],
        });
        yield return ("fifty contacts", SampleCustomers.Minimal() with
        {
            Contacts = [.. Enumerable.Range(1, 50).Select(i => new Contact
            {
                Id = $"c-{i:D3}",
                Name = $"Contact {i}",
                Emails = [new EmailAddress { Address = $"contact{i}@example.com" }],
                Phones = [new PhoneNumber { Raw = $"+49 30 {1000000 + i}", E164 = $"+4930{1000000 + i}" }],
            })],
        });
        yield return ("every address role", SampleCustomers.Minimal() with
        {
            Addresses = [.. Enum.GetValues<AddressRole>().Select(role => new PostalAddress { Role = role, City = role.ToString(), Country = "CH", Region = "CH-ZH" })],
        });
        yield return ("every tax id type", SampleCustomers.Minimal() with
        {
            TaxIds = [.. Enum.GetValues<TaxIdType>().Select((type, i) => new TaxIdentifier { Type = type, Value = $"ID{i}00{i}", Country = "US" })],
        });
        yield return ("every contact point use", SampleCustomers.Minimal() with
        {
            Emails = [.. Enum.GetValues<ContactPointUse>().Select(use => new EmailAddress { Address = $"{use.ToString().ToLowerInvariant()}@example.com", Use = use })],
            Phones = [.. Enum.GetValues<ContactPointUse>().Select(use => new PhoneNumber { Raw = "+44 20 7946 0958", E164 = "+442079460958", Use = use })],
        });
        yield return ("every consent channel", SampleCustomers.Minimal() with
        {
            Consents = [.. Enum.GetValues<ConsentChannel>().Select(channel => new ConsentRecord { Channel = channel, Status = ConsentStatus.Granted, RecordedAt = When, Source = "import" })],
        });
        foreach (var status in Enum.GetValues<ConsentStatus>())
        {
            yield return ($"consent {status}", SampleCustomers.Minimal() with
            {
                Consents = [new ConsentRecord { Channel = ConsentChannel.Email, Status = status, RecordedAt = When.ToOffset(TimeSpan.FromHours(-5)) }],
            });
        }

        foreach (var stage in Enum.GetValues<LifecycleStage>())
        {
            yield return ($"lifecycle {stage}", SampleCustomers.Minimal() with { LifecycleStage = stage });
        }

        yield return ("archived", SampleCustomers.Minimal() with { Status = CustomerStatus.Archived });
        yield return ("custom attributes with ordinal-sensitive keys", SampleCustomers.Minimal() with
        {
            CustomAttributes = ImmutableSortedDictionary.CreateRange(StringComparer.Ordinal, new Dictionary<string, string>
            {
                ["a"] = "1",
                ["B"] = "2",
                ["Ä"] = "3",
                ["_x"] = string.Empty,
                ["with space"] = "value with \"quotes\"",
            }),
        });
        yield return ("strings at their maximum length", SampleCustomers.Minimal() with
        {
            Name = new string('n', 255),
            LegalName = new string('l', 255),
            Notes = new string('x', 32000),
            Tags = [new string('t', 100)],
            Website = "https://example.com/" + new string('p', 2028),
        });
        yield return ("a thousand contacts (the maximum)", SampleCustomers.Minimal() with
        {
            Contacts = [.. Enumerable.Range(1, 1000).Select(i => new Contact { Name = $"Contact {i}" })],
        });
        yield return ("full provenance with offsets", SampleCustomers.Minimal() with
        {
            Provenance = new Provenance
            {
                CanonicalId = "cus_9",
                ExternalRefs = [new ExternalRef("odoo-eu", "9"), new ExternalRef("zendesk", "361")],
                SourceSystem = "odoo-eu",
                SourceModifiedAt = new DateTimeOffset(2025, 12, 31, 23, 59, 59, 123, TimeSpan.FromHours(5.5)),
                SourceVersion = "2025-12-31 18:29:59",
                Actor = "integration@odoo",
            },
        });
        yield return ("website and domain, currency and language", SampleCustomers.Minimal() with
        {
            Website = "https://www.example.co.jp/",
            Domain = "example.co.jp",
            Currency = "JPY",
            Language = "ja-JP",
            Tags = ["b", "a", "c"],
        });
        yield return ("contact with external refs and language", SampleCustomers.Minimal() with
        {
            Contacts = [new Contact { Id = "c-1", ExternalRefs = [new ExternalRef("salesforce", "003xx000004TmiQAAS")], Name = "Grace Hopper", JobTitle = "Rear Admiral", Language = "en-US" }],
        });
        yield return ("phone without E.164 form", SampleCustomers.Minimal() with
        {
            Phones = [new PhoneNumber { Raw = "ext. 42 (ask for Bob)" }],
        });
    }
}
