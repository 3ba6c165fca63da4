using Concord.Canonical.Connectors;
using Concord.Canonical.Errors;
using Concord.Canonical.Idempotency;
using Concord.Storage.PostgreSql.Infrastructure;
using Concord.Sync.Idempotency;
using Npgsql;
using NpgsqlTypes;

namespace Concord.Storage.PostgreSql.Idempotency;

/// <summary>
/// Reads and writes rows of <c>concord_idempotency</c> a page at a time: one statement reads every key of a page
/// (<c>key = ANY(@keys)</c>), one statement upserts every changed row (<c>unnest</c> of column arrays).
/// </summary>
internal static class PostgreSqlIdempotencyRows
{
    private const string Columns = "key, fingerprint, state, claim_token, lease_expires_at, attempts, external_id, outcome, result_payload, failure_reason, updated_at";

    public static async Task<Dictionary<string, IdempotencyRecord>> ReadAsync(PostgreSqlDatabase database, NpgsqlConnection connection, NpgsqlTransaction? transaction, IEnumerable<string> keys, CancellationToken cancellationToken)
    {
        var distinct = keys.Distinct(StringComparer.Ordinal).ToArray();
        var found = new Dictionary<string, IdempotencyRecord>(distinct.Length, StringComparer.Ordinal);
        if (distinct.Length == 0)
        {
            return found;
        }

        await using var command = new NpgsqlCommand(database.Sql($"SELECT {Columns} FROM {PostgreSqlIdempotencySchema.Table} WHERE key = ANY(@keys);"), connection, transaction);
        command.Parameters.Add(new NpgsqlParameter<string[]>("keys", NpgsqlDbType.Array | NpgsqlDbType.Text) { TypedValue = distinct });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            var key = reader.GetString(0);
            found[key] = new IdempotencyRecord
            {
                Key = IdempotencyKey.From(key),
                Fingerprint = reader.GetString(1),
                State = ParseState(reader.GetString(2)),
                ClaimToken = reader.GetGuid(3),
                LeaseExpiresAt = reader.GetFieldValue<DateTimeOffset>(4),
                Attempts = reader.GetInt32(5),
                Result = reader.IsDBNull(6)
                    ? null
                    : new IdempotencyResult(reader.GetString(6), ParseOutcome(reader.GetString(7)), reader.IsDBNull(8) ? null : reader.GetString(8)),
                FailureReason = reader.IsDBNull(9) ? null : reader.GetString(9),
                UpdatedAt = reader.GetFieldValue<DateTimeOffset>(10),
            };
        }

        return found;
    }

    /// <summary>Inserts or replaces the rows of <paramref name="records"/> (distinct keys), keeping each row's creation time, in one statement.</summary>
    public static async Task UpsertAsync(PostgreSqlDatabase database, NpgsqlConnection connection, NpgsqlTransaction transaction, IReadOnlyCollection<IdempotencyRecord> records, CancellationToken cancellationToken)
    {
        if (records.Count == 0)
        {
            return;
        }

        await using var command = new NpgsqlCommand(database.Sql($"""
            INSERT INTO {PostgreSqlIdempotencySchema.Table} ({Columns}, created_at)
            SELECT k, f, s, t, l, a, e, o, p, r, u, u
            FROM unnest(@k, @f, @s, @t, @l, @a, @e, @o, @p, @r, @u) AS x(k, f, s, t, l, a, e, o, p, r, u)
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
            """), connection, transaction);
        var p = command.Parameters;
        p.Add(Text("k", [.. records.Select(r => r.Key.Value)]));
        p.Add(Text("f", [.. records.Select(r => r.Fingerprint)]));
        p.Add(Text("s", [.. records.Select(r => StateName(r.State))]));
        p.Add(new NpgsqlParameter<Guid[]>("t", NpgsqlDbType.Array | NpgsqlDbType.Uuid) { TypedValue = [.. records.Select(r => r.ClaimToken)] });
        p.Add(PostgreSqlValues.Times("l", [.. records.Select(r => r.LeaseExpiresAt)]));
        p.Add(new NpgsqlParameter<int[]>("a", NpgsqlDbType.Array | NpgsqlDbType.Integer) { TypedValue = [.. records.Select(r => r.Attempts)] });
        p.Add(Text("e", [.. records.Select(r => r.Result?.ExternalId)]));
        p.Add(Text("o", [.. records.Select(r => r.Result is null ? null : OutcomeName(r.Result.Outcome))]));
        p.Add(Text("p", [.. records.Select(r => r.Result?.Payload)]));
        p.Add(Text("r", [.. records.Select(r => r.FailureReason)]));
        p.Add(PostgreSqlValues.Times("u", [.. records.Select(r => r.UpdatedAt)]));
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The advisory lock name of a key (see <see cref="PostgreSqlDatabase.LockAsync"/>).</summary>
    public static string LockName(string key) => "idempotency:" + key;

    private static NpgsqlParameter<string?[]> Text(string name, string?[] values) => new(name, NpgsqlDbType.Array | NpgsqlDbType.Text) { TypedValue = values };

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
        new(ErrorCategory.ContractViolation, $"The PostgreSQL table concord_idempotency holds '{text}' in column {column}, which this version of Concord does not know.")
        {
            System = PostgreSqlErrors.System,
            Operation = "idempotency.read",
        };
}
