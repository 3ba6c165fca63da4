using Concord.Storage.Sqlite.Audit;
using Concord.Storage.Sqlite.DeadLetters;
using Concord.Storage.Sqlite.Idempotency;
using Concord.Storage.Sqlite.Inbox;
using Concord.Storage.Sqlite.Infrastructure;
using Concord.Storage.Sqlite.Outbox;
using Concord.Sync.Retention;

namespace Concord.Storage.Sqlite.Retention;

/// <summary>
/// <see cref="IStatePurger"/> on the shared SQLite file: deletes delivered events, finished idempotency keys, resolved
/// dead letters, completed webhook inbox entries and (when a retention is set) audit entries older than their cut-offs, <see cref="BatchSize"/> rows per
/// <c>BEGIN IMMEDIATE</c> transaction, so that a flow's writes wait for one short batch at most, never the whole purge.
/// Open work (claims in progress, dead letters awaiting a retry) is never touched; undelivered events only once their own
/// retention (<see cref="StatePurgeCutoffs.UndeliveredEvents"/>) has passed.
/// </summary>
internal sealed class SqliteStatePurger(SqliteDatabase database) : IStatePurger
{
    /// <summary>Rows deleted per transaction.</summary>
    internal const int BatchSize = 5_000;

    public async Task<StatePurgeResult> PurgeAsync(StatePurgeCutoffs cutoffs, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(cutoffs);
        return new StatePurgeResult(
            await PurgeAsync("outbox.purge", SqliteOutboxSchema.Table, "sequence", "delivered_at IS NOT NULL AND delivered_at < $cutoff", cutoffs.DeliveredEvents, cancellationToken).ConfigureAwait(false),
            await PurgeAsync("idempotency.purge", SqliteIdempotencySchema.Table, "key", "state IN ('completed', 'failed') AND updated_at < $cutoff", cutoffs.FinishedIdempotencyKeys, cancellationToken).ConfigureAwait(false),
            await PurgeAsync("dead-letters.purge", SqliteDeadLetterSchema.Table, "id", "status IN ('resolved', 'discarded') AND resolved_at < $cutoff", cutoffs.ResolvedDeadLetters, cancellationToken).ConfigureAwait(false),
            await PurgeAsync("audit.purge", SqliteAuditSchema.Table, "seq", "at < $cutoff", cutoffs.AuditEntries, cancellationToken).ConfigureAwait(false))
        {
            // Undelivered events past their retention, unless a dispatcher has claimed them since the cut-off.
            UndeliveredEvents = await PurgeAsync(
                "outbox.purge-undelivered",
                SqliteOutboxSchema.Table,
                "sequence",
                "delivered_at IS NULL AND enqueued_at < $cutoff AND (lease_expires_at IS NULL OR lease_expires_at < $cutoff)",
                cutoffs.UndeliveredEvents,
                cancellationToken).ConfigureAwait(false),
            CompletedWebhookEvents = await PurgeAsync(
                "webhook-inbox.purge",
                SqliteWebhookInboxSchema.Table,
                "sequence",
                "completed_at IS NOT NULL AND completed_at < $cutoff",
                cutoffs.CompletedWebhookEvents,
                cancellationToken).ConfigureAwait(false),
        };
    }

    private async Task<long> PurgeAsync(string operation, string table, string key, string condition, DateTimeOffset? cutoff, CancellationToken cancellationToken)
    {
        if (cutoff is null)
        {
            return 0;
        }

        var cutoffText = SqliteValues.ToText(cutoff.Value);
        var sql = $"DELETE FROM {table} WHERE {key} IN (SELECT {key} FROM {table} WHERE {condition} LIMIT {BatchSize});";
        long purged = 0;
        while (true)
        {
            var deleted = await database.WriteAsync(
                operation,
                async (connection, transaction, ct) =>
                {
                    await using var command = connection.CreateCommand();
                    command.Transaction = transaction;
                    command.CommandText = sql;
                    command.Parameters.AddWithValue("$cutoff", cutoffText);
                    return await command.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
                },
                cancellationToken).ConfigureAwait(false);
            purged += deleted;
            if (deleted < BatchSize)
            {
                return purged;
            }
        }
    }
}
