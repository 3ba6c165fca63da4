using Concord.Canonical.Connectors;
using Concord.Canonical.Errors;
using Concord.Canonical.Idempotency;
using Concord.Storage.Sqlite.Infrastructure;
using Concord.Sync.Idempotency;
using Microsoft.Data.Sqlite;

namespace Concord.Storage.Sqlite.Idempotency;

/// <summary>
/// The read and upsert statements of <c>concord_idempotency</c>, prepared once for a connection (and transaction) and
/// run once per key with new parameter values: a page of claims costs one statement compilation each, not one per key.
/// </summary>
internal sealed class SqliteIdempotencyCommands : IAsyncDisposable
{
    private const string Columns = "key, fingerprint, state, claim_token, lease_expires_at, attempts, external_id, outcome, result_payload, failure_reason, updated_at";

    private readonly SqliteConnection _connection;
    private readonly SqliteTransaction? _transaction;
    private readonly SqliteCommand _read;
    private readonly SqliteParameter _readKey;
    private SqliteCommand? _upsert;

    public SqliteIdempotencyCommands(SqliteConnection connection, SqliteTransaction? transaction)
    {
        _connection = connection;
        _transaction = transaction;
        _read = connection.CreateCommand();
        _read.Transaction = transaction;
        _read.CommandText = $"SELECT {Columns} FROM {SqliteIdempotencySchema.Table} WHERE key = $key;";
        _readKey = _read.Parameters.Add("$key", SqliteType.Text);
    }

    /// <summary>The stored record of <paramref name="key"/>, or null.</summary>
    public async Task<IdempotencyRecord?> ReadAsync(IdempotencyKey key, CancellationToken cancellationToken)
    {
        _readKey.Value = key.Value;
        await using var reader = await _read.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        if (!await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            return null;
        }

        return new IdempotencyRecord
        {
            Key = key,
            Fingerprint = reader.GetString(1),
            State = ParseState(reader.GetString(2)),
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

    /// <summary>Inserts <paramref name="record"/>, or replaces the stored row of its key (keeping its creation time).</summary>
    public async Task UpsertAsync(IdempotencyRecord record, CancellationToken cancellationToken)
    {
        var command = _upsert ??= CreateUpsert();
        var parameters = command.Parameters;
        parameters["$key"].Value = record.Key.Value;
        parameters["$fingerprint"].Value = record.Fingerprint;
        parameters["$state"].Value = StateName(record.State);
        parameters["$token"].Value = SqliteValues.ToText(record.ClaimToken);
        parameters["$leaseExpiresAt"].Value = SqliteValues.ToText(record.LeaseExpiresAt);
        parameters["$attempts"].Value = record.Attempts;
        parameters["$externalId"].Value = SqliteValues.OrDbNull(record.Result?.ExternalId);
        parameters["$outcome"].Value = SqliteValues.OrDbNull(record.Result is null ? null : OutcomeName(record.Result.Outcome));
        parameters["$payload"].Value = SqliteValues.OrDbNull(record.Result?.Payload);
        parameters["$failureReason"].Value = SqliteValues.OrDbNull(record.FailureReason);
        parameters["$updatedAt"].Value = SqliteValues.ToText(record.UpdatedAt);
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    public async ValueTask DisposeAsync()
    {
        await _read.DisposeAsync().ConfigureAwait(false);
        if (_upsert is not null)
        {
            await _upsert.DisposeAsync().ConfigureAwait(false);
        }
    }

    private SqliteCommand CreateUpsert()
    {
        var command = _connection.CreateCommand();
        command.Transaction = _transaction;
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
        command.Parameters.Add("$key", SqliteType.Text);
        command.Parameters.Add("$fingerprint", SqliteType.Text);
        command.Parameters.Add("$state", SqliteType.Text);
        command.Parameters.Add("$token", SqliteType.Text);
        command.Parameters.Add("$leaseExpiresAt", SqliteType.Text);
        command.Parameters.Add("$attempts", SqliteType.Integer);
        command.Parameters.Add("$externalId", SqliteType.Text);
        command.Parameters.Add("$outcome", SqliteType.Text);
        command.Parameters.Add("$payload", SqliteType.Text);
        command.Parameters.Add("$failureReason", SqliteType.Text);
        command.Parameters.Add("$updatedAt", SqliteType.Text);
        return command;
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
