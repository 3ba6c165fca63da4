using Concord.Canonical.Errors;
using Concord.Canonical.Idempotency;
using Concord.Storage.Sqlite.Diagnostics;
using Concord.Storage.Sqlite.Infrastructure;
using Concord.Sync.Idempotency;
using Concord.Sync.Storage;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Concord.Storage.Sqlite.Idempotency;

/// <summary>
/// <see cref="IIdempotencyStore"/> on the shared SQLite file, with the rules of <see cref="IdempotencyTransitions"/>.
/// Every change is one <c>BEGIN IMMEDIATE</c> transaction (read the row, apply the rule, upsert the row), so claims are
/// atomic across threads and processes. A claim that would change nothing (completed, or held by a live lease) is
/// answered from a plain read without taking the write lock: any answer read from a consistent snapshot was true at that moment.
/// The batch methods (<see cref="IIdempotencyBatchStore"/>) apply the same rules to a whole page in one transaction.
/// </summary>
internal sealed class SqliteIdempotencyStore(SqliteDatabase database, TimeProvider timeProvider, ILogger<SqliteIdempotencyStore>? logger = null) : IIdempotencyStore, IIdempotencyBatchStore
{
    private readonly ILogger _logger = (ILogger?)logger ?? NullLogger.Instance;

    public async Task<IdempotencyClaim> TryClaimAsync(IdempotencyKey key, string fingerprint, TimeSpan lease, CancellationToken cancellationToken = default)
    {
        IdempotencyTransitions.ValidateClaimArguments(key, fingerprint, lease);

        var seen = await database.ReadAsync("idempotency.claim", (connection, ct) => ReadOneAsync(connection, key, ct), cancellationToken).ConfigureAwait(false);
        if (seen is not null)
        {
            var readOnly = IdempotencyTransitions.Claim(seen, key, fingerprint, lease, timeProvider.GetUtcNow());
            if (readOnly.RecordToWrite is null)
            {
                return readOnly.Claim;
            }
        }

        var (claim, takenOver) = await database.WriteAsync(
            "idempotency.claim",
            async (connection, transaction, ct) =>
            {
                await using var commands = new SqliteIdempotencyCommands(connection, transaction);
                var current = await commands.ReadAsync(key, ct).ConfigureAwait(false);
                var decision = IdempotencyTransitions.Claim(current, key, fingerprint, lease, timeProvider.GetUtcNow());
                if (decision.RecordToWrite is { } record)
                {
                    await commands.UpsertAsync(record, ct).ConfigureAwait(false);
                }

                var expired = decision.RecordToWrite is not null && current is { State: IdempotencyState.Started } ? current : null;
                return (decision.Claim, expired);
            },
            cancellationToken).ConfigureAwait(false);

        if (takenOver is not null)
        {
            Log.LeaseTakenOver(_logger, key.Value, takenOver.ClaimToken, takenOver.LeaseExpiresAt, takenOver.Attempts + 1);
        }

        return claim;
    }

    public Task CompleteAsync(IdempotencyClaim claim, IdempotencyResult result, CancellationToken cancellationToken = default)
    {
        IdempotencyTransitions.ValidateClaim(claim);
        ArgumentNullException.ThrowIfNull(result);
        return UpdateAsync("idempotency.complete", claim, (current, now) => IdempotencyTransitions.Complete(current, claim, result, now), cancellationToken);
    }

    public Task FailAsync(IdempotencyClaim claim, string reason, CancellationToken cancellationToken = default)
    {
        IdempotencyTransitions.ValidateClaim(claim);
        ArgumentNullException.ThrowIfNull(reason);
        return UpdateAsync("idempotency.fail", claim, (current, now) => IdempotencyTransitions.Fail(current, claim, reason, now), cancellationToken);
    }

    public Task<IdempotencyRecord?> GetAsync(IdempotencyKey key, CancellationToken cancellationToken = default) =>
        key.Value is null
            ? Task.FromResult<IdempotencyRecord?>(null)
            : database.ReadAsync("idempotency.get", (connection, ct) => ReadOneAsync(connection, key, ct), cancellationToken);

    public async Task<IReadOnlyList<IdempotencyClaim>> TryClaimManyAsync(IReadOnlyList<IdempotencyClaimRequest> requests, TimeSpan lease, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(requests);
        foreach (var request in requests)
        {
            IdempotencyTransitions.ValidateClaimArguments(request.Key, request.Fingerprint, lease);
        }

        if (requests.Count == 0)
        {
            return [];
        }

        // One transaction: a Conflict on any key throws out of the delegate, which rolls every claim of the page back.
        var (claims, takenOver) = await database.WriteAsync(
            "idempotency.claim-many",
            async (connection, transaction, ct) =>
            {
                var now = timeProvider.GetUtcNow();
                var decided = new IdempotencyClaim[requests.Count];
                var expired = new List<IdempotencyRecord>();
                await using var commands = new SqliteIdempotencyCommands(connection, transaction);
                for (var i = 0; i < requests.Count; i++)
                {
                    var current = await commands.ReadAsync(requests[i].Key, ct).ConfigureAwait(false);
                    var decision = IdempotencyTransitions.Claim(current, requests[i].Key, requests[i].Fingerprint, lease, now);
                    if (decision.RecordToWrite is { } record)
                    {
                        await commands.UpsertAsync(record, ct).ConfigureAwait(false);
                        if (current is { State: IdempotencyState.Started })
                        {
                            expired.Add(current);
                        }
                    }

                    decided[i] = decision.Claim;
                }

                return (decided, expired);
            },
            cancellationToken).ConfigureAwait(false);

        foreach (var previous in takenOver)
        {
            Log.LeaseTakenOver(_logger, previous.Key.Value, previous.ClaimToken, previous.LeaseExpiresAt, previous.Attempts + 1);
        }

        return claims;
    }

    public async Task CompleteManyAsync(IReadOnlyList<IdempotencyCompletion> completions, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(completions);
        foreach (var completion in completions)
        {
            IdempotencyTransitions.ValidateClaim(completion.Claim);
            ArgumentNullException.ThrowIfNull(completion.Result);
        }

        if (completions.Count == 0)
        {
            return;
        }

        // Lost claims are collected, not thrown inside the transaction, so the others still commit.
        var lost = await database.WriteAsync(
            "idempotency.complete-many",
            async (connection, transaction, ct) =>
            {
                var now = timeProvider.GetUtcNow();
                var conflicts = new List<ConcordException>();
                await using var commands = new SqliteIdempotencyCommands(connection, transaction);
                foreach (var completion in completions)
                {
                    var current = await commands.ReadAsync(completion.Claim.Key, ct).ConfigureAwait(false);
                    try
                    {
                        if (IdempotencyTransitions.Complete(current, completion.Claim, completion.Result, now) is { } next)
                        {
                            await commands.UpsertAsync(next, ct).ConfigureAwait(false);
                        }
                    }
                    catch (ConcordException conflict) when (conflict.Category == ErrorCategory.Conflict)
                    {
                        conflicts.Add(conflict);
                    }
                }

                return conflicts;
            },
            cancellationToken).ConfigureAwait(false);

        if (lost.Count > 0)
        {
            throw new ConcordException(
                ErrorCategory.Conflict,
                $"{lost.Count} of {completions.Count} idempotency claims were lost before completion (their leases expired and were taken over); the others were completed. First: {lost[0].Message}",
                lost[0])
            {
                System = SqliteErrors.System,
                Operation = "idempotency.complete-many",
            };
        }
    }

    public Task<IReadOnlyDictionary<IdempotencyKey, IdempotencyRecord>> GetManyAsync(IReadOnlyCollection<IdempotencyKey> keys, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(keys);
        return database.ReadAsync<IReadOnlyDictionary<IdempotencyKey, IdempotencyRecord>>(
            "idempotency.get-many",
            async (connection, ct) =>
            {
                var found = new Dictionary<IdempotencyKey, IdempotencyRecord>(keys.Count);
                await using var commands = new SqliteIdempotencyCommands(connection, null);
                foreach (var key in keys)
                {
                    if (key.Value is not null && await commands.ReadAsync(key, ct).ConfigureAwait(false) is { } record)
                    {
                        found[key] = record;
                    }
                }

                return found;
            },
            cancellationToken);
    }

    private Task UpdateAsync(string operation, IdempotencyClaim claim, Func<IdempotencyRecord?, DateTimeOffset, IdempotencyRecord?> transition, CancellationToken cancellationToken) =>
        database.WriteAsync(
            operation,
            async (connection, transaction, ct) =>
            {
                await using var commands = new SqliteIdempotencyCommands(connection, transaction);
                var current = await commands.ReadAsync(claim.Key, ct).ConfigureAwait(false);
                if (transition(current, timeProvider.GetUtcNow()) is { } next)
                {
                    await commands.UpsertAsync(next, ct).ConfigureAwait(false);
                }

                return true;
            },
            cancellationToken);

    private static async Task<IdempotencyRecord?> ReadOneAsync(SqliteConnection connection, IdempotencyKey key, CancellationToken cancellationToken)
    {
        await using var commands = new SqliteIdempotencyCommands(connection, null);
        return await commands.ReadAsync(key, cancellationToken).ConfigureAwait(false);
    }
}
