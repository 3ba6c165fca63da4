using Concord.Storage.Sqlite.Infrastructure;
using Concord.Sync.Inbox;
using Microsoft.Data.Sqlite;

namespace Concord.Storage.Sqlite.Inbox;

/// <summary>
/// <see cref="IWebhookInbox"/> on the shared SQLite file: a delivery's events are inserted in one transaction
/// (<c>ON CONFLICT DO NOTHING</c> on sender and key), committed before <see cref="AddAsync"/> returns, so the endpoint's 2xx
/// never precedes the write.
/// </summary>
internal sealed class SqliteWebhookInbox(SqliteDatabase database, TimeProvider timeProvider) : IWebhookInbox
{
    private const string T = SqliteWebhookInboxSchema.Table;

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
                await using var insert = connection.CreateCommand();
                insert.Transaction = transaction;
                insert.CommandText = $"""
                    INSERT INTO {T} (sender, key, event_type, object_type, object_id, occurred_at, change_source, received_at, payload)
                    VALUES ($sender, $key, $eventType, $objectType, $objectId, $occurredAt, $changeSource, $receivedAt, $payload)
                    ON CONFLICT (sender, key) DO NOTHING;
                    """;
                var sender = insert.Parameters.Add("$sender", SqliteType.Text);
                var key = insert.Parameters.Add("$key", SqliteType.Text);
                var eventType = insert.Parameters.Add("$eventType", SqliteType.Text);
                var objectType = insert.Parameters.Add("$objectType", SqliteType.Text);
                var objectId = insert.Parameters.Add("$objectId", SqliteType.Text);
                var occurredAt = insert.Parameters.Add("$occurredAt", SqliteType.Text);
                var changeSource = insert.Parameters.Add("$changeSource", SqliteType.Text);
                var receivedAt = insert.Parameters.Add("$receivedAt", SqliteType.Text);
                var payload = insert.Parameters.Add("$payload", SqliteType.Text);
                var added = 0;
                foreach (var entry in entries)
                {
                    sender.Value = entry.Sender;
                    key.Value = entry.Key;
                    eventType.Value = SqliteValues.OrDbNull(entry.EventType);
                    objectType.Value = SqliteValues.OrDbNull(entry.ObjectType);
                    objectId.Value = SqliteValues.OrDbNull(entry.ObjectId);
                    occurredAt.Value = entry.OccurredAt is { } at ? SqliteValues.ToText(at) : DBNull.Value;
                    changeSource.Value = SqliteValues.OrDbNull(entry.ChangeSource);
                    receivedAt.Value = SqliteValues.ToText(entry.ReceivedAt);
                    payload.Value = entry.Payload;
                    added += await insert.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
                }

                return added;
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
                await using var select = connection.CreateCommand();
                select.CommandText = $"""
                    SELECT sender, key, event_type, object_type, object_id, occurred_at, change_source, received_at, payload
                    FROM {T} WHERE sender = $sender AND completed_at IS NULL ORDER BY sequence LIMIT $max;
                    """;
                select.Parameters.AddWithValue("$sender", sender);
                select.Parameters.AddWithValue("$max", max);
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
                        OccurredAt = reader.IsDBNull(5) ? null : SqliteValues.ToDateTimeOffset(reader.GetString(5)),
                        ChangeSource = reader.IsDBNull(6) ? null : reader.GetString(6),
                        ReceivedAt = SqliteValues.ToDateTimeOffset(reader.GetString(7)),
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
        var list = keys.ToList();
        if (list.Count == 0)
        {
            return;
        }

        await database.WriteAsync(
            "webhook-inbox.complete",
            async (connection, transaction, ct) =>
            {
                await using var update = connection.CreateCommand();
                update.Transaction = transaction;
                update.CommandText = $"UPDATE {T} SET completed_at = $now WHERE sender = $sender AND key = $key AND completed_at IS NULL;";
                update.Parameters.AddWithValue("$now", SqliteValues.ToText(timeProvider.GetUtcNow()));
                update.Parameters.AddWithValue("$sender", sender);
                var key = update.Parameters.Add("$key", SqliteType.Text);
                foreach (var k in list)
                {
                    key.Value = k;
                    await update.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
                }

                return true;
            },
            cancellationToken).ConfigureAwait(false);
    }
}
