using System.Runtime.CompilerServices;
using Concord.Canonical.Errors;
using Concord.Storage.Sqlite.Infrastructure;
using Concord.Sync.DeadLetters;
using Microsoft.Data.Sqlite;

namespace Concord.Storage.Sqlite.DeadLetters;

/// <summary><see cref="IDeadLetterStore"/> on the shared SQLite file. Listing reads keyset pages, so no read stays open while the caller works.</summary>
internal sealed class SqliteDeadLetterStore(SqliteDatabase database) : IDeadLetterStore
{
    private const int ListPageSize = 200;
    private const string T = SqliteDeadLetterSchema.Table;
    private const string Columns =
        "id, flow, source_system, source_external_id, canonical_id, target_system, category, reason, payload, correlation_id, status, attempts, first_failed_at, last_failed_at, resolved_at";

    public Task SaveAsync(IReadOnlyList<DeadLetter> deadLetters, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(deadLetters);
        if (deadLetters.Count == 0)
        {
            return Task.CompletedTask;
        }

        return database.WriteAsync(
            "dead-letters.save",
            async (connection, transaction, ct) =>
            {
                await SaveAsync(connection, transaction, deadLetters, ct).ConfigureAwait(false);
                return true;
            },
            cancellationToken);
    }

    public async Task<DeadLetter?> GetAsync(string id, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(id);
        var found = await GetManyAsync([id], cancellationToken).ConfigureAwait(false);
        return found.GetValueOrDefault(id);
    }

    /// <summary>Claims the open, unclaimed (or expired) entries among <paramref name="ids"/> in one write transaction, which SQLite serialises across processes.</summary>
    public Task<IReadOnlyList<DeadLetter>> ClaimAsync(IReadOnlyCollection<string> ids, string claimant, TimeSpan duration, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(ids);
        ArgumentException.ThrowIfNullOrEmpty(claimant);
        if (ids.Count == 0)
        {
            return Task.FromResult<IReadOnlyList<DeadLetter>>([]);
        }

        return database.WriteAsync<IReadOnlyList<DeadLetter>>(
            "dead-letters.claim",
            async (connection, transaction, ct) =>
            {
                var now = database.TimeProvider.GetUtcNow();
                await using var command = connection.CreateCommand();
                command.Transaction = transaction;
                command.CommandText = $"""
                    UPDATE {T} SET claimed_by = $claimant, claimed_until = $until
                    WHERE id = $id AND status IN ('deferred', 'dead_lettered') AND (claimed_by IS NULL OR claimed_until <= $now OR claimed_by = $claimant)
                    RETURNING {Columns};
                    """;
                var parameter = command.Parameters.Add("$id", SqliteType.Text);
                command.Parameters.AddWithValue("$claimant", claimant);
                command.Parameters.AddWithValue("$now", SqliteValues.ToText(now));
                command.Parameters.AddWithValue("$until", SqliteValues.ToText(now + duration));
                var claimed = new List<DeadLetter>();
                foreach (var id in ids.Distinct(StringComparer.Ordinal))
                {
                    parameter.Value = id;
                    await using var reader = await command.ExecuteReaderAsync(ct).ConfigureAwait(false);
                    if (await reader.ReadAsync(ct).ConfigureAwait(false))
                    {
                        claimed.Add(Read(reader));
                    }
                }

                return [.. claimed.OrderBy(e => e.FirstFailedAt).ThenBy(e => e.Id, StringComparer.Ordinal)];
            },
            cancellationToken);
    }

    public Task ReleaseAsync(IReadOnlyCollection<string> ids, string claimant, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(ids);
        if (ids.Count == 0)
        {
            return Task.CompletedTask;
        }

        return database.WriteAsync(
            "dead-letters.release",
            async (connection, transaction, ct) =>
            {
                await using var command = connection.CreateCommand();
                command.Transaction = transaction;
                command.CommandText = $"UPDATE {T} SET claimed_by = NULL, claimed_until = NULL WHERE id = $id AND claimed_by = $claimant;";
                var parameter = command.Parameters.Add("$id", SqliteType.Text);
                command.Parameters.AddWithValue("$claimant", claimant);
                foreach (var id in ids.Distinct(StringComparer.Ordinal))
                {
                    parameter.Value = id;
                    await command.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
                }

                return true;
            },
            cancellationToken);
    }

    public Task<IReadOnlyDictionary<string, DeadLetter>> GetManyAsync(IReadOnlyCollection<string> ids, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(ids);
        if (ids.Count == 0)
        {
            return Task.FromResult<IReadOnlyDictionary<string, DeadLetter>>(new Dictionary<string, DeadLetter>(StringComparer.Ordinal));
        }

        return database.ReadAsync<IReadOnlyDictionary<string, DeadLetter>>(
            "dead-letters.get",
            async (connection, ct) =>
            {
                var found = new Dictionary<string, DeadLetter>(ids.Count, StringComparer.Ordinal);
                await using var command = connection.CreateCommand();
                command.CommandText = $"SELECT {Columns} FROM {T} WHERE id = $id;";
                var parameter = command.Parameters.Add("$id", SqliteType.Text);
                foreach (var id in ids)
                {
                    parameter.Value = id;
                    await using var reader = await command.ExecuteReaderAsync(ct).ConfigureAwait(false);
                    if (await reader.ReadAsync(ct).ConfigureAwait(false))
                    {
                        found[id] = Read(reader);
                    }
                }

                return found;
            },
            cancellationToken);
    }

    public async IAsyncEnumerable<DeadLetter> ListAsync(DeadLetterQuery query, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        var remaining = query.Limit ?? int.MaxValue;
        (string At, string Id)? after = null;
        while (remaining > 0)
        {
            var size = Math.Min(ListPageSize, remaining);
            var page = await database.ReadAsync(
                "dead-letters.list",
                async (connection, ct) =>
                {
                    await using var command = connection.CreateCommand();
                    command.CommandText = $"""
                        SELECT {Columns} FROM {T}
                        WHERE ($flow IS NULL OR flow = $flow)
                          AND ($status IS NULL OR status = $status)
                          AND ($afterAt IS NULL OR first_failed_at > $afterAt OR (first_failed_at = $afterAt AND id > $afterId))
                        ORDER BY first_failed_at, id
                        LIMIT $limit;
                        """;
                    command.Parameters.AddWithValue("$flow", SqliteValues.OrDbNull(query.Flow));
                    command.Parameters.AddWithValue("$status", query.Status is { } status ? StatusText(status) : DBNull.Value);
                    command.Parameters.AddWithValue("$afterAt", SqliteValues.OrDbNull(after?.At));
                    command.Parameters.AddWithValue("$afterId", SqliteValues.OrDbNull(after?.Id));
                    command.Parameters.AddWithValue("$limit", size);
                    var entries = new List<DeadLetter>(size);
                    await using var reader = await command.ExecuteReaderAsync(ct).ConfigureAwait(false);
                    while (await reader.ReadAsync(ct).ConfigureAwait(false))
                    {
                        entries.Add(Read(reader));
                    }

                    return entries;
                },
                cancellationToken).ConfigureAwait(false);

            foreach (var entry in page)
            {
                yield return entry;
            }

            if (page.Count < size)
            {
                yield break;
            }

            remaining -= page.Count;
            after = (SqliteValues.ToText(page[^1].FirstFailedAt), page[^1].Id);
        }
    }

    public Task ResolveAsync(IReadOnlyList<DeadLetterResolution> resolutions, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(resolutions);
        if (resolutions.Count == 0)
        {
            return Task.CompletedTask;
        }

        return database.WriteAsync(
            "dead-letters.resolve",
            async (connection, transaction, ct) =>
            {
                await ResolveAsync(connection, transaction, resolutions, ct).ConfigureAwait(false);
                return true;
            },
            cancellationToken);
    }

    /// <summary>Adds or replaces entries inside <paramref name="transaction"/>.</summary>
    internal static async Task SaveAsync(SqliteConnection connection, SqliteTransaction transaction, IReadOnlyList<DeadLetter> deadLetters, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = $"""
            INSERT OR REPLACE INTO {T} ({Columns})
            VALUES ($id, $flow, $sourceSystem, $sourceExternalId, $canonicalId, $targetSystem, $category, $reason, $payload, $correlationId, $status, $attempts, $firstFailedAt, $lastFailedAt, $resolvedAt);
            """;
        var p = command.Parameters;
        var id = p.Add("$id", SqliteType.Text);
        var flow = p.Add("$flow", SqliteType.Text);
        var sourceSystem = p.Add("$sourceSystem", SqliteType.Text);
        var sourceExternalId = p.Add("$sourceExternalId", SqliteType.Text);
        var canonicalId = p.Add("$canonicalId", SqliteType.Text);
        var targetSystem = p.Add("$targetSystem", SqliteType.Text);
        var category = p.Add("$category", SqliteType.Text);
        var reason = p.Add("$reason", SqliteType.Text);
        var payload = p.Add("$payload", SqliteType.Text);
        var correlationId = p.Add("$correlationId", SqliteType.Text);
        var status = p.Add("$status", SqliteType.Text);
        var attempts = p.Add("$attempts", SqliteType.Integer);
        var firstFailedAt = p.Add("$firstFailedAt", SqliteType.Text);
        var lastFailedAt = p.Add("$lastFailedAt", SqliteType.Text);
        var resolvedAt = p.Add("$resolvedAt", SqliteType.Text);
        foreach (var entry in deadLetters)
        {
            ArgumentException.ThrowIfNullOrEmpty(entry.Id);
            id.Value = entry.Id;
            flow.Value = entry.Flow;
            sourceSystem.Value = entry.SourceSystem;
            sourceExternalId.Value = entry.SourceExternalId;
            canonicalId.Value = SqliteValues.OrDbNull(entry.CanonicalId);
            targetSystem.Value = SqliteValues.OrDbNull(entry.TargetSystem);
            category.Value = entry.Category.ToString();
            reason.Value = entry.Reason;
            payload.Value = entry.Payload;
            correlationId.Value = entry.CorrelationId;
            status.Value = StatusText(entry.Status);
            attempts.Value = entry.Attempts;
            firstFailedAt.Value = SqliteValues.ToText(entry.FirstFailedAt);
            lastFailedAt.Value = SqliteValues.ToText(entry.LastFailedAt);
            resolvedAt.Value = entry.ResolvedAt is { } at ? SqliteValues.ToText(at) : DBNull.Value;
            await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Closes the open entries among <paramref name="resolutions"/> inside <paramref name="transaction"/>.</summary>
    internal static async Task ResolveAsync(SqliteConnection connection, SqliteTransaction transaction, IReadOnlyList<DeadLetterResolution> resolutions, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = $"UPDATE {T} SET status = $status, resolved_at = $at WHERE id = $id AND status IN ('deferred', 'dead_lettered');";
        var id = command.Parameters.Add("$id", SqliteType.Text);
        var status = command.Parameters.Add("$status", SqliteType.Text);
        var at = command.Parameters.Add("$at", SqliteType.Text);
        foreach (var resolution in resolutions)
        {
            if (resolution.Status is not (DeadLetterStatus.Resolved or DeadLetterStatus.Discarded))
            {
                throw new ArgumentException($"A dead letter is closed as {nameof(DeadLetterStatus.Resolved)} or {nameof(DeadLetterStatus.Discarded)}, not {resolution.Status}.", nameof(resolutions));
            }

            id.Value = resolution.Id;
            status.Value = StatusText(resolution.Status);
            at.Value = SqliteValues.ToText(resolution.At);
            await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    private static DeadLetter Read(SqliteDataReader reader) => new()
    {
        Id = reader.GetString(0),
        Flow = reader.GetString(1),
        SourceSystem = reader.GetString(2),
        SourceExternalId = reader.GetString(3),
        CanonicalId = reader.IsDBNull(4) ? null : reader.GetString(4),
        TargetSystem = reader.IsDBNull(5) ? null : reader.GetString(5),
        Category = Enum.Parse<ErrorCategory>(reader.GetString(6)),
        Reason = reader.GetString(7),
        Payload = reader.GetString(8),
        CorrelationId = reader.GetString(9),
        Status = ParseStatus(reader.GetString(10)),
        Attempts = reader.GetInt32(11),
        FirstFailedAt = SqliteValues.ToDateTimeOffset(reader.GetString(12)),
        LastFailedAt = SqliteValues.ToDateTimeOffset(reader.GetString(13)),
        ResolvedAt = reader.IsDBNull(14) ? null : SqliteValues.ToDateTimeOffset(reader.GetString(14)),
    };

    private static string StatusText(DeadLetterStatus status) => status switch
    {
        DeadLetterStatus.Deferred => "deferred",
        DeadLetterStatus.DeadLettered => "dead_lettered",
        DeadLetterStatus.Resolved => "resolved",
        DeadLetterStatus.Discarded => "discarded",
        _ => throw new ArgumentOutOfRangeException(nameof(status), status, "Unknown dead-letter status."),
    };

    private static DeadLetterStatus ParseStatus(string text) => text switch
    {
        "deferred" => DeadLetterStatus.Deferred,
        "dead_lettered" => DeadLetterStatus.DeadLettered,
        "resolved" => DeadLetterStatus.Resolved,
        "discarded" => DeadLetterStatus.Discarded,
        _ => throw new ConcordException(ErrorCategory.ContractViolation, $"The SQLite dead-letter table holds an unknown status '{text}'.") { System = SqliteErrors.System, Operation = "dead-letters.read" },
    };
}
