using Concord.Connectors;
using Concord.Idempotency;
using Concord.Storage.Sqlite.Diagnostics;
using Concord.Storage.Sqlite.Infrastructure;
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

    private const string Columns = "key, fingerprint, state, claim_token, lease_expires_at, attempts, external_id, outcome, result_payload, failure_reason, updated_at";

    public async Task<IdempotencyClaim> TryClaimAsync(IdempotencyKey key, string fingerprint, TimeSpan lease, CancellationToken cancellationToken = default)
    {
        IdempotencyTransitions.ValidateClaimArguments(key, fingerprint, lease);

        var seen = await database.ReadAsync("idempotency.claim", (connection, ct) => ReadAsync(connection, null, key, ct), cancellationToken).ConfigureAwait(false);
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
                var current = await ReadAsync(connection, transaction, key, ct).ConfigureAwait(false);
                var decision = IdempotencyTransitions.Claim(current, key, fingerprint, lease, timeProvider.GetUtcNow());
                if (decision.RecordToWrite is { } record)
                {
                    await UpsertAsync(connection, transaction, record, ct).ConfigureAwait(false);
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
            : database.ReadAsync("idempotency.get", (connection, ct) => ReadAsync(connection, null, key, ct), cancellationToken);

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
                for (var i = 0; i < requests.Count; i++)
                {
                    var current = await ReadAsync(connection, transaction, requests[i].Key, ct).ConfigureAwait(false);
                    var decision = IdempotencyTransitions.Claim(current, requests[i].Key, requests[i].Fingerprint, lease, now);
                    if (decision.RecordToWrite is { } record)
                    {
                        await UpsertAsync(connection, transaction, record, ct).ConfigureAwait(false);
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
                foreach (var completion in completions)
                {
                    var current = await ReadAsync(connection, transaction, completion.Claim.Key, ct).ConfigureAwait(false);
                    try
                    {
                        if (IdempotencyTransitions.Complete(current, completion.Claim, completion.Result, now) is { } next)
                        {
                            await UpsertAsync(connection, transaction, next, ct).ConfigureAwait(false);
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
                foreach (var key in keys)
                {
                    if (key.Value is not null && await ReadAsync(connection, null, key, ct).ConfigureAwait(false) is { } record)
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
                var current = await ReadAsync(connection, transaction, claim.Key, ct).ConfigureAwait(false);
                if (transition(current, timeProvider.GetUtcNow()) is { } next)
                {
                    await UpsertAsync(connection, transaction, next, ct).ConfigureAwait(false);
                }

                return true;
            },
            cancellationToken);

    private static async Task<IdempotencyRecord?> ReadAsync(SqliteConnection connection, SqliteTransaction? transaction, IdempotencyKey key, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = $"SELECT {Columns} FROM {SqliteIdempotencySchema.Table} WHERE key = $key;";
        command.Parameters.AddWithValue("$key", key.Value);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        if (!await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            return null;
        }

        var state = ParseState(reader.GetString(2));
        return new IdempotencyRecord
        {
            Key = key,
            Fingerprint = reader.GetString(1),
            State = state,
            ClaimToken = SqliteValues.ToGuid(reader.GetString(3)),
            LeaseExpiresAt = SqliteValues.ToDateTimeOffset(reader.GetString(4)),
            Attempts = reader.GetInt32(5),
            Result = reader.IsDBNull(6)
                ? null
                : new IdempotencyResult(reader.GetString(6), ParseOutcome(reader.GetString(7)), reader.IsDBNull(8) ? null : reader.GetString(8)),
            FailureReason = reader.IsDBNull(9) ? null : reader.GetString(9),
            UpdatedAt = SqliteValues.ToDateTimeOffset(reader.GetString(10)),
        };
    }

    private static async Task UpsertAsync(SqliteConnection connection, SqliteTransaction transaction, IdempotencyRecord record, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = $"""
            INSERT INTO {SqliteIdempotencySchema.Table} ({Columns}, created_at)
            VALUES ($key, $fingerprint, $state, $token, $leaseExpiresAt, $attempts, $externalId, $outcome, $payload, $failureReason, $updatedAt, $updatedAt)
            ON CONFLICT (key) DO UPDATE SET
                fingerprint = excluded.fingerprint,
                state = excluded.state,
                claim_token = excluded.claim_token,
                lease_expires_at = excluded.lease_expires_at,
                attempts = excluded.attempts,
                external_id = excluded.external_id,
                outcome = excluded.outcome,
                result_payload = excluded.result_payload,
                failure_reason = excluded.failure_reason,
                updated_at = excluded.updated_at;
            """;
        command.Parameters.AddWithValue("$key", record.Key.Value);
        command.Parameters.AddWithValue("$fingerprint", record.Fingerprint);
        command.Parameters.AddWithValue("$state", StateName(record.State));
        command.Parameters.AddWithValue("$token", SqliteValues.ToText(record.ClaimToken));
        command.Parameters.AddWithValue("$leaseExpiresAt", SqliteValues.ToText(record.LeaseExpiresAt));
        command.Parameters.AddWithValue("$attempts", record.Attempts);
        command.Parameters.AddWithValue("$externalId", SqliteValues.OrDbNull(record.Result?.ExternalId));
        command.Parameters.AddWithValue("$outcome", SqliteValues.OrDbNull(record.Result is null ? null : OutcomeName(record.Result.Outcome)));
        command.Parameters.AddWithValue("$payload", SqliteValues.OrDbNull(record.Result?.Payload));
        command.Parameters.AddWithValue("$failureReason", SqliteValues.OrDbNull(record.FailureReason));
        command.Parameters.AddWithValue("$updatedAt", SqliteValues.ToText(record.UpdatedAt));
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    // Stored as fixed lower-case words, not enum numbers or C# names, so the table reads well and survives enum reordering.
    private static string StateName(IdempotencyState state) => state switch
    {
        IdempotencyState.Started => "started",
        IdempotencyState.Completed => "completed",
        IdempotencyState.Failed => "failed",
        _ => throw new ArgumentOutOfRangeException(nameof(state), state, "Unknown idempotency state."),
    };

    private static IdempotencyState ParseState(string text) => text switch
    {
        "started" => IdempotencyState.Started,
        "completed" => IdempotencyState.Completed,
        "failed" => IdempotencyState.Failed,
        _ => throw Unreadable("state", text),
    };

    private static string OutcomeName(UpsertOutcome outcome) => outcome switch
    {
        UpsertOutcome.Created => "created",
        UpsertOutcome.Updated => "updated",
        UpsertOutcome.Unchanged => "unchanged",
        UpsertOutcome.Failed => "failed",
        _ => throw new ArgumentOutOfRangeException(nameof(outcome), outcome, "Unknown upsert outcome."),
    };

    private static UpsertOutcome ParseOutcome(string text) => text switch
    {
        "created" => UpsertOutcome.Created,
        "updated" => UpsertOutcome.Updated,
        "unchanged" => UpsertOutcome.Unchanged,
        "failed" => UpsertOutcome.Failed,
        _ => throw Unreadable("outcome", text),
    };

    private static ConcordException Unreadable(string column, string text) =>
        new(ErrorCategory.ContractViolation, $"The SQLite table {SqliteIdempotencySchema.Table} holds '{text}' in column {column}, which this version of Concord does not know.")
        {
            System = SqliteErrors.System,
            Operation = "idempotency.read",
        };
}
