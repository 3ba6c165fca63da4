using Concord.Canonical.Errors;
using Concord.Canonical.Idempotency;

namespace Concord.Sync.Idempotency;

/// <summary>
/// An optional capability of an <see cref="IIdempotencyStore"/>: claim, complete and read many keys in one round trip,
/// so that the engine spends one store transaction per page instead of one per record. A store that does not implement it
/// is called key by key, with the same results.
/// </summary>
public interface IIdempotencyBatchStore
{
    /// <summary>Claims every key as <see cref="IIdempotencyStore.TryClaimAsync"/> would, in one transaction.</summary>
    /// <param name="requests">The keys and the fingerprints of their writes.</param>
    /// <param name="lease">How long each acquired claim holds.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>One claim per request, in request order.</returns>
    /// <exception cref="ConcordException">Category <see cref="ErrorCategory.Conflict"/>: a key was claimed before with another fingerprint; nothing was claimed.</exception>
    Task<IReadOnlyList<IdempotencyClaim>> TryClaimManyAsync(IReadOnlyList<IdempotencyClaimRequest> requests, TimeSpan lease, CancellationToken cancellationToken = default);

    /// <summary>Completes every claim still held, as <see cref="IIdempotencyStore.CompleteAsync"/> would, in one transaction.</summary>
    /// <param name="completions">The claims and their results.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>A task.</returns>
    /// <exception cref="ConcordException">Category <see cref="ErrorCategory.Conflict"/>: some claims were lost (lease expired and taken over); the others were completed.</exception>
    Task CompleteManyAsync(IReadOnlyList<IdempotencyCompletion> completions, CancellationToken cancellationToken = default);

    /// <summary>Reads what the store holds for each key.</summary>
    /// <param name="keys">The keys.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The record of every key the store holds; unknown keys are absent.</returns>
    Task<IReadOnlyDictionary<IdempotencyKey, IdempotencyRecord>> GetManyAsync(IReadOnlyCollection<IdempotencyKey> keys, CancellationToken cancellationToken = default);
}

/// <summary>One key to claim, with the fingerprint of its write.</summary>
/// <param name="Key">The key.</param>
/// <param name="Fingerprint">The content fingerprint of the write.</param>
public sealed record IdempotencyClaimRequest(IdempotencyKey Key, string Fingerprint);

/// <summary>An acquired claim and the result to complete it with.</summary>
/// <param name="Claim">The acquired claim.</param>
/// <param name="Result">The result later claims receive.</param>
public sealed record IdempotencyCompletion(IdempotencyClaim Claim, IdempotencyResult Result);
