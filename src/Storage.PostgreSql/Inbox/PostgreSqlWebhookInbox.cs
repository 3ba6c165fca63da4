using Concord.Storage.PostgreSql.Infrastructure;
using Concord.Sync.Inbox;
using Npgsql;

namespace Concord.Storage.PostgreSql.Inbox;

/// <summary>
/// <see cref="IWebhookInbox"/> on the shared PostgreSQL schema: a delivery's events are inserted by one statement
/// (<c>ON CONFLICT DO NOTHING</c> on sender and key, in the delivery's order), committed before <see cref="AddAsync"/>
/// returns, so the endpoint's 2xx never precedes the write; several hosts may share the table.
/// </summary>
internal sealed class PostgreSqlWebhookInbox(PostgreSqlDatabase database, TimeProvider timeProvider) : IWebhookInbox
{
    private const string T = PostgreSqlWebhookInboxSchema.Table;

    public async ValueTask<int> AddAsync(IReadOnlyList<WebhookInboxEntry> entries, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(entries);
        if (entries.Count == 0)
        {
            return 0;
        }

        return await database.WriteAsync(
            "webhook-inbox.add",
            async (connection, transaction, ct) =>
            {
                await using var insert = new NpgsqlCommand(database.Sql($"""
                    INSERT INTO {T} (sender, key, event_type, object_type, object_id, occurred_at, change_source, received_at, payload)
                    SELECT sender, key, event_type, object_type, object_id, occurred_at, change_source, received_at, payload
                    FROM unnest(@senders, @keys, @eventTypes, @objectTypes, @objectIds, @occurredAts, @changeSources, @receivedAts, @payloads)
                        WITH ORDINALITY AS e (sender, key, event_type, object_type, object_id, occurred_at, change_source, received_at, payload, n)
                    ORDER BY n
                    ON CONFLICT (sender, key) DO NOTHING;
                    """), connection, transaction);
                insert.Parameters.Add(PostgreSqlValues.Texts("senders", [.. entries.Select(e => e.Sender)]));
                insert.Parameters.Add(PostgreSqlValues.Texts("keys", [.. entries.Select(e => e.Key)]));
                insert.Parameters.Add(PostgreSqlValues.Texts("eventTypes", [.. entries.Select(e => e.EventType)]));
                insert.Parameters.Add(PostgreSqlValues.Texts("objectTypes", [.. entries.Select(e => e.ObjectType)]));
                insert.Parameters.Add(PostgreSqlValues.Texts("objectIds", [.. entries.Select(e => e.ObjectId)]));
                insert.Parameters.Add(PostgreSqlValues.NullableTimes("occurredAts", [.. entries.Select(e => e.OccurredAt)]));
                insert.Parameters.Add(PostgreSqlValues.Texts("changeSources", [.. entries.Select(e => e.ChangeSource)]));
                insert.Parameters.Add(PostgreSqlValues.Times("receivedAts", [.. entries.Select(e => e.ReceivedAt)]));
                insert.Parameters.Add(PostgreSqlValues.Texts("payloads", [.. entries.Select(e => e.Payload)]));
                return await insert.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
            },
            cancellationToken).ConfigureAwait(false);
    }

    public async ValueTask<IReadOnlyList<WebhookInboxEntry>> ReadPendingAsync(string sender, int max, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(sender);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(max);
        return await database.ReadAsync<IReadOnlyList<WebhookInboxEntry>>(
            "webhook-inbox.read-pending",
            async (connection, ct) =>
            {
                await using var select = new NpgsqlCommand(database.Sql($"""
                    SELECT sender, key, event_type, object_type, object_id, occurred_at, change_source, received_at, payload
                    FROM {T} WHERE sender = @sender AND completed_at IS NULL ORDER BY sequence LIMIT @max;
                    """), connection);
                select.Parameters.AddWithValue("sender", sender);
                select.Parameters.AddWithValue("max", max);
                var entries = new List<WebhookInboxEntry>();
                await using var reader = await select.ExecuteReaderAsync(ct).ConfigureAwait(false);
                while (await reader.ReadAsync(ct).ConfigureAwait(false))
                {
                    entries.Add(new WebhookInboxEntry
                    {
                        Sender = reader.GetString(0),
                        Key = reader.GetString(1),
                        EventType = reader.IsDBNull(2) ? null : reader.GetString(2),
                        ObjectType = reader.IsDBNull(3) ? null : reader.GetString(3),
                        ObjectId = reader.IsDBNull(4) ? null : reader.GetString(4),
                        OccurredAt = reader.IsDBNull(5) ? null : reader.GetFieldValue<DateTimeOffset>(5),
                        ChangeSource = reader.IsDBNull(6) ? null : reader.GetString(6),
                        ReceivedAt = reader.GetFieldValue<DateTimeOffset>(7),
                        Payload = reader.GetString(8),
                    });
                }

                return entries;
            },
            cancellationToken).ConfigureAwait(false);
    }

    public async ValueTask CompleteAsync(string sender, IEnumerable<string> keys, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(sender);
        ArgumentNullException.ThrowIfNull(keys);
        string?[] list = [.. keys];
        if (list.Length == 0)
        {
            return;
        }

        await database.WriteAsync(
            "webhook-inbox.complete",
            async (connection, transaction, ct) =>
            {
                await using var update = new NpgsqlCommand(database.Sql($"UPDATE {T} SET completed_at = @now WHERE sender = @sender AND key = ANY(@keys) AND completed_at IS NULL;"), connection, transaction);
                update.Parameters.Add(PostgreSqlValues.Time("now", timeProvider.GetUtcNow()));
                update.Parameters.AddWithValue("sender", sender);
                update.Parameters.Add(PostgreSqlValues.Texts("keys", list));
                return await update.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
            },
            cancellationToken).ConfigureAwait(false);
    }
}
