using Concord.Storage.PostgreSql.Infrastructure;
using Concord.Sync.Storage;
using Npgsql;

namespace Concord.Storage.PostgreSql.Writes;

/// <summary>
/// <see cref="IWriteLedger"/> on the shared PostgreSQL schema, with the rules of <see cref="WriteLedgerTransitions"/>. Each
/// call handles a whole page in one transaction: advisory locks on every link (and match key) it decides about, one read of
/// the rows, the rules applied in request order, and one batch of writes, so leases and key locks are atomic across
/// threads, processes and machines. <see cref="State.PostgreSqlStateCommitter"/> settles leases inside the commit of the
/// page's links, events and audit entries.
/// </summary>
internal sealed class PostgreSqlWriteLedger(PostgreSqlDatabase database, TimeProvider timeProvider) : IWriteLedger
{
    public Task<IReadOnlyList<WriteLease>> AcquireAsync(IReadOnlyList<WriteLeaseRequest> requests, TimeSpan lease, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(requests);
        if (requests.Count == 0)
        {
            return Task.FromResult<IReadOnlyList<WriteLease>>([]);
        }

        foreach (var request in requests)
        {
            ArgumentNullException.ThrowIfNull(request);
        }

        return database.WriteAsync<IReadOnlyList<WriteLease>>(
            "writes.acquire",
            async (connection, transaction, ct) =>
            {
                var links = requests.Select(r => (r.CanonicalId, r.Target)).ToArray();
                var keys = requests.SelectMany(r => r.MatchKeys.Select(k => (r.Target, k))).ToArray();
                await PostgreSqlDatabase.LockAsync(
                    connection,
                    transaction,
                    links.Select(l => PostgreSqlWriteLedgerRows.LinkLock(l.CanonicalId, l.Target)).Concat(keys.Select(k => PostgreSqlWriteLedgerRows.KeyLock(k.Target, k.k))),
                    ct).ConfigureAwait(false);
                var rows = new PostgreSqlWriteLedgerRows(database, connection, transaction);
                var entries = await rows.ReadAsync(links, ct).ConfigureAwait(false);
                var locks = await rows.ReadLocksAsync(keys, ct).ConfigureAwait(false);
                var now = timeProvider.GetUtcNow();
                var answers = new List<WriteLease>(requests.Count);
                foreach (var request in requests)
                {
                    var held = request.MatchKeys.Select(k => locks.GetValueOrDefault((request.Target, k))).OfType<MatchKeyLock>().ToList();
                    var decision = WriteLedgerTransitions.Acquire(entries.GetValueOrDefault((request.CanonicalId, request.Target)), held, request, lease, now);
                    if (decision.LocksToDelete is { } stale)
                    {
                        foreach (var key in locks.Where(l => l.Value.LeaseToken == stale).Select(l => l.Key).ToList())
                        {
                            locks.Remove(key);
                        }

                        rows.DeleteLocks(stale);
                    }

                    foreach (var written in decision.LocksToWrite)
                    {
                        locks[(written.Target, written.Key)] = written;
                        rows.WriteLock(written);
                    }

                    if (decision.EntryToWrite is { } entry)
                    {
                        entries[(entry.CanonicalId, entry.Target)] = entry;
                        rows.Write(entry);
                    }

                    answers.Add(decision.Lease);
                }

                await rows.FlushAsync(ct).ConfigureAwait(false);
                return answers;
            },
            cancellationToken);
    }

    public Task<IReadOnlyList<bool>> RenewAsync(IReadOnlyList<WriteLeaseRenewal> renewals, TimeSpan lease, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(renewals);
        if (renewals.Count == 0)
        {
            return Task.FromResult<IReadOnlyList<bool>>([]);
        }

        foreach (var renewal in renewals)
        {
            ArgumentNullException.ThrowIfNull(renewal);
        }

        return database.WriteAsync<IReadOnlyList<bool>>(
            "writes.renew",
            async (connection, transaction, ct) =>
            {
                // The links and the keys the holders locked, in one call (the order Acquire takes them in, so no deadlock).
                var links = renewals.Select(r => (r.CanonicalId, r.Target)).Distinct().ToArray();
                await PostgreSqlDatabase.LockAsync(
                    connection,
                    transaction,
                    links.Select(l => PostgreSqlWriteLedgerRows.LinkLock(l.CanonicalId, l.Target))
                        .Concat(renewals.SelectMany(r => r.MatchKeys.Select(k => PostgreSqlWriteLedgerRows.KeyLock(r.Target, k)))),
                    ct).ConfigureAwait(false);
                var rows = new PostgreSqlWriteLedgerRows(database, connection, transaction);
                var entries = await rows.ReadAsync(links, ct).ConfigureAwait(false);
                var locks = await rows.ReadLocksAsync(entries.Values.SelectMany(e => e.LockedKeys.Select(k => (e.Target, k))), ct).ConfigureAwait(false);
                var now = timeProvider.GetUtcNow();
                var renewed = new List<bool>(renewals.Count);
                foreach (var renewal in renewals)
                {
                    var current = entries.GetValueOrDefault((renewal.CanonicalId, renewal.Target));
                    var held = current is null ? [] : current.LockedKeys.Select(k => locks.GetValueOrDefault((current.Target, k))).OfType<MatchKeyLock>().ToList();
                    var decision = WriteLedgerTransitions.Renew(current, held, renewal, lease, now);
                    if (decision is not null)
                    {
                        foreach (var written in decision.LocksToWrite)
                        {
                            locks[(written.Target, written.Key)] = written;
                            rows.WriteLock(written);
                        }

                        entries[(renewal.CanonicalId, renewal.Target)] = decision.EntryToWrite!;
                        rows.Write(decision.EntryToWrite!);
                    }

                    renewed.Add(decision is not null);
                }

                await rows.FlushAsync(ct).ConfigureAwait(false);
                return renewed;
            },
            cancellationToken);
    }

    public Task<IReadOnlyList<bool>> RecordIntentsAsync(IReadOnlyList<WriteIntent> intents, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(intents);
        if (intents.Count == 0)
        {
            return Task.FromResult<IReadOnlyList<bool>>([]);
        }

        foreach (var intent in intents)
        {
            ArgumentNullException.ThrowIfNull(intent);
        }

        return database.WriteAsync<IReadOnlyList<bool>>(
            "writes.intent",
            async (connection, transaction, ct) =>
            {
                var (rows, entries) = await LockAndReadAsync(connection, transaction, intents.Select(i => (i.CanonicalId, i.Target)), ct).ConfigureAwait(false);
                var recorded = new List<bool>(intents.Count);
                foreach (var intent in intents)
                {
                    var next = WriteLedgerTransitions.RecordIntent(entries.GetValueOrDefault((intent.CanonicalId, intent.Target)), intent);
                    if (next is not null)
                    {
                        entries[(next.CanonicalId, next.Target)] = next;
                        rows.Write(next);
                    }

                    recorded.Add(next is not null);
                }

                await rows.FlushAsync(ct).ConfigureAwait(false);
                return recorded;
            },
            cancellationToken);
    }

    public Task RecordResultsAsync(IReadOnlyList<WriteResult> results, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(results);
        if (results.Count == 0)
        {
            return Task.CompletedTask;
        }

        foreach (var result in results)
        {
            ArgumentNullException.ThrowIfNull(result);
        }

        return database.WriteAsync(
            "writes.result",
            async (connection, transaction, ct) =>
            {
                var (rows, entries) = await LockAndReadAsync(connection, transaction, results.Select(r => (r.CanonicalId, r.Target)), ct).ConfigureAwait(false);
                var now = timeProvider.GetUtcNow();
                foreach (var result in results)
                {
                    if (WriteLedgerTransitions.RecordResult(entries.GetValueOrDefault((result.CanonicalId, result.Target)), result, now) is { } next)
                    {
                        entries[(next.CanonicalId, next.Target)] = next;
                        rows.Write(next);
                    }
                }

                await rows.FlushAsync(ct).ConfigureAwait(false);
                return true;
            },
            cancellationToken);
    }

    public Task SettleAsync(IReadOnlyList<WriteSettlement> settlements, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(settlements);
        if (settlements.Count == 0)
        {
            return Task.CompletedTask;
        }

        return database.WriteAsync(
            "writes.settle",
            async (connection, transaction, ct) =>
            {
                await SettleAsync(database, connection, transaction, settlements, timeProvider.GetUtcNow(), ct).ConfigureAwait(false);
                return true;
            },
            cancellationToken);
    }

    public Task<IReadOnlySet<string>> FindPendingAsync(string target, IReadOnlyList<string> canonicalIds, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(target);
        ArgumentNullException.ThrowIfNull(canonicalIds);
        if (canonicalIds.Count == 0)
        {
            return Task.FromResult<IReadOnlySet<string>>(new HashSet<string>(StringComparer.Ordinal));
        }

        return database.ReadAsync(
            "writes.pending",
            (connection, ct) => new PostgreSqlWriteLedgerRows(database, connection, null).FindPendingAsync(target, canonicalIds, ct),
            cancellationToken);
    }

    public async Task<WriteLedgerEntry?> GetAsync(string canonicalId, string target, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(canonicalId);
        ArgumentException.ThrowIfNullOrEmpty(target);
        var found = await database.ReadAsync(
            "writes.get",
            (connection, ct) => new PostgreSqlWriteLedgerRows(database, connection, null).ReadAsync([(canonicalId, target)], ct),
            cancellationToken).ConfigureAwait(false);
        return found.GetValueOrDefault((canonicalId, target));
    }

    /// <summary>Settles leases inside <paramref name="transaction"/> (the state commit's, or this store's own).</summary>
    internal static async Task SettleAsync(PostgreSqlDatabase database, NpgsqlConnection connection, NpgsqlTransaction transaction, IReadOnlyList<WriteSettlement> settlements, DateTimeOffset now, CancellationToken cancellationToken)
    {
        foreach (var settlement in settlements)
        {
            ArgumentNullException.ThrowIfNull(settlement);
        }

        var (rows, entries) = await LockAndReadAsync(database, connection, transaction, settlements.Select(s => (s.CanonicalId, s.Target)), cancellationToken).ConfigureAwait(false);
        foreach (var settlement in settlements)
        {
            var current = entries.GetValueOrDefault((settlement.CanonicalId, settlement.Target));
            if (WriteLedgerTransitions.Settle(current, settlement, now) is not { } next)
            {
                continue;
            }

            if (current!.LeaseToken == settlement.LeaseToken && next.LeaseToken is null && !current.LockedKeys.IsDefaultOrEmpty)
            {
                rows.DeleteLocks(settlement.LeaseToken);
            }

            entries[(next.CanonicalId, next.Target)] = next;
            rows.Write(next);
        }

        await rows.FlushAsync(cancellationToken).ConfigureAwait(false);
    }

    private Task<(PostgreSqlWriteLedgerRows Rows, Dictionary<(string CanonicalId, string Target), WriteLedgerEntry> Entries)> LockAndReadAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, IEnumerable<(string CanonicalId, string Target)> links, CancellationToken cancellationToken) =>
        LockAndReadAsync(database, connection, transaction, links, cancellationToken);

    private static async Task<(PostgreSqlWriteLedgerRows Rows, Dictionary<(string CanonicalId, string Target), WriteLedgerEntry> Entries)> LockAndReadAsync(
        PostgreSqlDatabase database, NpgsqlConnection connection, NpgsqlTransaction transaction, IEnumerable<(string CanonicalId, string Target)> links, CancellationToken cancellationToken)
    {
        var distinct = links.Distinct().ToArray();
        await PostgreSqlDatabase.LockAsync(connection, transaction, distinct.Select(l => PostgreSqlWriteLedgerRows.LinkLock(l.CanonicalId, l.Target)), cancellationToken).ConfigureAwait(false);
        var rows = new PostgreSqlWriteLedgerRows(database, connection, transaction);
        return (rows, await rows.ReadAsync(distinct, cancellationToken).ConfigureAwait(false));
    }
}
