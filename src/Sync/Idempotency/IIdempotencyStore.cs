using Concord.Canonical.Errors;
using Concord.Canonical.Idempotency;

namespace Concord.Sync.Idempotency;

/// <summary>
/// Records each logical write as started, completed (with its result) or failed, so that a retried or replayed
/// write returns the stored result instead of writing twice. Implementations are safe for concurrent callers
/// (and, for durable stores, for several processes on the same state).
/// </summary>
public interface IIdempotencyStore
{
    /// <summary>
    /// Claims <paramref name="key"/> for a write of content <paramref name="fingerprint"/> with a lease of <paramref name="lease"/>.
    /// A key never seen, failed, or whose holder's lease expired is acquired; a completed key returns its result.
    /// </summary>
    /// <param name="key">The key.</param>
    /// <param name="fingerprint">The content fingerprint of the write.</param>
    /// <param name="lease">How long the claim holds before another worker may take it over.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The claim.</returns>
    /// <exception cref="ConcordException">Category <see cref="ErrorCategory.Conflict"/>: the key was claimed before with another fingerprint.</exception>
    Task<IdempotencyClaim> TryClaimAsync(IdempotencyKey key, string fingerprint, TimeSpan lease, CancellationToken cancellationToken = default);

    /// <summary>Marks the claimed write completed with its result.</summary>
    /// <param name="claim">The acquired claim.</param>
    /// <param name="result">The result to return to later claims.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>A task.</returns>
    /// <exception cref="ConcordException">Category <see cref="ErrorCategory.Conflict"/>: the claim was lost (lease expired and taken over).</exception>
    Task CompleteAsync(IdempotencyClaim claim, IdempotencyResult result, CancellationToken cancellationToken = default);

    /// <summary>Marks the claimed write failed so the key can be claimed again.</summary>
    /// <param name="claim">The acquired claim.</param>
    /// <param name="reason">Why it failed (no personal data).</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>A task.</returns>
    /// <exception cref="ConcordException">Category <see cref="ErrorCategory.Conflict"/>: the claim was lost (lease expired and taken over), or the key is already completed.</exception>
    Task FailAsync(IdempotencyClaim claim, string reason, CancellationToken cancellationToken = default);

    /// <summary>Reads what the store holds for <paramref name="key"/>.</summary>
    /// <param name="key">The key.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The record, or null.</returns>
    Task<IdempotencyRecord?> GetAsync(IdempotencyKey key, CancellationToken cancellationToken = default);
}
