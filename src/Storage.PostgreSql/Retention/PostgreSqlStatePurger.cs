using Concord.Storage.PostgreSql.Audit;
using Concord.Storage.PostgreSql.DeadLetters;
using Concord.Storage.PostgreSql.Idempotency;
using Concord.Storage.PostgreSql.Inbox;
using Concord.Storage.PostgreSql.Infrastructure;
using Concord.Storage.PostgreSql.Outbox;
using Concord.Sync.Retention;
using Npgsql;

namespace Concord.Storage.PostgreSql.Retention;

/// <summary>
/// <see cref="IStatePurger"/> on the shared PostgreSQL schema: deletes delivered events, finished idempotency keys, resolved
/// dead letters, completed webhook inbox entries and (when a retention is set) audit entries older than their cut-offs, <see cref="BatchSize"/> rows per
/// short transaction. Open work (claims in progress, dead letters awaiting a retry) is never touched; undelivered events
/// only once their own retention has passed. Several instances may purge at once: each batch deletes what it finds.
/// </summary>
internal sealed class PostgreSqlStatePurger(PostgreSqlDatabase database) : IStatePurger
{
    /// <summary>Rows deleted per transaction.</summary>
    internal const int BatchSize = 5_000;

    public async Task<StatePurgeResult> PurgeAsync(StatePurgeCutoffs cutoffs, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(cutoffs);
        return new StatePurgeResult(
            await PurgeAsync("outbox.purge", PostgreSqlOutboxSchema.Table, "sequence", "delivered_at IS NOT NULL AND delivered_at < @cutoff", cutoffs.DeliveredEvents, cancellationToken).ConfigureAwait(false),
            await PurgeAsync("idempotency.purge", PostgreSqlIdempotencySchema.Table, "key", "state IN ('completed', 'failed') AND updated_at < @cutoff", cutoffs.FinishedIdempotencyKeys, cancellationToken).ConfigureAwait(false),
            await PurgeAsync("dead-letters.purge", PostgreSqlDeadLetterSchema.Table, "id", "status IN ('resolved', 'discarded') AND resolved_at < @cutoff", cutoffs.ResolvedDeadLetters, cancellationToken).ConfigureAwait(false),
            await PurgeAsync("audit.purge", PostgreSqlAuditSchema.Table, "seq", "at < @cutoff", cutoffs.AuditEntries, cancellationToken).ConfigureAwait(false))
        {
            UndeliveredEvents = await PurgeAsync(
                "outbox.purge-undelivered",
                PostgreSqlOutboxSchema.Table,
                "sequence",
                "delivered_at IS NULL AND enqueued_at < @cutoff AND (lease_expires_at IS NULL OR lease_expires_at < @cutoff)",
                cutoffs.UndeliveredEvents,
                cancellationToken).ConfigureAwait(false),
            CompletedWebhookEvents = await PurgeAsync(
                "webhook-inbox.purge",
                PostgreSqlWebhookInboxSchema.Table,
                "sequence",
                "completed_at IS NOT NULL AND completed_at < @cutoff",
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

        // SKIP LOCKED: rows another transaction holds (a dispatcher completing, say) wait for the next purge instead of blocking this one.
        var sql = database.Sql($"DELETE FROM {table} WHERE {key} IN (SELECT {key} FROM {table} WHERE {condition} LIMIT {BatchSize} FOR UPDATE SKIP LOCKED);");
        long purged = 0;
        while (true)
        {
            var deleted = await database.WriteAsync(
                operation,
                async (connection, transaction, ct) =>
                {
                    await using var command = new NpgsqlCommand(sql, connection, transaction);
                    command.Parameters.Add(PostgreSqlValues.Time("cutoff", cutoff.Value));
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
