using Concord.Canonical.Connectors;
using Concord.Storage.Sqlite.Infrastructure;
using Concord.Sync.Cursors;
using Microsoft.Data.Sqlite;

namespace Concord.Storage.Sqlite.Cursors;

/// <summary><see cref="ICursorStore"/> on the shared SQLite file: one row per (flow, source), replaced on every save.</summary>
internal sealed class SqliteCursorStore(SqliteDatabase database) : ICursorStore
{
    private const string T = SqliteCursorSchema.Table;

    public Task<CursorCheckpoint?> GetAsync(string flow, string source, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(flow);
        ArgumentException.ThrowIfNullOrEmpty(source);
        return database.ReadAsync(
            "cursors.get",
            async (connection, ct) =>
            {
                await using var command = connection.CreateCommand();
                command.CommandText = $"SELECT cursor, checkpointed_at, last_change_at FROM {T} WHERE flow = $flow AND source = $source;";
                command.Parameters.AddWithValue("$flow", flow);
                command.Parameters.AddWithValue("$source", source);
                await using var reader = await command.ExecuteReaderAsync(ct).ConfigureAwait(false);
                if (!await reader.ReadAsync(ct).ConfigureAwait(false))
                {
                    return null;
                }

                return new CursorCheckpoint
                {
                    Flow = flow,
                    Source = source,
                    Cursor = new ChangeCursor(reader.GetString(0)),
                    CheckpointedAt = SqliteValues.ToDateTimeOffset(reader.GetString(1)),
                    LastChangeAt = reader.IsDBNull(2) ? null : SqliteValues.ToDateTimeOffset(reader.GetString(2)),
                };
            },
            cancellationToken);
    }

    public Task SaveAsync(CursorCheckpoint checkpoint, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(checkpoint);
        return database.WriteAsync(
            "cursors.save",
            async (connection, transaction, ct) =>
            {
                await SaveAsync(connection, transaction, checkpoint, ct).ConfigureAwait(false);
                return true;
            },
            cancellationToken);
    }

    /// <summary>Writes <paramref name="checkpoint"/> inside <paramref name="transaction"/>.</summary>
    internal static async Task SaveAsync(SqliteConnection connection, SqliteTransaction transaction, CursorCheckpoint checkpoint, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(checkpoint.Flow);
        ArgumentException.ThrowIfNullOrEmpty(checkpoint.Source);
        ArgumentNullException.ThrowIfNull(checkpoint.Cursor);
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = $"""
            INSERT INTO {T} (flow, source, cursor, checkpointed_at, last_change_at) VALUES ($flow, $source, $cursor, $at, $lastChangeAt)
            ON CONFLICT (flow, source) DO UPDATE SET cursor = excluded.cursor, checkpointed_at = excluded.checkpointed_at, last_change_at = excluded.last_change_at;
            """;
        command.Parameters.AddWithValue("$flow", checkpoint.Flow);
        command.Parameters.AddWithValue("$source", checkpoint.Source);
        command.Parameters.AddWithValue("$cursor", checkpoint.Cursor.Value);
        command.Parameters.AddWithValue("$at", SqliteValues.ToText(checkpoint.CheckpointedAt));
        command.Parameters.AddWithValue("$lastChangeAt", checkpoint.LastChangeAt is { } last ? SqliteValues.ToText(last) : DBNull.Value);
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }
}
