using System.Globalization;
using Concord.Canonical;
using Concord.Connectors.Odoo.Mapping;

namespace Concord.Benchmarks.Odoo;

/// <summary>The customers the Odoo benchmarks write: a company with a main address, tags and two contacts.</summary>
internal static class OdooBenchmarkData
{
    public static CanonicalCustomer Company(int index, int contacts = 2)
    {
        var id = string.Create(CultureInfo.InvariantCulture, $"odoo-bench-{index}");
        return new CanonicalCustomer
        {
            Kind = CustomerKind.Company,
            Name = string.Create(CultureInfo.InvariantCulture, $"Company {index} GmbH"),
            TaxIds = [new TaxIdentifier { Type = TaxIdType.Vat, Value = string.Create(CultureInfo.InvariantCulture, $"DE{100000000 + index}"), Country = "DE" }],
            Emails = [new EmailAddress { Address = string.Create(CultureInfo.InvariantCulture, $"info{index}@company{index}.example") }],
            Phones = [new PhoneNumber { Raw = "+49 30 1234567", E164 = "+49301234567" }],
            Website = string.Create(CultureInfo.InvariantCulture, $"https://company{index}.example"),
            Language = "de-DE",
            Tags = ["Customer"],
            Notes = "Imported by the benchmark",
            Addresses = [new PostalAddress { Role = AddressRole.Main, Street = "Hauptstraße 1", City = "Berlin", PostalCode = "10115", Country = "DE", Region = "DE-BE" }],
            Contacts = [.. Enumerable.Range(1, contacts).Select(c => new Contact
            {
                Id = string.Create(CultureInfo.InvariantCulture, $"{id}-c{c}"),
                Name = string.Create(CultureInfo.InvariantCulture, $"Person {c} of company {index}"),
                JobTitle = "Buyer",
                Emails = [new EmailAddress { Address = string.Create(CultureInfo.InvariantCulture, $"p{c}.{index}@company{index}.example") }],
                Phones = [new PhoneNumber { Raw = "+49 170 1234567", E164 = "+491701234567", Use = ContactPointUse.Mobile }],
            })],
            Provenance = new Provenance { CanonicalId = id },
        };
    }

    /// <summary>Country DE = 57 with state BE = 4, tag Customer = 1, as a warm per-instance cache holds them.</summary>
    internal sealed class WarmLookup : IReferenceLookup
    {
        public long? CountryId(string isoCode) => isoCode == "DE" ? 57 : null;

        public long? StateId(long countryId, string code) => countryId == 57 && code == "BE" ? 4 : null;

        public long? TagId(string name) => name == "Customer" ? 1 : null;

        public string? CountryCode(long countryId) => countryId == 57 ? "DE" : null;

        public (string CountryCode, string Code)? State(long stateId) => stateId == 4 ? ("DE", "BE") : null;

        public string? TagName(long tagId) => tagId == 1 ? "Customer" : null;
    }
}
