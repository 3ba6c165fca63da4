using System.Text.Json;
using Concord.Canonical.Connectors;
using Concord.Storage.Sqlite.Infrastructure;
using Concord.Storage.Sqlite.Writes;
using Microsoft.Data.Sqlite;

namespace Concord.Storage.Sqlite.ConnectorState;

/// <summary>
/// <see cref="IConnectorStateStore"/> on the shared SQLite file, so that what a connector keeps about the records it read
/// outlives a restart. A read is one statement for any number of keys: the keys travel as one JSON array parameter
/// (<c>json_each</c>), so SQLite's limit on bound parameters never applies. A save upserts every entry in one
/// <c>BEGIN IMMEDIATE</c> transaction with one prepared statement.
/// </summary>
internal sealed class SqliteConnectorStateStore(SqliteDatabase database, TimeProvider timeProvider) : IConnectorStateStore
{
    private const string T = SqliteConnectorStateSchema.Table;

    public async ValueTask<IReadOnlyDictionary<string, string>> GetAsync(string connectorName, IReadOnlyCollection<string> keys, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(connectorName);
        ArgumentNullException.ThrowIfNull(keys);
        if (keys.Count == 0)
        {
            return new Dictionary<string, string>(StringComparer.Ordinal);
        }

        return await database.ReadAsync<IReadOnlyDictionary<string, string>>(
            "connector_state.get",
            async (connection, ct) =>
            {
                await using var command = connection.CreateCommand();
                command.CommandText = $"SELECT key, value FROM {T} WHERE connector = $connector AND key IN (SELECT value FROM json_each($keys));";
                command.Parameters.AddWithValue("$connector", connectorName);
                command.Parameters.AddWithValue("$keys", JsonSerializer.Serialize(keys as string[] ?? [.. keys], SqliteWriteLedgerJsonContext.Default.StringArray));
                var found = new Dictionary<string, string>(StringComparer.Ordinal);
                await using var reader = await command.ExecuteReaderAsync(ct).ConfigureAwait(false);
                while (await reader.ReadAsync(ct).ConfigureAwait(false))
                {
                    found[reader.GetString(0)] = reader.GetString(1);
                }

                return found;
            },
            cancellationToken).ConfigureAwait(false);
    }

    public async ValueTask SaveAsync(string connectorName, IReadOnlyDictionary<string, string> entries, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(connectorName);
        ArgumentNullException.ThrowIfNull(entries);
        if (entries.Count == 0)
        {
            return;
        }

        await database.WriteAsync(
            "connector_state.save",
            async (connection, transaction, ct) =>
            {
                await using var command = connection.CreateCommand();
                command.Transaction = transaction;
                command.CommandText = $"""
                    INSERT INTO {T} (connector, key, value, updated_at) VALUES ($connector, $key, $value, $now)
                    ON CONFLICT (connector, key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at;
                    """;
                command.Parameters.AddWithValue("$connector", connectorName);
                command.Parameters.AddWithValue("$now", SqliteValues.ToText(timeProvider.GetUtcNow()));
                var key = command.Parameters.Add("$key", SqliteType.Text);
                var value = command.Parameters.Add("$value", SqliteType.Text);
                foreach (var entry in entries)
                {
                    key.Value = entry.Key;
                    value.Value = entry.Value;
                    await command.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
                }

                return true;
            },
            cancellationToken).ConfigureAwait(false);
    }
}
