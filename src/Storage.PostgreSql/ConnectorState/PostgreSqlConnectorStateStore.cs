using Concord.Canonical.Connectors;
using Concord.Storage.PostgreSql.Infrastructure;
using Npgsql;

namespace Concord.Storage.PostgreSql.ConnectorState;

/// <summary>
/// <see cref="IConnectorStateStore"/> on the shared PostgreSQL schema, so that what a connector keeps about the records it
/// read outlives a restart and is the same for every host instance. A read is one statement (<c>key = ANY(@keys)</c>); a
/// save is one upsert from arrays, its rows in key order so that two overlapping saves lock them in the same order.
/// </summary>
internal sealed class PostgreSqlConnectorStateStore(PostgreSqlDatabase database, TimeProvider timeProvider) : IConnectorStateStore
{
    private const string T = PostgreSqlConnectorStateSchema.Table;

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
                await using var command = new NpgsqlCommand(database.Sql($"SELECT key, value FROM {T} WHERE connector = @connector AND key = ANY(@keys);"), connection);
                command.Parameters.Add(PostgreSqlValues.Text("connector", connectorName));
                command.Parameters.Add(PostgreSqlValues.Texts("keys", [.. keys.Distinct(StringComparer.Ordinal)]));
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

        var rows = entries.OrderBy(e => e.Key, StringComparer.Ordinal).ToArray();
        await database.WriteAsync(
            "connector_state.save",
            async (connection, transaction, ct) =>
            {
                await using var command = new NpgsqlCommand(
                    database.Sql($"""
                        INSERT INTO {T} (connector, key, value, updated_at)
                        SELECT @connector, e.key, e.value, @now FROM unnest(@keys, @values) WITH ORDINALITY AS e(key, value, n) ORDER BY e.n
                        ON CONFLICT (connector, key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at;
                        """),
                    connection,
                    transaction);
                command.Parameters.Add(PostgreSqlValues.Text("connector", connectorName));
                command.Parameters.Add(PostgreSqlValues.Time("now", timeProvider.GetUtcNow()));
                command.Parameters.Add(PostgreSqlValues.Texts("keys", [.. rows.Select(e => e.Key)]));
                command.Parameters.Add(PostgreSqlValues.Texts("values", [.. rows.Select(e => e.Value)]));
                await command.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
                return true;
            },
            cancellationToken).ConfigureAwait(false);
    }
}
