using Concord.Storage.Sqlite.Infrastructure;
using Concord.Sync.Storage;
using Microsoft.Data.Sqlite;

namespace Concord.Storage.Sqlite.Writes;

/// <summary>
/// <see cref="IWriteLedger"/> on the shared SQLite file, with the rules of <see cref="WriteLedgerTransitions"/>. Each call
/// handles a whole page in one <c>BEGIN IMMEDIATE</c> transaction (read the rows, apply the rules, write the rows; intents,
/// results and settlements as single statements that leave the payloads where they are), so leases and key locks are
/// atomic across threads and processes; <see cref="State.SqliteStateCommitter"/> settles leases inside the
/// commit of the page's links, events and audit entries.
/// </summary>
internal sealed class SqliteWriteLedger(SqliteDatabase database, TimeProvider timeProvider) : IWriteLedger
{
    public Task<IReadOnlyList<WriteLease>> AcquireAsync(IReadOnlyList<WriteLeaseRequest> requests, TimeSpan lease, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(requests);
        if (requests.Count == 0)
        {
            return Task.FromResult<IReadOnlyList<WriteLease>>([]);
        }

        return database.WriteAsync<IReadOnlyList<WriteLease>>(
            "writes.acquire",
            async (connection, transaction, ct) =>
            {
                var now = timeProvider.GetUtcNow();
                var answers = new List<WriteLease>(requests.Count);
                await using var commands = new SqliteWriteLedgerCommands(connection, transaction);
                foreach (var request in requests)
                {
                    ArgumentNullException.ThrowIfNull(request);
                    var current = await commands.ReadAsync(request.CanonicalId, request.Target, ct).ConfigureAwait(false);
                    var locks = new List<MatchKeyLock>(request.MatchKeys.Length);
                    foreach (var key in request.MatchKeys)
                    {
                        if (await commands.ReadLockAsync(request.Target, key, ct).ConfigureAwait(false) is { } held)
                        {
                            locks.Add(held);
                        }
                    }

                    var decision = WriteLedgerTransitions.Acquire(current, locks, request, lease, now);
                    if (decision.LocksToDelete is { } stale)
                    {
                        await commands.DeleteLocksAsync(stale, ct).ConfigureAwait(false);
                    }

                    foreach (var written in decision.LocksToWrite)
                    {
                        await commands.WriteLockAsync(written, ct).ConfigureAwait(false);
                    }

                    if (decision.EntryToWrite is { } entry)
                    {
                        await commands.TakeLeaseAsync(entry, ct).ConfigureAwait(false);
                    }

                    answers.Add(decision.Lease);
                }

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

        return database.WriteAsync<IReadOnlyList<bool>>(
            "writes.renew",
            async (connection, transaction, ct) =>
            {
                var now = timeProvider.GetUtcNow();
                var renewed = new List<bool>(renewals.Count);
                await using var commands = new SqliteWriteLedgerCommands(connection, transaction);
                foreach (var renewal in renewals)
                {
                    ArgumentNullException.ThrowIfNull(renewal);
                    var current = await commands.ReadAsync(renewal.CanonicalId, renewal.Target, ct).ConfigureAwait(false);
                    var locks = new List<MatchKeyLock>();
                    foreach (var key in current?.LockedKeys ?? [])
                    {
                        if (await commands.ReadLockAsync(renewal.Target, key, ct).ConfigureAwait(false) is { } held)
                        {
                            locks.Add(held);
                        }
                    }

                    var decision = WriteLedgerTransitions.Renew(current, locks, renewal, lease, now);
                    if (decision is not null)
                    {
                        foreach (var written in decision.LocksToWrite)
                        {
                            await commands.WriteLockAsync(written, ct).ConfigureAwait(false);
                        }

                        await commands.TakeLeaseAsync(decision.EntryToWrite!, ct).ConfigureAwait(false);
                    }

                    renewed.Add(decision is not null);
                }

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

        return database.WriteAsync<IReadOnlyList<bool>>(
            "writes.intent",
            async (connection, transaction, ct) =>
            {
                var recorded = new List<bool>(intents.Count);
                await using var commands = new SqliteWriteLedgerCommands(connection, transaction);
                foreach (var intent in intents)
                {
                    ArgumentNullException.ThrowIfNull(intent);
                    recorded.Add(await commands.RecordIntentAsync(intent, ct).ConfigureAwait(false));
                }

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

        return database.WriteAsync(
            "writes.result",
            async (connection, transaction, ct) =>
            {
                var now = timeProvider.GetUtcNow();
                await using var commands = new SqliteWriteLedgerCommands(connection, transaction);
                foreach (var result in results)
                {
                    ArgumentNullException.ThrowIfNull(result);
                    await commands.RecordResultAsync(result, now, ct).ConfigureAwait(false);
                }

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
                await SettleAsync(connection, transaction, settlements, timeProvider.GetUtcNow(), ct).ConfigureAwait(false);
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

        return database.ReadAsync<IReadOnlySet<string>>(
            "writes.pending",
            async (connection, ct) =>
            {
                await using var commands = new SqliteWriteLedgerCommands(connection, null);
                return await commands.FindPendingAsync(target, canonicalIds, ct).ConfigureAwait(false);
            },
            cancellationToken);
    }

    public Task<WriteLedgerEntry?> GetAsync(string canonicalId, string target, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(canonicalId);
        ArgumentException.ThrowIfNullOrEmpty(target);
        return database.ReadAsync(
            "writes.get",
            async (connection, ct) =>
            {
                await using var commands = new SqliteWriteLedgerCommands(connection, null);
                return await commands.ReadAsync(canonicalId, target, ct).ConfigureAwait(false);
            },
            cancellationToken);
    }

    /// <summary>Settles leases inside <paramref name="transaction"/> (the state commit's, or this store's own).</summary>
    internal static async Task SettleAsync(SqliteConnection connection, SqliteTransaction transaction, IReadOnlyList<WriteSettlement> settlements, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var commands = new SqliteWriteLedgerCommands(connection, transaction);
        foreach (var settlement in settlements)
        {
            ArgumentNullException.ThrowIfNull(settlement);
            await commands.SettleAsync(settlement, now, cancellationToken).ConfigureAwait(false);
        }
    }
}
