using Concord.Canonical.Connectors;
using Concord.Storage.PostgreSql.Infrastructure;
using Concord.Sync.Cursors;
using Npgsql;

namespace Concord.Storage.PostgreSql.Cursors;

/// <summary><see cref="ICursorStore"/> on the shared PostgreSQL schema: one row per (flow, source), replaced on every save.</summary>
internal sealed class PostgreSqlCursorStore(PostgreSqlDatabase database) : ICursorStore
{
    public Task<CursorCheckpoint?> GetAsync(string flow, string source, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(flow);
        ArgumentException.ThrowIfNullOrEmpty(source);
        return database.ReadAsync(
            "cursors.get",
            async (connection, ct) =>
            {
                await using var command = new NpgsqlCommand(database.Sql($"SELECT cursor, checkpointed_at, last_change_at FROM {PostgreSqlCursorSchema.Table} WHERE flow = @flow AND source = @source;"), connection);
                command.Parameters.AddWithValue("flow", flow);
                command.Parameters.AddWithValue("source", source);
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
                    CheckpointedAt = reader.GetFieldValue<DateTimeOffset>(1),
                    LastChangeAt = reader.IsDBNull(2) ? null : reader.GetFieldValue<DateTimeOffset>(2),
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
                await SaveAsync(database, connection, transaction, checkpoint, ct).ConfigureAwait(false);
                return true;
            },
            cancellationToken);
    }

    /// <summary>Writes <paramref name="checkpoint"/> inside <paramref name="transaction"/>.</summary>
    internal static async Task SaveAsync(PostgreSqlDatabase database, NpgsqlConnection connection, NpgsqlTransaction transaction, CursorCheckpoint checkpoint, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(checkpoint.Flow);
        ArgumentException.ThrowIfNullOrEmpty(checkpoint.Source);
        ArgumentNullException.ThrowIfNull(checkpoint.Cursor);
        await using var command = new NpgsqlCommand(database.Sql($"""
            INSERT INTO {PostgreSqlCursorSchema.Table} (flow, source, cursor, checkpointed_at, last_change_at) VALUES (@flow, @source, @cursor, @at, @lastChangeAt)
            ON CONFLICT (flow, source) DO UPDATE SET cursor = excluded.cursor, checkpointed_at = excluded.checkpointed_at, last_change_at = excluded.last_change_at;
            """), connection, transaction);
        command.Parameters.AddWithValue("flow", checkpoint.Flow);
        command.Parameters.AddWithValue("source", checkpoint.Source);
        command.Parameters.AddWithValue("cursor", checkpoint.Cursor.Value);
        command.Parameters.Add(PostgreSqlValues.Time("at", checkpoint.CheckpointedAt));
        command.Parameters.Add(PostgreSqlValues.NullableTime("lastChangeAt", checkpoint.LastChangeAt));
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }
}
