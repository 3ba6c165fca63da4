using System.Runtime.CompilerServices;
using System.Text.Json;
using Concord.Storage.PostgreSql.Infrastructure;
using Concord.Sync.Audit;
using Npgsql;

namespace Concord.Storage.PostgreSql.Audit;

/// <summary><see cref="IAuditLog"/> on the shared PostgreSQL schema: append-only, a page in one statement; an entry whose id is already stored is not appended twice.</summary>
internal sealed class PostgreSqlAuditLog(PostgreSqlDatabase database) : IAuditLog
{
    private const int PageSize = 500;
    private const string T = PostgreSqlAuditSchema.Table;
    private const string Columns =
        "id, at, flow, source_system, source_external_id, target_system, target_external_id, canonical_id, actor, correlation_id, outcome, fields_changed, fields_refused, detail";

    public Task AppendAsync(IReadOnlyList<AuditEntry> entries, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(entries);
        if (entries.Count == 0)
        {
            return Task.CompletedTask;
        }

        return database.WriteAsync(
            "audit.append",
            async (connection, transaction, ct) =>
            {
                await AppendAsync(database, connection, transaction, entries, ct).ConfigureAwait(false);
                return true;
            },
            cancellationToken);
    }

    public async IAsyncEnumerable<AuditEntry> QueryAsync(AuditQuery query, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        var remaining = query.Limit ?? int.MaxValue;
        long after = 0;
        while (remaining > 0)
        {
            var size = Math.Min(PageSize, remaining);
            var page = await database.ReadAsync(
                "audit.query",
                async (connection, ct) =>
                {
                    await using var command = new NpgsqlCommand(database.Sql($"""
                        SELECT seq, {Columns} FROM {T}
                        WHERE seq > @after
                          AND (@flow::text IS NULL OR flow = @flow)
                          AND (@canonicalId::text IS NULL OR canonical_id = @canonicalId)
                          AND (@correlationId::text IS NULL OR correlation_id = @correlationId)
                          AND (@since::timestamptz IS NULL OR at >= @since)
                        ORDER BY seq
                        LIMIT @limit;
                        """), connection);
                    command.Parameters.AddWithValue("after", after);
                    command.Parameters.Add(PostgreSqlValues.Text("flow", query.Flow));
                    command.Parameters.Add(PostgreSqlValues.Text("canonicalId", query.CanonicalId));
                    command.Parameters.Add(PostgreSqlValues.Text("correlationId", query.CorrelationId));
                    command.Parameters.Add(PostgreSqlValues.NullableTime("since", query.Since));
                    command.Parameters.AddWithValue("limit", size);
                    var entries = new List<(long Seq, AuditEntry Entry)>(size);
                    await using var reader = await command.ExecuteReaderAsync(ct).ConfigureAwait(false);
                    while (await reader.ReadAsync(ct).ConfigureAwait(false))
                    {
                        entries.Add((reader.GetInt64(0), Read(reader)));
                    }

                    return entries;
                },
                cancellationToken).ConfigureAwait(false);

            foreach (var (_, entry) in page)
            {
                yield return entry;
            }

            if (page.Count < size)
            {
                yield break;
            }

            remaining -= page.Count;
            after = page[^1].Seq;
        }
    }

    /// <summary>Appends entries inside <paramref name="transaction"/>, in their order and in one statement; ids already stored are skipped.</summary>
    internal static async Task AppendAsync(PostgreSqlDatabase database, NpgsqlConnection connection, NpgsqlTransaction transaction, IReadOnlyList<AuditEntry> entries, CancellationToken cancellationToken)
    {
        foreach (var entry in entries)
        {
            ArgumentException.ThrowIfNullOrEmpty(entry.Id);
        }

        // text[] columns cannot be unnested as a 2-D array; the changed fields travel as one JSON array per entry.
        await using var command = new NpgsqlCommand(database.Sql($"""
            INSERT INTO {T} ({Columns})
            SELECT id, at, flow, source_system, source_external_id, target_system, target_external_id, canonical_id, actor, correlation_id, outcome,
                   CASE WHEN fields_changed IS NULL THEN NULL ELSE ARRAY(SELECT jsonb_array_elements_text(fields_changed::jsonb)) END,
                   fields_refused, detail
            FROM unnest(@id, @at, @flow, @sourceSystem, @sourceExternalId, @targetSystem, @targetExternalId, @canonicalId, @actor, @correlationId, @outcome, @fieldsChanged, @fieldsRefused, @detail)
                 WITH ORDINALITY AS e(id, at, flow, source_system, source_external_id, target_system, target_external_id, canonical_id, actor, correlation_id, outcome, fields_changed, fields_refused, detail, n)
            ORDER BY n
            ON CONFLICT (id) DO NOTHING;
            """), connection, transaction);
        var p = command.Parameters;
        p.Add(PostgreSqlValues.Texts("id", [.. entries.Select(e => e.Id)]));
        p.Add(PostgreSqlValues.Times("at", [.. entries.Select(e => e.At)]));
        p.Add(PostgreSqlValues.Texts("flow", [.. entries.Select(e => e.Flow)]));
        p.Add(PostgreSqlValues.Texts("sourceSystem", [.. entries.Select(e => e.SourceSystem)]));
        p.Add(PostgreSqlValues.Texts("sourceExternalId", [.. entries.Select(e => e.SourceExternalId)]));
        p.Add(PostgreSqlValues.Texts("targetSystem", [.. entries.Select(e => e.TargetSystem)]));
        p.Add(PostgreSqlValues.Texts("targetExternalId", [.. entries.Select(e => e.TargetExternalId)]));
        p.Add(PostgreSqlValues.Texts("canonicalId", [.. entries.Select(e => e.CanonicalId)]));
        p.Add(PostgreSqlValues.Texts("actor", [.. entries.Select(e => e.Actor)]));
        p.Add(PostgreSqlValues.Texts("correlationId", [.. entries.Select(e => e.CorrelationId)]));
        p.Add(PostgreSqlValues.Texts("outcome", [.. entries.Select(e => e.Outcome.ToString())]));
        p.Add(PostgreSqlValues.Texts("fieldsChanged", [.. entries.Select(e => e.FieldsChanged.IsDefaultOrEmpty ? null : JsonSerializer.Serialize(e.FieldsChanged.ToArray(), Writes.PostgreSqlWriteLedgerJsonContext.Default.StringArray))]));
        p.Add(PostgreSqlValues.Texts("fieldsRefused", [.. entries.Select(e => e.FieldsRefused.IsDefaultOrEmpty ? null : JsonSerializer.Serialize(e.FieldsRefused.ToArray(), PostgreSqlAuditJsonContext.Default.RefusedChangeArray))]));
        p.Add(PostgreSqlValues.Texts("detail", [.. entries.Select(e => e.Detail)]));
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    // Column offsets are shifted by one: column 0 is seq.
    private static AuditEntry Read(NpgsqlDataReader reader) => new()
    {
        Id = reader.GetString(1),
        At = reader.GetFieldValue<DateTimeOffset>(2),
        Flow = reader.GetString(3),
        SourceSystem = reader.GetString(4),
        SourceExternalId = reader.IsDBNull(5) ? null : reader.GetString(5),
        TargetSystem = reader.IsDBNull(6) ? null : reader.GetString(6),
        TargetExternalId = reader.IsDBNull(7) ? null : reader.GetString(7),
        CanonicalId = reader.IsDBNull(8) ? null : reader.GetString(8),
        Actor = reader.GetString(9),
        CorrelationId = reader.GetString(10),
        Outcome = Enum.Parse<AuditOutcome>(reader.GetString(11)),
        FieldsChanged = reader.IsDBNull(12) ? [] : [.. reader.GetFieldValue<string[]>(12)],
        FieldsRefused = reader.IsDBNull(13)
            ? []
            : [.. JsonSerializer.Deserialize(reader.GetString(13), PostgreSqlAuditJsonContext.Default.RefusedChangeArray) ?? []],
        Detail = reader.IsDBNull(14) ? null : reader.GetString(14),
    };
}
