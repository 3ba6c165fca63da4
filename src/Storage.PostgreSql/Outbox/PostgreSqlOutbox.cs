using Concord.Storage.PostgreSql.Infrastructure;
using Concord.Sync.Outbox;
using Npgsql;

namespace Concord.Storage.PostgreSql.Outbox;

/// <summary>
/// <see cref="IOutbox"/> on the shared PostgreSQL schema. A claim is one transaction that takes the outbox's claim lock (an
/// advisory lock, so claims of several dispatchers run one after the other and are short), selects the claimable head of
/// every partition and stamps it with a lease token in one statement: two dispatchers never hold the same message, and a
/// partition whose head is leased elsewhere is skipped whole, so order per customer holds. Completing or releasing checks the
/// lease token, so a dispatcher whose lease expired cannot touch messages another took over.
/// </summary>
internal sealed class PostgreSqlOutbox(PostgreSqlDatabase database, TimeProvider timeProvider) : IOutbox
{
    private const string T = PostgreSqlOutboxSchema.Table;
    private const string Columns = "sequence, id, partition_key, type, source, subject, time, correlation_id, data, attempts, trace_parent";

    public Task EnqueueAsync(IReadOnlyList<OutboxMessage> messages, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(messages);
        if (messages.Count == 0)
        {
            return Task.CompletedTask;
        }

        return database.WriteAsync(
            "outbox.enqueue",
            async (connection, transaction, ct) =>
            {
                await EnqueueAsync(database, connection, transaction, messages, timeProvider.GetUtcNow(), ct).ConfigureAwait(false);
                return true;
            },
            cancellationToken);
    }

    public Task<OutboxLease> ClaimAsync(int maxMessages, TimeSpan lease, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxMessages);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(lease, TimeSpan.Zero);
        return database.WriteAsync(
            "outbox.claim",
            async (connection, transaction, ct) =>
            {
                var now = timeProvider.GetUtcNow();
                var token = Guid.NewGuid();
                var expiresAt = now + lease;
                await PostgreSqlDatabase.LockAsync(connection, transaction, ["outbox:claim"], ct).ConfigureAwait(false);
                await using var command = new NpgsqlCommand(database.Sql($"""
                    WITH claimable AS (
                        SELECT o.sequence FROM {T} AS o
                        WHERE o.delivered_at IS NULL
                          AND (o.lease_expires_at IS NULL OR o.lease_expires_at <= @now)
                          AND NOT EXISTS (
                              SELECT 1 FROM {T} AS p
                              WHERE p.partition_key = o.partition_key AND p.sequence < o.sequence
                                AND p.delivered_at IS NULL AND p.lease_expires_at > @now)
                        ORDER BY o.sequence
                        LIMIT @limit)
                    UPDATE {T} AS m SET lease_token = @token, lease_expires_at = @expiresAt
                    FROM claimable WHERE m.sequence = claimable.sequence
                    RETURNING m.{Columns.Replace(", ", ", m.", StringComparison.Ordinal)};
                    """), connection, transaction);
                command.Parameters.Add(PostgreSqlValues.Time("now", now));
                command.Parameters.AddWithValue("limit", maxMessages);
                command.Parameters.AddWithValue("token", token);
                command.Parameters.Add(PostgreSqlValues.Time("expiresAt", expiresAt));
                var claimed = new List<OutboxMessage>();
                await using (var reader = await command.ExecuteReaderAsync(ct).ConfigureAwait(false))
                {
                    while (await reader.ReadAsync(ct).ConfigureAwait(false))
                    {
                        claimed.Add(Read(reader));
                    }
                }

                return new OutboxLease(token, expiresAt, [.. claimed.OrderBy(m => m.Sequence)]);
            },
            cancellationToken);
    }

    public Task CompleteAsync(Guid leaseToken, IReadOnlyCollection<string> messageIds, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(messageIds);
        return UpdateLeasedAsync(
            "outbox.complete",
            $"UPDATE {T} SET delivered_at = @now, lease_token = NULL, lease_expires_at = NULL WHERE id = ANY(@ids) AND lease_token = @token AND delivered_at IS NULL;",
            leaseToken,
            messageIds,
            cancellationToken);
    }

    public Task ReleaseAsync(Guid leaseToken, IReadOnlyCollection<string> messageIds, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(messageIds);
        return UpdateLeasedAsync(
            "outbox.release",
            $"UPDATE {T} SET lease_token = NULL, lease_expires_at = NULL, attempts = attempts + 1 WHERE id = ANY(@ids) AND lease_token = @token AND delivered_at IS NULL AND @now IS NOT NULL;",
            leaseToken,
            messageIds,
            cancellationToken);
    }

    public Task<long> CountPendingAsync(CancellationToken cancellationToken = default) =>
        database.ReadAsync(
            "outbox.count",
            async (connection, ct) =>
            {
                await using var command = new NpgsqlCommand(database.Sql($"SELECT count(*) FROM {T} WHERE delivered_at IS NULL;"), connection);
                return (long)(await command.ExecuteScalarAsync(ct).ConfigureAwait(false))!;
            },
            cancellationToken);

    /// <summary>Appends messages inside <paramref name="transaction"/> in their order, in one statement; ids already present are skipped.</summary>
    internal static async Task EnqueueAsync(PostgreSqlDatabase database, NpgsqlConnection connection, NpgsqlTransaction transaction, IReadOnlyList<OutboxMessage> messages, DateTimeOffset now, CancellationToken cancellationToken)
    {
        foreach (var message in messages)
        {
            ArgumentException.ThrowIfNullOrEmpty(message.Id);
        }

        await using var command = new NpgsqlCommand(database.Sql($"""
            INSERT INTO {T} (id, partition_key, type, source, subject, time, correlation_id, trace_parent, data, attempts, enqueued_at)
            SELECT id, partition_key, type, source, subject, time, correlation_id, trace_parent, data, 0, @now
            FROM unnest(@id, @partitionKey, @type, @source, @subject, @time, @correlationId, @traceParent, @data)
                 WITH ORDINALITY AS m(id, partition_key, type, source, subject, time, correlation_id, trace_parent, data, n)
            ORDER BY n
            ON CONFLICT (id) DO NOTHING;
            """), connection, transaction);
        var p = command.Parameters;
        p.Add(PostgreSqlValues.Texts("id", [.. messages.Select(m => m.Id)]));
        p.Add(PostgreSqlValues.Texts("partitionKey", [.. messages.Select(m => m.PartitionKey)]));
        p.Add(PostgreSqlValues.Texts("type", [.. messages.Select(m => m.Type)]));
        p.Add(PostgreSqlValues.Texts("source", [.. messages.Select(m => m.Source)]));
        p.Add(PostgreSqlValues.Texts("subject", [.. messages.Select(m => m.Subject)]));
        p.Add(PostgreSqlValues.Times("time", [.. messages.Select(m => m.Time)]));
        p.Add(PostgreSqlValues.Texts("correlationId", [.. messages.Select(m => m.CorrelationId)]));
        p.Add(PostgreSqlValues.Texts("traceParent", [.. messages.Select(m => m.TraceParent)]));
        p.Add(PostgreSqlValues.Texts("data", [.. messages.Select(m => m.Data)]));
        p.Add(PostgreSqlValues.Time("now", now));
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    private Task UpdateLeasedAsync(string operation, string sql, Guid leaseToken, IReadOnlyCollection<string> messageIds, CancellationToken cancellationToken)
    {
        if (messageIds.Count == 0)
        {
            return Task.CompletedTask;
        }

        return database.WriteAsync(
            operation,
            async (connection, transaction, ct) =>
            {
                await using var command = new NpgsqlCommand(database.Sql(sql), connection, transaction);
                command.Parameters.AddWithValue("token", leaseToken);
                command.Parameters.Add(PostgreSqlValues.Time("now", timeProvider.GetUtcNow()));
                command.Parameters.Add(PostgreSqlValues.Texts("ids", [.. messageIds]));
                await command.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
                return true;
            },
            cancellationToken);
    }

    private static OutboxMessage Read(NpgsqlDataReader reader) => new()
    {
        Sequence = reader.GetInt64(0),
        Id = reader.GetString(1),
        PartitionKey = reader.GetString(2),
        Type = reader.GetString(3),
        Source = reader.GetString(4),
        Subject = reader.IsDBNull(5) ? null : reader.GetString(5),
        Time = reader.GetFieldValue<DateTimeOffset>(6),
        CorrelationId = reader.GetString(7),
        Data = reader.GetString(8),
        Attempts = reader.GetInt32(9),
        TraceParent = reader.IsDBNull(10) ? null : reader.GetString(10),
    };
}
