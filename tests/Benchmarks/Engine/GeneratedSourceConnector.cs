using System.Collections.Immutable;
using System.Globalization;
using System.Runtime.CompilerServices;
using Concord.Canonical;
using Concord.Canonical.Connectors;

namespace Concord.Benchmarks.Engine;

/// <summary>
/// A source whose change feed is generated on the fly: <see cref="Count"/> distinct, schema-valid companies, one change
/// each, built lazily so that the feed itself holds no memory. The cursor is the index of the next change.
/// </summary>
internal sealed class GeneratedSourceConnector(string name, int count) : ICustomerConnector
{
    private static readonly DateTimeOffset Epoch = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    public string Name { get; } = name;

    public int Count { get; } = count;

    public ConnectorCapabilities Capabilities { get; } = new()
    {
        System = "generated",
        MaxBatchSize = 200,
        VendorBatchPreservesOrder = true,
        PublishedRateLimit = new RateLimitDescription(int.MaxValue, TimeSpan.FromSeconds(1), "in-process generator"),
    };

    public Task<CanonicalCustomer?> GetAsync(string externalId, CancellationToken cancellationToken = default) =>
        Task.FromResult<CanonicalCustomer?>(int.TryParse(externalId.AsSpan(2), CultureInfo.InvariantCulture, out var i) ? Customer(i) : null);

    public Task<IReadOnlyList<CanonicalCustomer>> FindAsync(MatchKeys keys, CancellationToken cancellationToken = default) =>
        Task.FromResult<IReadOnlyList<CanonicalCustomer>>([]);

    public Task<UpsertResult> UpsertAsync(UpsertRequest request, CancellationToken cancellationToken = default) =>
        throw new NotSupportedException("The generated source is read-only.");

    public Task<IReadOnlyList<UpsertResult>> UpsertManyAsync(IReadOnlyList<UpsertRequest> requests, CancellationToken cancellationToken = default) =>
        throw new NotSupportedException("The generated source is read-only.");

    public async IAsyncEnumerable<CustomerChange> ReadChangesAsync(ChangeCursor? from, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var start = from is null ? 0 : int.Parse(from.Value, CultureInfo.InvariantCulture);
        for (var i = start; i < Count; i++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if ((i & 1023) == 0)
            {
                await Task.Yield();
            }

            var customer = Customer(i);
            yield return new CustomerChange
            {
                Kind = ChangeKind.Upserted,
                ExternalId = customer.Provenance.ExternalIdIn(Name)!,
                Customer = customer,
                ModifiedAt = customer.Provenance.SourceModifiedAt!.Value,
                Cursor = new ChangeCursor((i + 1).ToString(CultureInfo.InvariantCulture)),
            };
        }
    }

    internal CanonicalCustomer Customer(int i)
    {
        var n = i.ToString("D7", CultureInfo.InvariantCulture);
        var domain = $"company-{n}.example";
        return new CanonicalCustomer
        {
            Kind = CustomerKind.Company,
            Name = $"Company {n}",
            Website = $"https://www.{domain}",
            Domain = domain,
            TaxIds = [new TaxIdentifier { Type = TaxIdType.Vat, Value = $"DE{(100_000_000 + i).ToString(CultureInfo.InvariantCulture)}", Country = "DE" }],
            Emails = [new EmailAddress { Address = $"info@{domain}" }],
            Addresses = [new PostalAddress { Role = AddressRole.Billing, Street = $"Street {i}", City = "Berlin", PostalCode = "10115", Country = "DE" }],
            Contacts =
            [
                new Contact { Id = $"c-{n}", Name = $"Person {n}", GivenName = "Person", FamilyName = n, Emails = [new EmailAddress { Address = $"person@{domain}" }] },
            ],
            Provenance = new Provenance
            {
                SourceSystem = Name,
                ExternalRefs = [new ExternalRef(Name, $"g-{n}")],
                SourceModifiedAt = Epoch.AddSeconds(i),
            },
        };
    }
}
