using System.Globalization;
using Concord.Canonical;
using Concord.Canonical.Connectors;
using Concord.Canonical.Idempotency;

namespace Concord.Connectors.Zendesk.Tests.TestData;

internal static class Customers
{
    public static CanonicalCustomer Company(string canonicalId, int contacts = 0, string? name = null, string? domain = null) => new()
    {
        Kind = CustomerKind.Company,
        Name = name ?? $"Company {canonicalId}",
        Website = $"https://www.{domain ?? canonicalId + ".example"}/",
        Domain = domain ?? $"{canonicalId}.example",
        Addresses =
        [
            new PostalAddress { Role = AddressRole.Billing, Street = "Unter den Linden 1", Street2 = "Hof 2", City = "Berlin", PostalCode = "10117", Region = "DE-BE", Country = "DE" },
        ],
        Notes = "Closed-won",
        Tags = ["vip"],
        Contacts = [.. Enumerable.Range(1, contacts).Select(i => Person(canonicalId, i))],
        Provenance = new Provenance { CanonicalId = canonicalId },
    };

    public static Contact Person(string canonicalId, int index) => new()
    {
        Id = string.Create(CultureInfo.InvariantCulture, $"{canonicalId}-c{index}"),
        Name = string.Create(CultureInfo.InvariantCulture, $"Ada Lovelace{index}"),
        Emails = [new EmailAddress { Address = string.Create(CultureInfo.InvariantCulture, $"ada{index}@{canonicalId}.example") }],
        Phones = [new PhoneNumber { Raw = "+44 20 7946 0000", E164 = "+442079460000", Use = ContactPointUse.Mobile }],
        Language = "en-GB",
    };

    public static UpsertRequest Request(CanonicalCustomer customer, string? knownId = null) => new()
    {
        Customer = customer,
        IdempotencyKey = IdempotencyKey.From("k-" + customer.Provenance.CanonicalId),
        KnownExternalId = knownId,
    };

    public static IReadOnlyList<UpsertRequest> Requests(int count, int contactsEach = 0, string prefix = "a") =>
        [.. Enumerable.Range(1, count).Select(i => Request(Company(string.Create(CultureInfo.InvariantCulture, $"{prefix}-{i}"), contactsEach)))];
}
