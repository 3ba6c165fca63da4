using System.Collections.Immutable;
using Concord.Canonical;
using Concord.Canonical.Connectors;
using Concord.Canonical.Idempotency;

namespace Concord.Connectors.Odoo.Tests.Support;

/// <summary>Canonical customers for the tests.</summary>
internal static class Customers
{
    public static CanonicalCustomer Company(
        string canonicalId,
        string name = "Acme GmbH",
        string? vat = "DE123456789",
        string country = "DE",
        string? email = "info@acme.example",
        int contacts = 2,
        bool withBilling = false)
    {
        var addresses = ImmutableArray.CreateBuilder<PostalAddress>();
        addresses.Add(new PostalAddress { Role = AddressRole.Main, Street = "Hauptstraße 1", City = "Berlin", PostalCode = "10115", Country = country });
        if (withBilling)
        {
            addresses.Add(new PostalAddress { Role = AddressRole.Billing, Name = "Accounts payable", Street = "Postfach 12", City = "Berlin", PostalCode = "10117", Country = country, Region = country == "DE" ? "DE-BE" : null });
        }

        return new CanonicalCustomer
        {
            Kind = CustomerKind.Company,
            Name = name,
            TaxIds = vat is null ? [] : [new TaxIdentifier { Type = TaxIdType.Vat, Value = vat, Country = country }],
            Emails = email is null ? [] : [new EmailAddress { Address = email }],
            Phones = [new PhoneNumber { Raw = "+49 30 1234567" }],
            Website = "https://www.acme.example",
            Language = "de-DE",
            Tags = ["Customer", "VIP"],
            Notes = "Key account",
            Addresses = addresses.ToImmutable(),
            Contacts = [.. Enumerable.Range(1, contacts).Select(i => new Contact
            {
                Id = $"{canonicalId}-contact-{i}",
                Name = $"Person {i} of {name}",
                JobTitle = i == 1 ? "CFO" : "Buyer",
                Emails = [new EmailAddress { Address = $"person{i}.{canonicalId}@acme.example" }],
                Phones = [new PhoneNumber { Raw = "+49 170 1234567", Use = ContactPointUse.Mobile }],
            })],
            Provenance = new Provenance { CanonicalId = canonicalId, SourceSystem = "salesforce" },
        };
    }

    public static CanonicalCustomer Person(string canonicalId, string name = "Ada Lovelace", string email = "ada@example.org") => new()
    {
        Kind = CustomerKind.Person,
        Name = name,
        Emails = [new EmailAddress { Address = email }],
        Addresses = [new PostalAddress { Role = AddressRole.Main, Street = "1 Main St", City = "Springfield", PostalCode = "62701", Country = "US", Region = "US-CA" }],
        Provenance = new Provenance { CanonicalId = canonicalId },
    };

    public static UpsertRequest Request(CanonicalCustomer customer, string? known = null) => new()
    {
        Customer = customer,
        IdempotencyKey = IdempotencyKey.From("k-" + (customer.Provenance.CanonicalId ?? Guid.NewGuid().ToString("N"))),
        KnownExternalId = known,
    };
}
