using System.Globalization;
using Concord.Canonical;

namespace Concord.Benchmarks.Zendesk;

internal static class ZendeskData
{
    public static CanonicalCustomer Customer(string id, int contacts) => new()
    {
        Kind = CustomerKind.Company,
        Name = "Acme " + id,
        Website = "https://www.acme.example/",
        Domain = id + ".acme.example",
        Addresses =
        [
            new PostalAddress { Role = AddressRole.Billing, Street = "Unter den Linden 1", City = "Berlin", PostalCode = "10117", Region = "DE-BE", Country = "DE" },
        ],
        TaxIds = [new TaxIdentifier { Type = TaxIdType.Vat, Value = "DE811907980", Country = "DE" }],
        Currency = "EUR",
        LifecycleStage = LifecycleStage.Customer,
        Tags = ["vip"],
        Notes = "Closed-won",
        Contacts = [.. Enumerable.Range(1, contacts).Select(i => new Contact
        {
            Id = string.Create(CultureInfo.InvariantCulture, $"{id}-c{i}"),
            Name = "Ada Lovelace",
            Emails = [new EmailAddress { Address = string.Create(CultureInfo.InvariantCulture, $"ada{i}@{id}.acme.example") }],
            Phones = [new PhoneNumber { Raw = "+44 20 7946 0000", E164 = "+442079460000" }],
        })],
        Provenance = new Provenance { CanonicalId = id },
    };
}
