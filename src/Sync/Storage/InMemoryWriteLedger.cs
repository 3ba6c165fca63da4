namespace Concord.Sync.Storage;

/// <summary>
/// An <see cref="IWriteLedger"/> in process memory: what <c>AddSync</c> registers unless a durable store replaces it, and
/// the ledger to use in tests. Safe for concurrent callers (one lock for the whole ledger, so a page's leases are decided
/// together); lost when the process ends.
/// </summary>
public sealed class InMemoryWriteLedger : IWriteLedger
{
    private readonly Lock _gate = new();
    private readonly Dictionary<(string CanonicalId, string Target), WriteLedgerEntry> _entries = [];
    private readonly Dictionary<(string Target, string Key), MatchKeyLock> _locks = [];
    private readonly TimeProvider _timeProvider;

    /// <summary>Creates a ledger whose leases run on the system clock.</summary>
    public InMemoryWriteLedger()
        : this(TimeProvider.System)
    {
    }

    /// <summary>Creates a ledger whose leases run on <paramref name="timeProvider"/>.</summary>
    /// <param name="timeProvider">The clock leases are measured with.</param>
    public InMemoryWriteLedger(TimeProvider timeProvider)
    {
        ArgumentNullException.ThrowIfNull(timeProvider);
        _timeProvider = timeProvider;
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<WriteLease>> AcquireAsync(IReadOnlyList<WriteLeaseRequest> requests, TimeSpan lease, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(requests);
        cancellationToken.ThrowIfCancellationRequested();
        var answers = new List<WriteLease>(requests.Count);
        lock (_gate)
        {
            var now = _timeProvider.GetUtcNow();
            foreach (var request in requests)
            {
                ArgumentNullException.ThrowIfNull(request);
                var current = _entries.GetValueOrDefault((request.CanonicalId, request.Target));
                var locks = request.MatchKeys.Select(k => _locks.GetValueOrDefault((request.Target, k))).OfType<MatchKeyLock>().ToList();
                var decision = WriteLedgerTransitions.Acquire(current, locks, request, lease, now);
                if (decision.LocksToDelete is { } stale && current is not null)
                {
                    RemoveLocks(current.Target, current.LockedKeys, stale);
                }

                foreach (var written in decision.LocksToWrite)
                {
                    _locks[(written.Target, written.Key)] = written;
                }

                if (decision.EntryToWrite is { } entry)
                {
                    _entries[(entry.CanonicalId, entry.Target)] = entry;
                }

                answers.Add(decision.Lease);
            }
        }

        return Task.FromResult<IReadOnlyList<WriteLease>>(answers);
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<bool>> RenewAsync(IReadOnlyList<WriteLeaseRenewal> renewals, TimeSpan lease, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(renewals);
        cancellationToken.ThrowIfCancellationRequested();
        var renewed = new List<bool>(renewals.Count);
        lock (_gate)
        {
            var now = _timeProvider.GetUtcNow();
            foreach (var renewal in renewals)
            {
                ArgumentNullException.ThrowIfNull(renewal);
                var current = _entries.GetValueOrDefault((renewal.CanonicalId, renewal.Target));
                var locks = current is null ? [] : current.LockedKeys.Select(k => _locks.GetValueOrDefault((current.Target, k))).OfType<MatchKeyLock>().ToList();
                var decision = WriteLedgerTransitions.Renew(current, locks, renewal, lease, now);
                if (decision is not null)
                {
                    foreach (var written in decision.LocksToWrite)
                    {
                        _locks[(written.Target, written.Key)] = written;
                    }

                    _entries[(renewal.CanonicalId, renewal.Target)] = decision.EntryToWrite!;
                }

                renewed.Add(decision is not null);
            }
        }

        return Task.FromResult<IReadOnlyList<bool>>(renewed);
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<bool>> RecordIntentsAsync(IReadOnlyList<WriteIntent> intents, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(intents);
        cancellationToken.ThrowIfCancellationRequested();
        var recorded = new List<bool>(intents.Count);
        lock (_gate)
        {
            foreach (var intent in intents)
            {
                var next = WriteLedgerTransitions.RecordIntent(_entries.GetValueOrDefault((intent.CanonicalId, intent.Target)), intent);
                if (next is not null)
                {
                    _entries[(next.CanonicalId, next.Target)] = next;
                }

                recorded.Add(next is not null);
            }
        }

        return Task.FromResult<IReadOnlyList<bool>>(recorded);
    }

    /// <inheritdoc />
    public Task RecordResultsAsync(IReadOnlyList<WriteResult> results, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(results);
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            var now = _timeProvider.GetUtcNow();
            foreach (var result in results)
            {
                if (WriteLedgerTransitions.RecordResult(_entries.GetValueOrDefault((result.CanonicalId, result.Target)), result, now) is { } next)
                {
                    _entries[(next.CanonicalId, next.Target)] = next;
                }
            }
        }

        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public Task SettleAsync(IReadOnlyList<WriteSettlement> settlements, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(settlements);
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            var now = _timeProvider.GetUtcNow();
            foreach (var settlement in settlements)
            {
                var current = _entries.GetValueOrDefault((settlement.CanonicalId, settlement.Target));
                if (WriteLedgerTransitions.Settle(current, settlement, now) is not { } next)
                {
                    continue;
                }

                if (current!.LeaseToken is { } token && next.LeaseToken is null)
                {
                    RemoveLocks(current.Target, current.LockedKeys, token);
                }

                _entries[(next.CanonicalId, next.Target)] = next;
            }
        }

        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public Task<IReadOnlySet<string>> FindPendingAsync(string target, IReadOnlyList<string> canonicalIds, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(target);
        ArgumentNullException.ThrowIfNull(canonicalIds);
        cancellationToken.ThrowIfCancellationRequested();
        var pending = new HashSet<string>(StringComparer.Ordinal);
        lock (_gate)
        {
            foreach (var canonicalId in canonicalIds)
            {
                if (_entries.TryGetValue((canonicalId, target), out var entry) && entry.Pending is not null)
                {
                    pending.Add(canonicalId);
                }
            }
        }

        return Task.FromResult<IReadOnlySet<string>>(pending);
    }

    /// <inheritdoc />
    public Task<WriteLedgerEntry?> GetAsync(string canonicalId, string target, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(canonicalId);
        ArgumentException.ThrowIfNullOrEmpty(target);
        lock (_gate)
        {
            return Task.FromResult(_entries.GetValueOrDefault((canonicalId, target)));
        }
    }

    private void RemoveLocks(string target, IEnumerable<string> keys, Guid token)
    {
        foreach (var key in keys)
        {
            if (_locks.TryGetValue((target, key), out var held) && held.LeaseToken == token)
            {
                _locks.Remove((target, key));
            }
        }
    }
}
