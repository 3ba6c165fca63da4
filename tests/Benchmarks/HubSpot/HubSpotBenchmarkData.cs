using System.Globalization;
using Concord.Canonical;

namespace Concord.Benchmarks.HubSpot;

internal static class HubSpotBenchmarkData
{
    /// <summary>A company with <paramref name="contacts"/> contacts, each with its own email (HubSpot's contact key).</summary>
    public static CanonicalCustomer Customer(string id, int contacts) => new()
    {
        Kind = CustomerKind.Company,
        Name = "Acme " + id,
        Website = $"https://www.{id}.example/",
        Domain = $"{id}.example",
        Phones = [new PhoneNumber { Raw = "+49 30 1234567", E164 = "+49301234567" }],
        Addresses = [new PostalAddress { Role = AddressRole.Billing, Street = "Unter den Linden 1", City = "Berlin", PostalCode = "10117", Region = "DE-BE", Country = "DE" }],
        LifecycleStage = LifecycleStage.Customer,
        Notes = "Closed-won",
        Contacts = [.. Enumerable.Range(1, contacts).Select(i => new Contact
        {
            Id = string.Create(CultureInfo.InvariantCulture, $"{id}-c{i}"),
            Name = "Ada Lovelace",
            GivenName = "Ada",
            FamilyName = "Lovelace",
            JobTitle = "CTO",
            Emails = [new EmailAddress { Address = string.Create(CultureInfo.InvariantCulture, $"ada{i}@{id}.example") }],
        })],
        Provenance = new Provenance { CanonicalId = id },
    };
}
