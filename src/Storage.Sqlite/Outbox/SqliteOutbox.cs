using System.Collections.Immutable;
using Concord.Storage.Sqlite.Infrastructure;
using Concord.Sync.Outbox;
using Microsoft.Data.Sqlite;

namespace Concord.Storage.Sqlite.Outbox;

/// <summary>
/// <see cref="IOutbox"/> on the shared SQLite file. A claim is one <c>BEGIN IMMEDIATE</c> transaction that selects the
/// claimable head of every partition and stamps it with a lease token, so two dispatchers (threads or processes) never hold
/// the same message, and a partition whose head is leased elsewhere is skipped whole: order per customer holds.
/// Completing or releasing checks the lease token, so a dispatcher whose lease expired cannot touch messages another took over.
/// </summary>
internal sealed class SqliteOutbox(SqliteDatabase database, TimeProvider timeProvider) : IOutbox
{
    private const string T = SqliteOutboxSchema.Table;
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
                await EnqueueAsync(connection, transaction, messages, timeProvider.GetUtcNow(), ct).ConfigureAwait(false);
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
                var claimed = ImmutableArray.CreateBuilder<OutboxMessage>();
                var nowText = SqliteValues.ToText(now);
                await using (var select = connection.CreateCommand())
                {
                    select.Transaction = transaction;
                    select.CommandText = $"""
                        SELECT {Columns} FROM {T} AS o
                        WHERE o.delivered_at IS NULL
                          AND (o.lease_expires_at IS NULL OR o.lease_expires_at <= $now)
                          AND NOT EXISTS (
                              SELECT 1 FROM {T} AS p
                              WHERE p.partition_key = o.partition_key AND p.sequence < o.sequence
                                AND p.delivered_at IS NULL AND p.lease_expires_at > $now)
                        ORDER BY o.sequence
                        LIMIT $limit;
                        """;
                    select.Parameters.AddWithValue("$now", nowText);
                    select.Parameters.AddWithValue("$limit", maxMessages);
                    await using var reader = await select.ExecuteReaderAsync(ct).ConfigureAwait(false);
                    while (await reader.ReadAsync(ct).ConfigureAwait(false))
                    {
                        claimed.Add(Read(reader));
                    }
                }

                if (claimed.Count > 0)
                {
                    await using var update = connection.CreateCommand();
                    update.Transaction = transaction;
                    update.CommandText = $"UPDATE {T} SET lease_token = $token, lease_expires_at = $expiresAt WHERE sequence = $sequence;";
                    update.Parameters.AddWithValue("$token", SqliteValues.ToText(token));
                    update.Parameters.AddWithValue("$expiresAt", SqliteValues.ToText(expiresAt));
                    var sequence = update.Parameters.Add("$sequence", SqliteType.Integer);
                    foreach (var message in claimed)
                    {
                        sequence.Value = message.Sequence;
                        await update.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
                    }
                }

                return new OutboxLease(token, expiresAt, claimed.ToImmutable());
            },
            cancellationToken);
    }

    public Task CompleteAsync(Guid leaseToken, IReadOnlyCollection<string> messageIds, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(messageIds);
        return UpdateLeasedAsync(
            "outbox.complete",
            $"UPDATE {T} SET delivered_at = $now, lease_token = NULL, lease_expires_at = NULL WHERE id = $id AND lease_token = $token AND delivered_at IS NULL;",
            leaseToken,
            messageIds,
            cancellationToken);
    }

    public Task ReleaseAsync(Guid leaseToken, IReadOnlyCollection<string> messageIds, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(messageIds);
        return UpdateLeasedAsync(
            "outbox.release",
            $"UPDATE {T} SET lease_token = NULL, lease_expires_at = NULL, attempts = attempts + 1 WHERE id = $id AND lease_token = $token AND delivered_at IS NULL;",
            leaseToken,
            messageIds,
            cancellationToken);
    }

    public Task<long> CountPendingAsync(CancellationToken cancellationToken = default) =>
        database.ReadAsync(
            "outbox.count",
            async (connection, ct) =>
            {
                await using var command = connection.CreateCommand();
                command.CommandText = $"SELECT COUNT(*) FROM {T} WHERE delivered_at IS NULL;";
                return Convert.ToInt64(await command.ExecuteScalarAsync(ct).ConfigureAwait(false), System.Globalization.CultureInfo.InvariantCulture);
            },
            cancellationToken);

    /// <summary>Appends messages inside <paramref name="transaction"/>; ids already present are skipped.</summary>
    internal static async Task EnqueueAsync(SqliteConnection connection, SqliteTransaction transaction, IReadOnlyList<OutboxMessage> messages, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = $"""
            INSERT INTO {T} (id, partition_key, type, source, subject, time, correlation_id, trace_parent, data, attempts, enqueued_at)
            VALUES ($id, $partitionKey, $type, $source, $subject, $time, $correlationId, $traceParent, $data, 0, $now)
            ON CONFLICT (id) DO NOTHING;
            """;
        var p = command.Parameters;
        var id = p.Add("$id", SqliteType.Text);
        var partitionKey = p.Add("$partitionKey", SqliteType.Text);
        var type = p.Add("$type", SqliteType.Text);
        var source = p.Add("$source", SqliteType.Text);
        var subject = p.Add("$subject", SqliteType.Text);
        var time = p.Add("$time", SqliteType.Text);
        var correlationId = p.Add("$correlationId", SqliteType.Text);
        var traceParent = p.Add("$traceParent", SqliteType.Text);
        var data = p.Add("$data", SqliteType.Text);
        p.AddWithValue("$now", SqliteValues.ToText(now));
        foreach (var message in messages)
        {
            ArgumentException.ThrowIfNullOrEmpty(message.Id);
            id.Value = message.Id;
            partitionKey.Value = message.PartitionKey;
            type.Value = message.Type;
            source.Value = message.Source;
            subject.Value = SqliteValues.OrDbNull(message.Subject);
            time.Value = SqliteValues.ToText(message.Time);
            correlationId.Value = message.CorrelationId;
            traceParent.Value = SqliteValues.OrDbNull(message.TraceParent);
            data.Value = message.Data;
            await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
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
                await using var command = connection.CreateCommand();
                command.Transaction = transaction;
                command.CommandText = sql;
                command.Parameters.AddWithValue("$token", SqliteValues.ToText(leaseToken));
                command.Parameters.AddWithValue("$now", SqliteValues.ToText(timeProvider.GetUtcNow()));
                var id = command.Parameters.Add("$id", SqliteType.Text);
                foreach (var messageId in messageIds)
                {
                    id.Value = messageId;
                    await command.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
                }

                return true;
            },
            cancellationToken);
    }

    private static OutboxMessage Read(SqliteDataReader reader) => new()
    {
        Sequence = reader.GetInt64(0),
        Id = reader.GetString(1),
        PartitionKey = reader.GetString(2),
        Type = reader.GetString(3),
        Source = reader.GetString(4),
        Subject = reader.IsDBNull(5) ? null : reader.GetString(5),
        Time = SqliteValues.ToDateTimeOffset(reader.GetString(6)),
        CorrelationId = reader.GetString(7),
        Data = reader.GetString(8),
        Attempts = reader.GetInt32(9),
        TraceParent = reader.IsDBNull(10) ? null : reader.GetString(10),
    };
}
