using Concord.Canonical.Errors;
using Concord.Canonical.Idempotency;
using Concord.Sync.Idempotency;

namespace Concord.Sync.Engine;

/// <summary>Calls the store's batch methods when it has them (<see cref="IIdempotencyBatchStore"/>), key by key otherwise.</summary>
internal sealed class IdempotencyBatch(IIdempotencyStore store)
{
    private readonly IIdempotencyBatchStore? _batch = store as IIdempotencyBatchStore;

    public IIdempotencyStore Store => store;

    public async Task<IReadOnlyDictionary<IdempotencyKey, IdempotencyRecord>> GetManyAsync(IReadOnlyCollection<IdempotencyKey> keys, CancellationToken cancellationToken)
    {
        if (keys.Count == 0)
        {
            return new Dictionary<IdempotencyKey, IdempotencyRecord>();
        }

        if (_batch is not null)
        {
            return await _batch.GetManyAsync(keys, cancellationToken).ConfigureAwait(false);
        }

        var found = new Dictionary<IdempotencyKey, IdempotencyRecord>(keys.Count);
        foreach (var key in keys)
        {
            if (await store.GetAsync(key, cancellationToken).ConfigureAwait(false) is { } record)
            {
                found[key] = record;
            }
        }

        return found;
    }

    public async Task<IReadOnlyList<IdempotencyClaim>> TryClaimManyAsync(IReadOnlyList<IdempotencyClaimRequest> requests, TimeSpan lease, CancellationToken cancellationToken)
    {
        if (requests.Count == 0)
        {
            return [];
        }

        if (_batch is not null)
        {
            return await _batch.TryClaimManyAsync(requests, lease, cancellationToken).ConfigureAwait(false);
        }

        var claims = new List<IdempotencyClaim>(requests.Count);
        foreach (var request in requests)
        {
            claims.Add(await store.TryClaimAsync(request.Key, request.Fingerprint, lease, cancellationToken).ConfigureAwait(false));
        }

        return claims;
    }

    /// <summary>Completes the claims; returns how many were lost (taken over after their lease expired).</summary>
    public async Task<int> CompleteManyAsync(IReadOnlyList<IdempotencyCompletion> completions, CancellationToken cancellationToken)
    {
        if (completions.Count == 0)
        {
            return 0;
        }

        if (_batch is not null)
        {
            try
            {
                await _batch.CompleteManyAsync(completions, cancellationToken).ConfigureAwait(false);
                return 0;
            }
            catch (ConcordException lost) when (lost.Category == ErrorCategory.Conflict)
            {
                return 1;
            }
        }

        var lostCount = 0;
        foreach (var completion in completions)
        {
            try
            {
                await store.CompleteAsync(completion.Claim, completion.Result, cancellationToken).ConfigureAwait(false);
            }
            catch (ConcordException lost) when (lost.Category == ErrorCategory.Conflict)
            {
                lostCount++;
            }
        }

        return lostCount;
    }
}
