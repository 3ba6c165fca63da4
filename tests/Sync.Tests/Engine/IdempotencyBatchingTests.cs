using Concord.Canonical.Idempotency;
using Concord.Sync.Idempotency;
using Concord.Sync.Tests.Engine.Fakes;
using Microsoft.Extensions.DependencyInjection;
using Xunit;

namespace Concord.Sync.Tests.Engine;

public sealed class IdempotencyBatchingTests
{
    [Fact]
    public async Task A_store_with_batch_support_is_called_once_per_page_and_step_not_once_per_record()
    {
        var crm = new FakeCustomerConnector("crm");
        var erp = new FakeCustomerConnector("erp", maxBatchSize: 10);
        var store = new CountingBatchStore();
        using var harness = new EngineHarness(
            c => c.AddFlow("flow", f => f.From("crm").To("erp").Configure(o => o.PageSize = 20)),
            s => s.AddSingleton<IIdempotencyStore>(store),
            crm,
            erp);
        for (var i = 0; i < 40; i++)
        {
            crm.Emit(Customers.Company(i), harness.Time.GetUtcNow());
        }

        var summary = await harness.Flow().RunOnceAsync();

        Assert.Equal(40, summary.Created);
        Assert.Equal((2, 2, 4), (store.GetManyCalls, store.ClaimManyCalls, store.CompleteManyCalls));
        Assert.Equal(0, store.SingleCalls);
    }

    private sealed class CountingBatchStore : IIdempotencyStore, IIdempotencyBatchStore
    {
        private readonly InMemoryIdempotencyStore _inner = new();

        public int SingleCalls { get; private set; }

        public int GetManyCalls { get; private set; }

        public int ClaimManyCalls { get; private set; }

        public int CompleteManyCalls { get; private set; }

        public Task<IdempotencyClaim> TryClaimAsync(IdempotencyKey key, string fingerprint, TimeSpan lease, CancellationToken cancellationToken = default)
        {
            SingleCalls++;
            return _inner.TryClaimAsync(key, fingerprint, lease, cancellationToken);
        }

        public Task CompleteAsync(IdempotencyClaim claim, IdempotencyResult result, CancellationToken cancellationToken = default)
        {
            SingleCalls++;
            return _inner.CompleteAsync(claim, result, cancellationToken);
        }

        public Task FailAsync(IdempotencyClaim claim, string reason, CancellationToken cancellationToken = default) => _inner.FailAsync(claim, reason, cancellationToken);

        public Task<IdempotencyRecord?> GetAsync(IdempotencyKey key, CancellationToken cancellationToken = default)
        {
            SingleCalls++;
            return _inner.GetAsync(key, cancellationToken);
        }

        public async Task<IReadOnlyList<IdempotencyClaim>> TryClaimManyAsync(IReadOnlyList<IdempotencyClaimRequest> requests, TimeSpan lease, CancellationToken cancellationToken = default)
        {
            ClaimManyCalls++;
            var claims = new List<IdempotencyClaim>();
            foreach (var request in requests)
            {
                claims.Add(await _inner.TryClaimAsync(request.Key, request.Fingerprint, lease, cancellationToken));
            }

            return claims;
        }

        public async Task CompleteManyAsync(IReadOnlyList<IdempotencyCompletion> completions, CancellationToken cancellationToken = default)
        {
            CompleteManyCalls++;
            foreach (var completion in completions)
            {
                await _inner.CompleteAsync(completion.Claim, completion.Result, cancellationToken);
            }
        }

        public async Task<IReadOnlyDictionary<IdempotencyKey, IdempotencyRecord>> GetManyAsync(IReadOnlyCollection<IdempotencyKey> keys, CancellationToken cancellationToken = default)
        {
            GetManyCalls++;
            var found = new Dictionary<IdempotencyKey, IdempotencyRecord>();
            foreach (var key in keys)
            {
                if (await _inner.GetAsync(key, cancellationToken) is { } record)
                {
                    found[key] = record;
                }
            }

            return found;
        }
    }
}
