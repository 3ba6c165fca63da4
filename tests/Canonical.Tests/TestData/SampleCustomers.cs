using System.Collections.Immutable;

namespace Concord.Canonical.Tests.TestData;

/// <summary>Fixed customers the model, schema and fingerprint tests share. Never change them: fingerprints are pinned.</summary>
internal static class SampleCustomers
{
    public static CanonicalCustomer Acme() => new()
    {
        Kind = CustomerKind.Company,
        Name = "Acme GmbH",
        LegalName = "Acme Gesellschaft mit beschränkter Haftung",
        Status = CustomerStatus.Active,
        Website = "https://www.acme.de/impressum",
        Domain = "acme.de",
        Currency = "EUR",
        Language = "de-DE",
        LifecycleStage = LifecycleStage.Customer,
        Notes = "Key account since 2019.",
        Tags = ["vip", "manufacturing"],
        CustomAttributes = ImmutableSortedDictionary.CreateRange(StringComparer.Ordinal, new Dictionary<string, string>
        {
            ["segment"] = "enterprise",
            ["employees"] = "250",
        }),
        Addresses =
        [
            new PostalAddress { Role = AddressRole.Main, Street = "Friedrichstraße 100", City = "Berlin", PostalCode = "10117", Region = "DE-BE", Country = "DE" },
            new PostalAddress { Role = AddressRole.Billing, Name = "Accounts", Street = "Postfach 12 34", City = "Berlin", PostalCode = "10001", Country = "DE" },
        ],
        TaxIds = [new TaxIdentifier { Type = TaxIdType.Vat, Value = "DE123456789", Country = "DE" }],
        Emails = [new EmailAddress { Address = "info@acme.de" }, new EmailAddress { Address = "billing@acme.de", Use = ContactPointUse.Other }],
        Phones = [new PhoneNumber { Raw = "+49 30 1234567", E164 = "+49301234567" }],
        Consents =
        [
            new ConsentRecord { Channel = ConsentChannel.Email, Status = ConsentStatus.Granted, RecordedAt = new DateTimeOffset(2024, 3, 1, 9, 30, 0, TimeSpan.Zero), Source = "web-form" },
            new ConsentRecord { Channel = ConsentChannel.Phone, Status = ConsentStatus.Denied },
        ],
        Contacts =
        [
            new Contact
            {
                Id = "c-ada",
                ExternalRefs = [new ExternalRef("odoo", "77")],
                Name = "Ada Lovelace",
                GivenName = "Ada",
                FamilyName = "Lovelace",
                JobTitle = "CTO",
                Emails = [new EmailAddress { Address = "ada@acme.de" }],
                Phones = [new PhoneNumber { Raw = "+49 170 1234567", E164 = "+491701234567", Use = ContactPointUse.Mobile }],
                Language = "en-GB",
            },
        ],
        Provenance = new Provenance
        {
            CanonicalId = "cus_0001",
            ExternalRefs = [new ExternalRef("odoo", "42"), new ExternalRef("salesforce", "001xx000003DGb2AAG")],
            SourceSystem = "odoo",
            SourceModifiedAt = new DateTimeOffset(2025, 1, 2, 3, 4, 5, TimeSpan.Zero),
            SourceVersion = "7",
            Actor = "admin",
        },
    };

    public static CanonicalCustomer Person() => new()
    {
        Kind = CustomerKind.Person,
        Name = "Zoë Ångström-Núñez",
        Emails = [new EmailAddress { Address = "zoe@example.org", Use = ContactPointUse.Home }],
        Phones = [new PhoneNumber { Raw = "(415) 555-2671", E164 = "+14155552671", Use = ContactPointUse.Mobile }],
        Addresses = [new PostalAddress { Role = AddressRole.Shipping, Street = "1 Market St", City = "San Francisco", PostalCode = "94105", Region = "US-CA", Country = "US" }],
        Language = "en-US",
        LifecycleStage = LifecycleStage.Lead,
        Consents = [new ConsentRecord { Channel = ConsentChannel.Sms, Status = ConsentStatus.Withdrawn, RecordedAt = new DateTimeOffset(2025, 6, 30, 23, 59, 59, TimeSpan.FromHours(2)) }],
        Provenance = new Provenance { CanonicalId = "cus_0002", SourceSystem = "hubspot" },
    };

    public static CanonicalCustomer Minimal() => new() { Kind = CustomerKind.Company, Name = "東京商事株式会社" };
}
