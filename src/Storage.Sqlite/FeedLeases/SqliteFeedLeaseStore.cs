using Concord.Storage.Sqlite.Infrastructure;
using Concord.Sync.Storage;
using Microsoft.Data.Sqlite;

namespace Concord.Storage.Sqlite.FeedLeases;

/// <summary>
/// <see cref="IFeedLeaseStore"/> on the shared SQLite file: each call reads and writes the feed's row in one
/// <c>BEGIN IMMEDIATE</c> transaction, so two processes on the file never both take a lease.
/// </summary>
internal sealed class SqliteFeedLeaseStore(SqliteDatabase database, TimeProvider timeProvider) : IFeedLeaseStore
{
    private const string T = SqliteFeedLeaseSchema.Table;

    public Task<FeedLease?> TryAcquireAsync(string flow, string source, string holder, TimeSpan duration, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(flow);
        ArgumentException.ThrowIfNullOrEmpty(source);
        ArgumentException.ThrowIfNullOrEmpty(holder);
        return database.WriteAsync(
            "feed_leases.acquire",
            async (connection, transaction, ct) =>
            {
                var now = timeProvider.GetUtcNow();
                var current = await ReadAsync(connection, transaction, flow, source, ct).ConfigureAwait(false);
                if (FeedLease.Grant(current, flow, source, holder, now, duration) is not { } lease)
                {
                    return null;
                }

                await WriteAsync(connection, transaction, lease, now, ct).ConfigureAwait(false);
                return lease;
            },
            cancellationToken);
    }

    public Task<FeedLease?> RenewAsync(FeedLease lease, TimeSpan duration, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(lease);
        return database.WriteAsync(
            "feed_leases.renew",
            async (connection, transaction, ct) =>
            {
                var renewed = lease with { ExpiresAt = timeProvider.GetUtcNow() + duration };
                return await UpdateCurrentAsync(connection, transaction, lease, renewed.ExpiresAt, ct).ConfigureAwait(false) ? renewed : null;
            },
            cancellationToken);
    }

    public Task ReleaseAsync(FeedLease lease, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(lease);
        return database.WriteAsync(
            "feed_leases.release",
            (connection, transaction, ct) => UpdateCurrentAsync(connection, transaction, lease, timeProvider.GetUtcNow(), ct),
            cancellationToken);
    }

    public Task<FeedLease?> GetAsync(string flow, string source, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(flow);
        ArgumentException.ThrowIfNullOrEmpty(source);
        return database.ReadAsync("feed_leases.get", (connection, ct) => ReadAsync(connection, null, flow, source, ct), cancellationToken);
    }

    /// <summary>Throws <see cref="FeedLeaseLostException"/> inside <paramref name="transaction"/> unless <paramref name="lease"/> is the feed's current lease.</summary>
    internal static async Task EnsureCurrentAsync(SqliteConnection connection, SqliteTransaction transaction, FeedLease lease, CancellationToken cancellationToken)
    {
        var current = await ReadAsync(connection, transaction, lease.Flow, lease.Source, cancellationToken).ConfigureAwait(false);
        FeedLeaseLostException.ThrowIfTakenOver(lease, current);
    }

    private static async Task<FeedLease?> ReadAsync(SqliteConnection connection, SqliteTransaction? transaction, string flow, string source, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = $"SELECT holder, token, expires_at FROM {T} WHERE flow = $flow AND source = $source;";
        command.Parameters.AddWithValue("$flow", flow);
        command.Parameters.AddWithValue("$source", source);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        if (!await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            return null;
        }

        return new FeedLease { Flow = flow, Source = source, Holder = reader.GetString(0), Token = reader.GetInt64(1), ExpiresAt = SqliteValues.ToDateTimeOffset(reader.GetString(2)) };
    }

    private static async Task WriteAsync(SqliteConnection connection, SqliteTransaction transaction, FeedLease lease, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = $"""
            INSERT INTO {T} (flow, source, holder, token, acquired_at, expires_at) VALUES ($flow, $source, $holder, $token, $now, $expires)
            ON CONFLICT (flow, source) DO UPDATE SET
                acquired_at = CASE WHEN token = excluded.token THEN acquired_at ELSE excluded.acquired_at END,
                holder = excluded.holder, token = excluded.token, expires_at = excluded.expires_at;
            """;
        command.Parameters.AddWithValue("$flow", lease.Flow);
        command.Parameters.AddWithValue("$source", lease.Source);
        command.Parameters.AddWithValue("$holder", lease.Holder);
        command.Parameters.AddWithValue("$token", lease.Token);
        command.Parameters.AddWithValue("$now", SqliteValues.ToText(now));
        command.Parameters.AddWithValue("$expires", SqliteValues.ToText(lease.ExpiresAt));
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Sets the expiry of <paramref name="lease"/> when it is still the current one; returns whether it was.</summary>
    private static async Task<bool> UpdateCurrentAsync(SqliteConnection connection, SqliteTransaction transaction, FeedLease lease, DateTimeOffset expiresAt, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = $"UPDATE {T} SET expires_at = $expires WHERE flow = $flow AND source = $source AND token = $token AND holder = $holder;";
        command.Parameters.AddWithValue("$flow", lease.Flow);
        command.Parameters.AddWithValue("$source", lease.Source);
        command.Parameters.AddWithValue("$token", lease.Token);
        command.Parameters.AddWithValue("$holder", lease.Holder);
        command.Parameters.AddWithValue("$expires", SqliteValues.ToText(expiresAt));
        return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) == 1;
    }
}
