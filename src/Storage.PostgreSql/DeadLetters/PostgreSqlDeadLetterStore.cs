using System.Runtime.CompilerServices;
using Concord.Canonical.Errors;
using Concord.Storage.PostgreSql.Infrastructure;
using Concord.Sync.DeadLetters;
using Npgsql;
using NpgsqlTypes;

namespace Concord.Storage.PostgreSql.DeadLetters;

/// <summary><see cref="IDeadLetterStore"/> on the shared PostgreSQL schema. A page is saved or resolved in one statement; listing reads keyset pages.</summary>
internal sealed class PostgreSqlDeadLetterStore(PostgreSqlDatabase database) : IDeadLetterStore
{
    private const int ListPageSize = 200;
    private const string T = PostgreSqlDeadLetterSchema.Table;
    /// <summary>An entry may be claimed: it is open and nobody else holds a live claim on it.</summary>
    private const string ClaimableCondition =
        "status IN ('deferred', 'dead_lettered') AND (claimed_by IS NULL OR claimed_until <= @now OR claimed_by = @claimant)";

    private const string Columns =
        "id, flow, source_system, source_external_id, canonical_id, target_system, category, reason, payload, correlation_id, status, attempts, first_failed_at, last_failed_at, resolved_at";

    /// <summary>
    /// Claims the open, unclaimed (or expired) entries among <paramref name="ids"/> in one statement: the rows are locked
    /// <c>FOR UPDATE SKIP LOCKED</c>, so an instance claiming at the same moment skips them instead of waiting, and the
    /// claim condition is checked again on the locked rows.
    /// </summary>
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
                await using var command = new NpgsqlCommand(database.Sql($"""
                    UPDATE {T} SET claimed_by = @claimant, claimed_until = @until
                    WHERE id IN (
                        SELECT id FROM {T}
                        WHERE id = ANY(@ids) AND {ClaimableCondition}
                        FOR UPDATE SKIP LOCKED)
                    RETURNING {Columns};
                    """), connection, transaction);
                command.Parameters.Add(PostgreSqlValues.Texts("ids", [.. ids.Distinct(StringComparer.Ordinal)]));
                command.Parameters.AddWithValue("claimant", claimant);
                command.Parameters.Add(PostgreSqlValues.Time("now", now));
                command.Parameters.Add(PostgreSqlValues.Time("until", now + duration));
                var claimed = new List<DeadLetter>();
                await using var reader = await command.ExecuteReaderAsync(ct).ConfigureAwait(false);
                while (await reader.ReadAsync(ct).ConfigureAwait(false))
                {
                    claimed.Add(Read(reader));
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
                await using var command = new NpgsqlCommand(database.Sql($"UPDATE {T} SET claimed_by = NULL, claimed_until = NULL WHERE id = ANY(@ids) AND claimed_by = @claimant;"), connection, transaction);
                command.Parameters.Add(PostgreSqlValues.Texts("ids", [.. ids.Distinct(StringComparer.Ordinal)]));
                command.Parameters.AddWithValue("claimant", claimant);
                await command.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
                return true;
            },
            cancellationToken);
    }

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
                await SaveAsync(database, connection, transaction, deadLetters, ct).ConfigureAwait(false);
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
                await using var command = new NpgsqlCommand(database.Sql($"SELECT {Columns} FROM {T} WHERE id = ANY(@ids);"), connection);
                command.Parameters.Add(PostgreSqlValues.Texts("ids", [.. ids.Distinct(StringComparer.Ordinal)]));
                await using var reader = await command.ExecuteReaderAsync(ct).ConfigureAwait(false);
                while (await reader.ReadAsync(ct).ConfigureAwait(false))
                {
                    var entry = Read(reader);
                    found[entry.Id] = entry;
                }

                return found;
            },
            cancellationToken);
    }

    public async IAsyncEnumerable<DeadLetter> ListAsync(DeadLetterQuery query, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        var remaining = query.Limit ?? int.MaxValue;
        (DateTimeOffset At, string Id)? after = null;
        while (remaining > 0)
        {
            var size = Math.Min(ListPageSize, remaining);
            var page = await database.ReadAsync(
                "dead-letters.list",
                async (connection, ct) =>
                {
                    await using var command = new NpgsqlCommand(database.Sql($"""
                        SELECT {Columns} FROM {T}
                        WHERE (@flow::text IS NULL OR flow = @flow)
                          AND (@status::text IS NULL OR status = @status)
                          AND (@afterAt::timestamptz IS NULL OR first_failed_at > @afterAt OR (first_failed_at = @afterAt AND id > @afterId))
                        ORDER BY first_failed_at, id
                        LIMIT @limit;
                        """), connection);
                    command.Parameters.Add(PostgreSqlValues.Text("flow", query.Flow));
                    command.Parameters.Add(PostgreSqlValues.Text("status", query.Status is { } status ? StatusText(status) : null));
                    command.Parameters.Add(PostgreSqlValues.NullableTime("afterAt", after?.At));
                    command.Parameters.Add(PostgreSqlValues.Text("afterId", after?.Id));
                    command.Parameters.AddWithValue("limit", size);
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
            after = (page[^1].FirstFailedAt, page[^1].Id);
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
                await ResolveAsync(database, connection, transaction, resolutions, ct).ConfigureAwait(false);
                return true;
            },
            cancellationToken);
    }

    /// <summary>Adds or replaces entries inside <paramref name="transaction"/>, in one statement (the last entry of an id wins).</summary>
    internal static async Task SaveAsync(PostgreSqlDatabase database, NpgsqlConnection connection, NpgsqlTransaction transaction, IReadOnlyList<DeadLetter> deadLetters, CancellationToken cancellationToken)
    {
        var latest = new Dictionary<string, DeadLetter>(StringComparer.Ordinal);
        foreach (var entry in deadLetters)
        {
            ArgumentException.ThrowIfNullOrEmpty(entry.Id);
            latest[entry.Id] = entry;
        }

        var rows = latest.Values.ToArray();
        await using var command = new NpgsqlCommand(database.Sql($"""
            INSERT INTO {T} ({Columns})
            SELECT * FROM unnest(@id, @flow, @sourceSystem, @sourceExternalId, @canonicalId, @targetSystem, @category, @reason, @payload, @correlationId, @status, @attempts, @firstFailedAt, @lastFailedAt, @resolvedAt)
            ON CONFLICT (id) DO UPDATE SET
                flow = excluded.flow, source_system = excluded.source_system, source_external_id = excluded.source_external_id,
                canonical_id = excluded.canonical_id, target_system = excluded.target_system, category = excluded.category,
                reason = excluded.reason, payload = excluded.payload, correlation_id = excluded.correlation_id, status = excluded.status,
                attempts = excluded.attempts, first_failed_at = excluded.first_failed_at, last_failed_at = excluded.last_failed_at,
                resolved_at = excluded.resolved_at;
            """), connection, transaction);
        var p = command.Parameters;
        p.Add(PostgreSqlValues.Texts("id", [.. rows.Select(e => e.Id)]));
        p.Add(PostgreSqlValues.Texts("flow", [.. rows.Select(e => e.Flow)]));
        p.Add(PostgreSqlValues.Texts("sourceSystem", [.. rows.Select(e => e.SourceSystem)]));
        p.Add(PostgreSqlValues.Texts("sourceExternalId", [.. rows.Select(e => e.SourceExternalId)]));
        p.Add(PostgreSqlValues.Texts("canonicalId", [.. rows.Select(e => e.CanonicalId)]));
        p.Add(PostgreSqlValues.Texts("targetSystem", [.. rows.Select(e => e.TargetSystem)]));
        p.Add(PostgreSqlValues.Texts("category", [.. rows.Select(e => e.Category.ToString())]));
        p.Add(PostgreSqlValues.Texts("reason", [.. rows.Select(e => e.Reason)]));
        p.Add(PostgreSqlValues.Texts("payload", [.. rows.Select(e => e.Payload)]));
        p.Add(PostgreSqlValues.Texts("correlationId", [.. rows.Select(e => e.CorrelationId)]));
        p.Add(PostgreSqlValues.Texts("status", [.. rows.Select(e => StatusText(e.Status))]));
        p.Add(new NpgsqlParameter<int[]>("attempts", NpgsqlDbType.Array | NpgsqlDbType.Integer) { TypedValue = [.. rows.Select(e => e.Attempts)] });
        p.Add(PostgreSqlValues.Times("firstFailedAt", [.. rows.Select(e => e.FirstFailedAt)]));
        p.Add(PostgreSqlValues.Times("lastFailedAt", [.. rows.Select(e => e.LastFailedAt)]));
        p.Add(PostgreSqlValues.NullableTimes("resolvedAt", [.. rows.Select(e => e.ResolvedAt)]));
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Closes the open entries among <paramref name="resolutions"/> inside <paramref name="transaction"/>, in one statement (the first resolution of an id wins).</summary>
    internal static async Task ResolveAsync(PostgreSqlDatabase database, NpgsqlConnection connection, NpgsqlTransaction transaction, IReadOnlyList<DeadLetterResolution> resolutions, CancellationToken cancellationToken)
    {
        var first = new Dictionary<string, DeadLetterResolution>(StringComparer.Ordinal);
        foreach (var resolution in resolutions)
        {
            if (resolution.Status is not (DeadLetterStatus.Resolved or DeadLetterStatus.Discarded))
            {
                throw new ArgumentException($"A dead letter is closed as {nameof(DeadLetterStatus.Resolved)} or {nameof(DeadLetterStatus.Discarded)}, not {resolution.Status}.", nameof(resolutions));
            }

            first.TryAdd(resolution.Id, resolution);
        }

        var rows = first.Values.ToArray();
        await using var command = new NpgsqlCommand(database.Sql($"""
            UPDATE {T} AS d SET status = r.status, resolved_at = r.at
            FROM unnest(@ids, @statuses, @ats) AS r(id, status, at)
            WHERE d.id = r.id AND d.status IN ('deferred', 'dead_lettered');
            """), connection, transaction);
        command.Parameters.Add(PostgreSqlValues.Texts("ids", [.. rows.Select(r => r.Id)]));
        command.Parameters.Add(PostgreSqlValues.Texts("statuses", [.. rows.Select(r => StatusText(r.Status))]));
        command.Parameters.Add(PostgreSqlValues.Times("ats", [.. rows.Select(r => r.At)]));
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    private static DeadLetter Read(NpgsqlDataReader reader) => new()
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
        FirstFailedAt = reader.GetFieldValue<DateTimeOffset>(12),
        LastFailedAt = reader.GetFieldValue<DateTimeOffset>(13),
        ResolvedAt = reader.IsDBNull(14) ? null : reader.GetFieldValue<DateTimeOffset>(14),
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
        _ => throw new ConcordException(ErrorCategory.ContractViolation, $"The PostgreSQL dead-letter table holds an unknown status '{text}'.") { System = PostgreSqlErrors.System, Operation = "dead-letters.read" },
    };
}
