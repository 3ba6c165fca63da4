using Concord.Canonical;
using Concord.Canonical.Connectors;

namespace Concord.Benchmarks.Engine;

/// <summary>A target that accepts every write and does nothing, so that a run measures only the engine and its state.</summary>
internal sealed class NullTargetConnector(string name) : ICustomerConnector
{
    private long _writes;

    public string Name { get; } = name;

    public long Writes => Interlocked.Read(ref _writes);

    public ConnectorCapabilities Capabilities { get; } = new()
    {
        System = "null",
        MaxBatchSize = 200,
        VendorBatchPreservesOrder = true,
        NativeUpsertKey = "canonical id",
        PublishedRateLimit = new RateLimitDescription(int.MaxValue, TimeSpan.FromSeconds(1), "in-process target"),
    };

    public Task<CanonicalCustomer?> GetAsync(string externalId, CancellationToken cancellationToken = default) => Task.FromResult<CanonicalCustomer?>(null);

    public Task<IReadOnlyList<CanonicalCustomer>> FindAsync(MatchKeys keys, CancellationToken cancellationToken = default) =>
        Task.FromResult<IReadOnlyList<CanonicalCustomer>>([]);

    public Task<UpsertResult> UpsertAsync(UpsertRequest request, CancellationToken cancellationToken = default)
    {
        Interlocked.Increment(ref _writes);
        return Task.FromResult(Write(request));
    }

    public Task<IReadOnlyList<UpsertResult>> UpsertManyAsync(IReadOnlyList<UpsertRequest> requests, CancellationToken cancellationToken = default)
    {
        Interlocked.Add(ref _writes, requests.Count);
        var results = new UpsertResult[requests.Count];
        for (var i = 0; i < results.Length; i++)
        {
            results[i] = Write(requests[i]);
        }

        return Task.FromResult<IReadOnlyList<UpsertResult>>(results);
    }

    public async IAsyncEnumerable<CustomerChange> ReadChangesAsync(ChangeCursor? from, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await Task.CompletedTask.ConfigureAwait(false);
        yield break;
    }

    private static UpsertResult Write(UpsertRequest request) =>
        UpsertResult.Success(
            request.KnownExternalId is null ? UpsertOutcome.Created : UpsertOutcome.Updated,
            request.KnownExternalId ?? "n-" + request.Customer.Provenance.CanonicalId);
}
