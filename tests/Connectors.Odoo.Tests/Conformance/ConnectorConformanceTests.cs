using Concord.Canonical;
using Concord.Connectors;

namespace Concord.Connectors.Odoo.Tests.Conformance;

/// <summary>
/// The contract every <see cref="ICustomerConnector"/> must keep, written against the interface only so that other
/// connectors' test projects can derive from it: one result per input in input order, one bad record failing alone,
/// repeated upserts converging, archived records round-tripping.
/// </summary>
public abstract class ConnectorConformanceTests
{
    /// <summary>Starts a fresh vendor (simulator) and a connector to it.</summary>
    protected abstract Task<IConnectorUnderTest> StartAsync();

    /// <summary>A valid company with a canonical id.</summary>
    protected abstract CanonicalCustomer ValidCustomer(string canonicalId);

    /// <summary>A customer the vendor refuses (a value it cannot take), with a canonical id.</summary>
    protected abstract CanonicalCustomer InvalidCustomer(string canonicalId);

    [Fact]
    public async Task UpsertMany_returns_one_result_per_input_in_input_order()
    {
        await using var sut = await StartAsync();
        var requests = Enumerable.Range(0, 7).Select(i => Request(ValidCustomer($"conf-order-{i}"))).ToList();

        var results = await sut.Connector.UpsertManyAsync(requests);

        Assert.Equal(requests.Count, results.Count);
        var ids = results.Select(r => r.ExternalId).ToList();
        Assert.All(results, r => Assert.True(r.IsSuccess));
        Assert.Equal(ids.Count, ids.Distinct().Count());
        for (var i = 0; i < requests.Count; i++)
        {
            var read = await sut.Connector.GetAsync(results[i].ExternalId!);
            Assert.Equal(requests[i].Customer.Name, read?.Name);
        }
    }

    [Fact]
    public async Task UpsertMany_fails_a_bad_record_alone()
    {
        await using var sut = await StartAsync();
        var requests = new[]
        {
            Request(ValidCustomer("conf-iso-0")),
            Request(InvalidCustomer("conf-iso-1")),
            Request(ValidCustomer("conf-iso-2")),
        };

        var results = await sut.Connector.UpsertManyAsync(requests);

        Assert.True(results[0].IsSuccess);
        Assert.False(results[1].IsSuccess);
        Assert.True(results[1].Error!.IsRecordLevel);
        Assert.True(results[2].IsSuccess);
    }

    [Fact]
    public async Task Upsert_repeated_converges_on_one_record()
    {
        await using var sut = await StartAsync();
        var request = Request(ValidCustomer("conf-repeat"));

        var first = await sut.Connector.UpsertAsync(request);
        var second = await sut.Connector.UpsertAsync(request);

        Assert.Equal(UpsertOutcome.Created, first.Outcome);
        Assert.Equal(first.ExternalId, second.ExternalId);
        Assert.Equal(UpsertOutcome.Unchanged, second.Outcome);
    }

    [Fact]
    public async Task UpsertMany_with_no_requests_returns_no_results()
    {
        await using var sut = await StartAsync();

        Assert.Empty(await sut.Connector.UpsertManyAsync([]));
    }

    [Fact]
    public async Task Upsert_without_canonical_id_is_a_validation_failure_not_an_exception()
    {
        await using var sut = await StartAsync();
        var customer = ValidCustomer("conf-no-id") with { Provenance = new Provenance() };

        var result = await sut.Connector.UpsertAsync(Request(customer));

        Assert.Equal(UpsertOutcome.Failed, result.Outcome);
        Assert.Equal(ErrorCategory.Validation, result.Error!.Category);
    }

    private static UpsertRequest Request(CanonicalCustomer customer) => new()
    {
        Customer = customer,
        IdempotencyKey = Idempotency.IdempotencyKey.From("conf-" + (customer.Provenance.CanonicalId ?? "none")),
    };

    /// <summary>A connector and whatever it needs, disposed after the test.</summary>
    public interface IConnectorUnderTest : IAsyncDisposable
    {
        ICustomerConnector Connector { get; }
    }
}
