using Concord.Storage.PostgreSql.Infrastructure;
using Concord.Sync.Storage;
using Npgsql;

namespace Concord.Storage.PostgreSql.FeedLeases;

/// <summary>
/// <see cref="IFeedLeaseStore"/> on the shared PostgreSQL schema. Taking a lease locks the feed's row
/// (<c>SELECT ... FOR UPDATE</c>) for the decision, so of several instances asking at once exactly one gets it; the
/// committer's fencing check takes a share lock on the same row, so a takeover waits for a commit under way and the new
/// holder then reads the cursor that commit wrote.
/// </summary>
internal sealed class PostgreSqlFeedLeaseStore(PostgreSqlDatabase database, TimeProvider timeProvider) : IFeedLeaseStore
{
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
                await using (var insert = new NpgsqlCommand(database.Sql($"""
                    INSERT INTO {PostgreSqlFeedLeaseSchema.Table} (flow, source, holder, token, acquired_at, expires_at) VALUES (@flow, @source, @holder, 0, @now, @now)
                    ON CONFLICT (flow, source) DO NOTHING;
                    """), connection, transaction))
                {
                    insert.Parameters.AddWithValue("flow", flow);
                    insert.Parameters.AddWithValue("source", source);
                    insert.Parameters.AddWithValue("holder", holder);
                    insert.Parameters.Add(PostgreSqlValues.Time("now", now));
                    await insert.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
                }

                var current = await ReadAsync(database, connection, transaction, flow, source, "FOR UPDATE", ct).ConfigureAwait(false);
                if (FeedLease.Grant(current, flow, source, holder, now, duration) is not { } lease)
                {
                    return null;
                }

                await using var update = new NpgsqlCommand(database.Sql($"""
                    UPDATE {PostgreSqlFeedLeaseSchema.Table}
                    SET acquired_at = CASE WHEN token = @token THEN acquired_at ELSE @now END, holder = @holder, token = @token, expires_at = @expires
                    WHERE flow = @flow AND source = @source;
                    """), connection, transaction);
                update.Parameters.AddWithValue("flow", flow);
                update.Parameters.AddWithValue("source", source);
                update.Parameters.AddWithValue("holder", holder);
                update.Parameters.AddWithValue("token", lease.Token);
                update.Parameters.Add(PostgreSqlValues.Time("now", now));
                update.Parameters.Add(PostgreSqlValues.Time("expires", lease.ExpiresAt));
                await update.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
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
        return database.ReadAsync("feed_leases.get", async (connection, ct) =>
        {
            var lease = await ReadAsync(database, connection, null, flow, source, string.Empty, ct).ConfigureAwait(false);
            return lease is { Token: 0 } ? null : lease; // a row created by an acquire that found nothing to take is no lease
        }, cancellationToken);
    }

    /// <summary>
    /// Throws <see cref="FeedLeaseLostException"/> inside <paramref name="transaction"/> unless <paramref name="lease"/> is the
    /// feed's current lease; holds a share lock on the feed's row until the transaction ends, so no takeover happens meanwhile.
    /// </summary>
    internal static async Task EnsureCurrentAsync(PostgreSqlDatabase database, NpgsqlConnection connection, NpgsqlTransaction transaction, FeedLease lease, CancellationToken cancellationToken)
    {
        var current = await ReadAsync(database, connection, transaction, lease.Flow, lease.Source, "FOR SHARE", cancellationToken).ConfigureAwait(false);
        FeedLeaseLostException.ThrowIfTakenOver(lease, current);
    }

    private static async Task<FeedLease?> ReadAsync(PostgreSqlDatabase database, NpgsqlConnection connection, NpgsqlTransaction? transaction, string flow, string source, string locking, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(database.Sql($"SELECT holder, token, expires_at FROM {PostgreSqlFeedLeaseSchema.Table} WHERE flow = @flow AND source = @source {locking};"), connection, transaction);
        command.Parameters.AddWithValue("flow", flow);
        command.Parameters.AddWithValue("source", source);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        if (!await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            return null;
        }

        return new FeedLease { Flow = flow, Source = source, Holder = reader.GetString(0), Token = reader.GetInt64(1), ExpiresAt = reader.GetFieldValue<DateTimeOffset>(2) };
    }

    /// <summary>Sets the expiry of <paramref name="lease"/> when it is still the current one; returns whether it was.</summary>
    private async Task<bool> UpdateCurrentAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, FeedLease lease, DateTimeOffset expiresAt, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(database.Sql($"UPDATE {PostgreSqlFeedLeaseSchema.Table} SET expires_at = @expires WHERE flow = @flow AND source = @source AND token = @token AND holder = @holder;"), connection, transaction);
        command.Parameters.AddWithValue("flow", lease.Flow);
        command.Parameters.AddWithValue("source", lease.Source);
        command.Parameters.AddWithValue("token", lease.Token);
        command.Parameters.AddWithValue("holder", lease.Holder);
        command.Parameters.Add(PostgreSqlValues.Time("expires", expiresAt));
        return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) == 1;
    }
}
