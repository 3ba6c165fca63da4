using System.Globalization;
using Concord.Canonical;

namespace Concord.Benchmarks.Salesforce;

internal static class MappingData
{
    public static CanonicalCustomer Customer(string id, int contacts) => new()
    {
        Kind = CustomerKind.Company,
        Name = "Acme " + id,
        Website = "https://www.acme.example/",
        Phones = [new PhoneNumber { Raw = "+49 30 1234567", E164 = "+49301234567" }],
        Addresses =
        [
            new PostalAddress { Role = AddressRole.Billing, Street = "Unter den Linden 1", City = "Berlin", PostalCode = "10117", Region = "DE-BE", Country = "DE" },
            new PostalAddress { Role = AddressRole.Shipping, Street = "Hafenstrasse 5", City = "Hamburg", PostalCode = "20457", Region = "DE-HH", Country = "DE" },
        ],
        Notes = "Closed-won",
        Contacts = [.. Enumerable.Range(1, contacts).Select(i => new Contact
        {
            Id = string.Create(CultureInfo.InvariantCulture, $"{id}-c{i}"),
            Name = "Ada Lovelace",
            GivenName = "Ada",
            FamilyName = "Lovelace",
            JobTitle = "CTO",
            Emails = [new EmailAddress { Address = string.Create(CultureInfo.InvariantCulture, $"ada{i}@acme.example") }],
        })],
        Provenance = new Provenance { CanonicalId = id },
    };
}
