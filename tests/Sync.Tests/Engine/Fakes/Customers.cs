using Concord.Canonical;

namespace Concord.Sync.Tests.Engine.Fakes;

/// <summary>Small valid customers for engine tests.</summary>
internal static class Customers
{
    public static CanonicalCustomer Company(int n, string? taxId = null, string? domain = null, string? email = null, string? country = "DE") => new()
    {
        Kind = CustomerKind.Company,
        Name = $"Company {n}",
        Website = domain is null ? null : "https://" + domain,
        TaxIds = taxId is null ? [] : [new TaxIdentifier { Type = TaxIdType.Vat, Value = taxId, Country = country ?? "DE" }],
        Emails = email is null ? [] : [new EmailAddress { Address = email }],
        Addresses = [new PostalAddress { Role = AddressRole.Main, City = "Berlin", Country = country }],
    };
}
