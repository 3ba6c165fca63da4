using Concord.Canonical.Errors;
using Concord.Canonical.Idempotency;
using Concord.Storage.PostgreSql.Diagnostics;
using Concord.Storage.PostgreSql.Infrastructure;
using Concord.Sync.Idempotency;
using Concord.Sync.Storage;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Concord.Storage.PostgreSql.Idempotency;

/// <summary>
/// <see cref="IIdempotencyStore"/> on the shared PostgreSQL schema, with the rules of <see cref="IdempotencyTransitions"/>.
/// Every change is one transaction that takes an advisory lock on each key it decides about, reads the rows, applies the
/// rule and upserts them, so claims are atomic across threads, processes and machines. A claim that would change nothing
/// (completed, or held by a live lease) is answered from a plain read without a lock. The batch methods
/// (<see cref="IIdempotencyBatchStore"/>) do a whole page in one transaction of three statements.
/// </summary>
internal sealed class PostgreSqlIdempotencyStore(PostgreSqlDatabase database, TimeProvider timeProvider, ILogger<PostgreSqlIdempotencyStore>? logger = null) : IIdempotencyStore, IIdempotencyBatchStore
{
    private readonly ILogger _logger = (ILogger?)logger ?? NullLogger.Instance;

    public async Task<IdempotencyClaim> TryClaimAsync(IdempotencyKey key, string fingerprint, TimeSpan lease, CancellationToken cancellationToken = default)
    {
        IdempotencyTransitions.ValidateClaimArguments(key, fingerprint, lease);

        var seen = await GetAsync(key, cancellationToken).ConfigureAwait(false);
        if (seen is not null && IdempotencyTransitions.Claim(seen, key, fingerprint, lease, timeProvider.GetUtcNow()) is { RecordToWrite: null } readOnly)
        {
            return readOnly.Claim;
        }

        var claims = await TryClaimManyAsync([new IdempotencyClaimRequest(key, fingerprint)], lease, cancellationToken).ConfigureAwait(false);
        return claims[0];
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

    public async Task<IdempotencyRecord?> GetAsync(IdempotencyKey key, CancellationToken cancellationToken = default)
    {
        if (key.Value is null)
        {
            return null;
        }

        var found = await database.ReadAsync("idempotency.get", (connection, ct) => PostgreSqlIdempotencyRows.ReadAsync(database, connection, null, [key.Value], ct), cancellationToken).ConfigureAwait(false);
        return found.GetValueOrDefault(key.Value);
    }

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
                var keys = requests.Select(r => r.Key.Value).ToArray();
                await PostgreSqlDatabase.LockAsync(connection, transaction, keys.Select(PostgreSqlIdempotencyRows.LockName), ct).ConfigureAwait(false);
                var rows = await PostgreSqlIdempotencyRows.ReadAsync(database, connection, transaction, keys, ct).ConfigureAwait(false);
                var now = timeProvider.GetUtcNow();
                var decided = new IdempotencyClaim[requests.Count];
                var expired = new List<IdempotencyRecord>();
                var changed = new Dictionary<string, IdempotencyRecord>(StringComparer.Ordinal);
                for (var i = 0; i < requests.Count; i++)
                {
                    var current = rows.GetValueOrDefault(requests[i].Key.Value);
                    var decision = IdempotencyTransitions.Claim(current, requests[i].Key, requests[i].Fingerprint, lease, now);
                    if (decision.RecordToWrite is { } record)
                    {
                        rows[record.Key.Value] = record;
                        changed[record.Key.Value] = record;
                        if (current is { State: IdempotencyState.Started })
                        {
                            expired.Add(current);
                        }
                    }

                    decided[i] = decision.Claim;
                }

                await PostgreSqlIdempotencyRows.UpsertAsync(database, connection, transaction, changed.Values, ct).ConfigureAwait(false);
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
                var keys = completions.Select(c => c.Claim.Key.Value).ToArray();
                await PostgreSqlDatabase.LockAsync(connection, transaction, keys.Select(PostgreSqlIdempotencyRows.LockName), ct).ConfigureAwait(false);
                var rows = await PostgreSqlIdempotencyRows.ReadAsync(database, connection, transaction, keys, ct).ConfigureAwait(false);
                var now = timeProvider.GetUtcNow();
                var conflicts = new List<ConcordException>();
                var changed = new Dictionary<string, IdempotencyRecord>(StringComparer.Ordinal);
                foreach (var completion in completions)
                {
                    try
                    {
                        if (IdempotencyTransitions.Complete(rows.GetValueOrDefault(completion.Claim.Key.Value), completion.Claim, completion.Result, now) is { } next)
                        {
                            rows[next.Key.Value] = next;
                            changed[next.Key.Value] = next;
                        }
                    }
                    catch (ConcordException conflict) when (conflict.Category == ErrorCategory.Conflict)
                    {
                        conflicts.Add(conflict);
                    }
                }

                await PostgreSqlIdempotencyRows.UpsertAsync(database, connection, transaction, changed.Values, ct).ConfigureAwait(false);
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
                System = PostgreSqlErrors.System,
                Operation = "idempotency.complete-many",
            };
        }
    }

    public async Task<IReadOnlyDictionary<IdempotencyKey, IdempotencyRecord>> GetManyAsync(IReadOnlyCollection<IdempotencyKey> keys, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(keys);
        var rows = await database.ReadAsync(
            "idempotency.get-many",
            (connection, ct) => PostgreSqlIdempotencyRows.ReadAsync(database, connection, null, keys.Where(k => k.Value is not null).Select(k => k.Value), ct),
            cancellationToken).ConfigureAwait(false);
        var found = new Dictionary<IdempotencyKey, IdempotencyRecord>(rows.Count);
        foreach (var key in keys)
        {
            if (key.Value is not null && rows.TryGetValue(key.Value, out var record))
            {
                found[key] = record;
            }
        }

        return found;
    }

    private Task UpdateAsync(string operation, IdempotencyClaim claim, Func<IdempotencyRecord?, DateTimeOffset, IdempotencyRecord?> transition, CancellationToken cancellationToken) =>
        database.WriteAsync(
            operation,
            async (connection, transaction, ct) =>
            {
                await PostgreSqlDatabase.LockAsync(connection, transaction, [PostgreSqlIdempotencyRows.LockName(claim.Key.Value)], ct).ConfigureAwait(false);
                var rows = await PostgreSqlIdempotencyRows.ReadAsync(database, connection, transaction, [claim.Key.Value], ct).ConfigureAwait(false);
                if (transition(rows.GetValueOrDefault(claim.Key.Value), timeProvider.GetUtcNow()) is { } next)
                {
                    await PostgreSqlIdempotencyRows.UpsertAsync(database, connection, transaction, [next], ct).ConfigureAwait(false);
                }

                return true;
            },
            cancellationToken);
}
