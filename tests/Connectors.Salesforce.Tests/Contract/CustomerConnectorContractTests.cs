using System.Globalization;
using Concord.Canonical;
using Concord.Idempotency;

namespace Concord.Connectors.Salesforce.Tests.Contract;

/// <summary>
/// The contract every <see cref="ICustomerConnector"/> keeps, written against the interface only so that another
/// connector's test project can derive from it: one result per input in input order, one bad record fails alone,
/// repeating an upsert does not duplicate, and what was written reads back.
/// </summary>
public abstract class CustomerConnectorContractTests : IAsyncLifetime
{
    private ICustomerConnector? _connector;

    protected ICustomerConnector Connector => _connector ?? throw new InvalidOperationException("Not initialised.");

    /// <summary>Creates the connector under test against a fresh, empty simulated system.</summary>
    protected abstract Task<ICustomerConnector> CreateConnectorAsync();

    /// <summary>Releases what <see cref="CreateConnectorAsync"/> made.</summary>
    protected abstract Task DisposeConnectorAsync();

    /// <summary>A customer the vendor rejects (for example a name longer than the vendor allows).</summary>
    protected abstract CanonicalCustomer RejectedCustomer(string canonicalId);

    /// <summary>A valid customer with <paramref name="contacts"/> contacts.</summary>
    protected virtual CanonicalCustomer ValidCustomer(string canonicalId, int contacts = 0) => new()
    {
        Kind = CustomerKind.Company,
        Name = "Contract " + canonicalId,
        Website = "https://contract.example",
        Contacts = [.. Enumerable.Range(1, contacts).Select(i => new Contact
        {
            Id = string.Create(CultureInfo.InvariantCulture, $"{canonicalId}-c{i}"),
            Name = string.Create(CultureInfo.InvariantCulture, $"Grace Hopper{i}"),
            GivenName = "Grace",
            FamilyName = string.Create(CultureInfo.InvariantCulture, $"Hopper{i}"),
        })],
        Provenance = new Provenance { CanonicalId = canonicalId },
    };

    public async Task InitializeAsync() => _connector = await CreateConnectorAsync();

    public Task DisposeAsync() => DisposeConnectorAsync();

    [Fact]
    public async Task UpsertMany_returns_one_result_per_input_in_input_order()
    {
        var requests = Enumerable.Range(1, 7).Select(i => Request(ValidCustomer(string.Create(CultureInfo.InvariantCulture, $"order-{i}")))).ToList();

        var results = await Connector.UpsertManyAsync(requests);

        Assert.Equal(requests.Count, results.Count);
        Assert.All(results, r => Assert.Equal(UpsertOutcome.Created, r.Outcome));
        for (var i = 0; i < requests.Count; i++)
        {
            var read = await Connector.GetAsync(results[i].ExternalId!);
            Assert.Equal(requests[i].Customer.Provenance.CanonicalId, read?.Provenance.CanonicalId);
        }
    }

    [Fact]
    public async Task One_rejected_record_fails_alone_and_keeps_its_place()
    {
        var requests = new[]
        {
            Request(ValidCustomer("iso-1")),
            Request(RejectedCustomer("iso-2")),
            Request(ValidCustomer("iso-3")),
        };

        var results = await Connector.UpsertManyAsync(requests);

        Assert.Equal(3, results.Count);
        Assert.True(results[0].IsSuccess);
        Assert.Equal(UpsertOutcome.Failed, results[1].Outcome);
        Assert.True(results[1].Error!.IsRecordLevel);
        Assert.True(results[2].IsSuccess);
        Assert.NotEqual(results[0].ExternalId, results[2].ExternalId);
    }

    [Fact]
    public async Task Upsert_sent_twice_creates_one_record_then_updates_it()
    {
        var customer = ValidCustomer("twice-1", contacts: 2);

        var first = await Connector.UpsertAsync(Request(customer));
        var second = await Connector.UpsertAsync(Request(customer with { Name = "Renamed" }));

        Assert.Equal(UpsertOutcome.Created, first.Outcome);
        Assert.Equal(UpsertOutcome.Updated, second.Outcome);
        Assert.Equal(first.ExternalId, second.ExternalId);
        Assert.Equal(first.ContactExternalIds.OrderBy(p => p.Key), second.ContactExternalIds.OrderBy(p => p.Key));
        var read = await Connector.GetAsync(first.ExternalId!);
        Assert.Equal("Renamed", read!.Name);
        Assert.Equal(2, read.Contacts.Length);
    }

    [Fact]
    public async Task Written_customer_appears_in_the_change_feed_once()
    {
        var result = await Connector.UpsertAsync(Request(ValidCustomer("feed-1", contacts: 1)));

        var changes = new List<CustomerChange>();
        await foreach (var change in Connector.ReadChangesAsync(null))
        {
            changes.Add(change);
        }

        var mine = Assert.Single(changes, c => c.ExternalId == result.ExternalId);
        Assert.Equal(ChangeKind.Upserted, mine.Kind);
        Assert.Equal("feed-1", mine.Customer!.Provenance.CanonicalId);
        Assert.Single(mine.Customer.Contacts);
    }

    [Fact]
    public async Task Empty_batch_returns_no_results()
    {
        var results = await Connector.UpsertManyAsync([]);

        Assert.Empty(results);
    }

    protected static UpsertRequest Request(CanonicalCustomer customer) => new()
    {
        Customer = customer,
        IdempotencyKey = IdempotencyKey.From("contract-" + customer.Provenance.CanonicalId),
    };
}
