using System.Collections.Concurrent;
using Concord.Canonical.Idempotency;
using Concord.Sync.Storage;

namespace Concord.Sync.Idempotency;

/// <summary>
/// An <see cref="IIdempotencyStore"/> in process memory: the default <c>AddSync</c> registers, and the store to use in
/// tests. Safe for concurrent callers (each key has its own lock); lost when the process ends and never shrinks, so
/// production hosts replace it with a durable store such as <c>UseSqlite</c>.
/// </summary>
public sealed class InMemoryIdempotencyStore : IIdempotencyStore
{
    private readonly ConcurrentDictionary<string, Slot> _slots = new(StringComparer.Ordinal);
    private readonly TimeProvider _timeProvider;

    /// <summary>Creates a store whose leases run on the system clock.</summary>
    public InMemoryIdempotencyStore()
        : this(TimeProvider.System)
    {
    }

    /// <summary>Creates a store whose leases run on <paramref name="timeProvider"/>.</summary>
    /// <param name="timeProvider">The clock leases are measured with.</param>
    public InMemoryIdempotencyStore(TimeProvider timeProvider)
    {
        ArgumentNullException.ThrowIfNull(timeProvider);
        _timeProvider = timeProvider;
    }

    /// <inheritdoc />
    public Task<IdempotencyClaim> TryClaimAsync(IdempotencyKey key, string fingerprint, TimeSpan lease, CancellationToken cancellationToken = default)
    {
        IdempotencyTransitions.ValidateClaimArguments(key, fingerprint, lease);
        cancellationToken.ThrowIfCancellationRequested();

        var slot = _slots.GetOrAdd(key.Value, static _ => new Slot());
        lock (slot.Gate)
        {
            var decision = IdempotencyTransitions.Claim(slot.Record, key, fingerprint, lease, _timeProvider.GetUtcNow());
            if (decision.RecordToWrite is not null)
            {
                slot.Record = decision.RecordToWrite;
            }

            return Task.FromResult(decision.Claim);
        }
    }

    /// <inheritdoc />
    public Task CompleteAsync(IdempotencyClaim claim, IdempotencyResult result, CancellationToken cancellationToken = default)
    {
        IdempotencyTransitions.ValidateClaim(claim);
        ArgumentNullException.ThrowIfNull(result);
        cancellationToken.ThrowIfCancellationRequested();

        Update(claim, (current, now) => IdempotencyTransitions.Complete(current, claim, result, now));
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public Task FailAsync(IdempotencyClaim claim, string reason, CancellationToken cancellationToken = default)
    {
        IdempotencyTransitions.ValidateClaim(claim);
        ArgumentNullException.ThrowIfNull(reason);
        cancellationToken.ThrowIfCancellationRequested();

        Update(claim, (current, now) => IdempotencyTransitions.Fail(current, claim, reason, now));
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public Task<IdempotencyRecord?> GetAsync(IdempotencyKey key, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        if (key.Value is null || !_slots.TryGetValue(key.Value, out var slot))
        {
            return Task.FromResult<IdempotencyRecord?>(null);
        }

        lock (slot.Gate)
        {
            return Task.FromResult(slot.Record);
        }
    }

    private void Update(IdempotencyClaim claim, Func<IdempotencyRecord?, DateTimeOffset, IdempotencyRecord?> transition)
    {
        _slots.TryGetValue(claim.Key.Value, out var slot);
        if (slot is null)
        {
            // Let the rule produce its "no claim" conflict without creating an empty slot.
            _ = transition(null, _timeProvider.GetUtcNow());
            return;
        }

        lock (slot.Gate)
        {
            var next = transition(slot.Record, _timeProvider.GetUtcNow());
            if (next is not null)
            {
                slot.Record = next;
            }
        }
    }

    private sealed class Slot
    {
        public Lock Gate { get; } = new();

        public IdempotencyRecord? Record { get; set; }
    }
}
