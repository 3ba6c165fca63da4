using System.Collections.Immutable;
using System.Runtime.CompilerServices;
using System.Text.Json;
using Concord.Storage.Sqlite.Infrastructure;
using Concord.Sync.Audit;
using Microsoft.Data.Sqlite;

namespace Concord.Storage.Sqlite.Audit;

/// <summary><see cref="IAuditLog"/> on the shared SQLite file: append-only; an entry whose id is already stored is not appended twice.</summary>
internal sealed class SqliteAuditLog(SqliteDatabase database) : IAuditLog
{
    private const int PageSize = 500;
    private const string T = SqliteAuditSchema.Table;
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
                await AppendAsync(connection, transaction, entries, ct).ConfigureAwait(false);
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
                    await using var command = connection.CreateCommand();
                    command.CommandText = $"""
                        SELECT seq, {Columns} FROM {T}
                        WHERE seq > $after
                          AND ($flow IS NULL OR flow = $flow)
                          AND ($canonicalId IS NULL OR canonical_id = $canonicalId)
                          AND ($correlationId IS NULL OR correlation_id = $correlationId)
                          AND ($since IS NULL OR at >= $since)
                        ORDER BY seq
                        LIMIT $limit;
                        """;
                    command.Parameters.AddWithValue("$after", after);
                    command.Parameters.AddWithValue("$flow", SqliteValues.OrDbNull(query.Flow));
                    command.Parameters.AddWithValue("$canonicalId", SqliteValues.OrDbNull(query.CanonicalId));
                    command.Parameters.AddWithValue("$correlationId", SqliteValues.OrDbNull(query.CorrelationId));
                    command.Parameters.AddWithValue("$since", query.Since is { } since ? SqliteValues.ToText(since) : DBNull.Value);
                    command.Parameters.AddWithValue("$limit", size);
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

    /// <summary>Appends entries inside <paramref name="transaction"/>; ids already stored are skipped.</summary>
    internal static async Task AppendAsync(SqliteConnection connection, SqliteTransaction transaction, IReadOnlyList<AuditEntry> entries, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = $"""
            INSERT INTO {T} ({Columns})
            VALUES ($id, $at, $flow, $sourceSystem, $sourceExternalId, $targetSystem, $targetExternalId, $canonicalId, $actor, $correlationId, $outcome, $fieldsChanged, $fieldsRefused, $detail)
            ON CONFLICT (id) DO NOTHING;
            """;
        var p = command.Parameters;
        var id = p.Add("$id", SqliteType.Text);
        var at = p.Add("$at", SqliteType.Text);
        var flow = p.Add("$flow", SqliteType.Text);
        var sourceSystem = p.Add("$sourceSystem", SqliteType.Text);
        var sourceExternalId = p.Add("$sourceExternalId", SqliteType.Text);
        var targetSystem = p.Add("$targetSystem", SqliteType.Text);
        var targetExternalId = p.Add("$targetExternalId", SqliteType.Text);
        var canonicalId = p.Add("$canonicalId", SqliteType.Text);
        var actor = p.Add("$actor", SqliteType.Text);
        var correlationId = p.Add("$correlationId", SqliteType.Text);
        var outcome = p.Add("$outcome", SqliteType.Text);
        var fieldsChanged = p.Add("$fieldsChanged", SqliteType.Text);
        var fieldsRefused = p.Add("$fieldsRefused", SqliteType.Text);
        var detail = p.Add("$detail", SqliteType.Text);
        foreach (var entry in entries)
        {
            ArgumentException.ThrowIfNullOrEmpty(entry.Id);
            id.Value = entry.Id;
            at.Value = SqliteValues.ToText(entry.At);
            flow.Value = entry.Flow;
            sourceSystem.Value = entry.SourceSystem;
            sourceExternalId.Value = SqliteValues.OrDbNull(entry.SourceExternalId);
            targetSystem.Value = SqliteValues.OrDbNull(entry.TargetSystem);
            targetExternalId.Value = SqliteValues.OrDbNull(entry.TargetExternalId);
            canonicalId.Value = SqliteValues.OrDbNull(entry.CanonicalId);
            actor.Value = entry.Actor;
            correlationId.Value = entry.CorrelationId;
            outcome.Value = entry.Outcome.ToString();
            fieldsChanged.Value = entry.FieldsChanged.IsDefaultOrEmpty
                ? DBNull.Value
                : JsonSerializer.Serialize(entry.FieldsChanged.ToArray(), SqliteAuditJsonContext.Default.StringArray);
            fieldsRefused.Value = entry.FieldsRefused.IsDefaultOrEmpty
                ? DBNull.Value
                : JsonSerializer.Serialize(entry.FieldsRefused.ToArray(), SqliteAuditJsonContext.Default.RefusedChangeArray);
            detail.Value = SqliteValues.OrDbNull(entry.Detail);
            await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    // Column offsets are shifted by one: column 0 is seq.
    private static AuditEntry Read(SqliteDataReader reader) => new()
    {
        Id = reader.GetString(1),
        At = SqliteValues.ToDateTimeOffset(reader.GetString(2)),
        Flow = reader.GetString(3),
        SourceSystem = reader.GetString(4),
        SourceExternalId = reader.IsDBNull(5) ? null : reader.GetString(5),
        TargetSystem = reader.IsDBNull(6) ? null : reader.GetString(6),
        TargetExternalId = reader.IsDBNull(7) ? null : reader.GetString(7),
        CanonicalId = reader.IsDBNull(8) ? null : reader.GetString(8),
        Actor = reader.GetString(9),
        CorrelationId = reader.GetString(10),
        Outcome = Enum.Parse<AuditOutcome>(reader.GetString(11)),
        FieldsChanged = reader.IsDBNull(12)
            ? []
            : [.. JsonSerializer.Deserialize(reader.GetString(12), SqliteAuditJsonContext.Default.StringArray) ?? []],
        FieldsRefused = reader.IsDBNull(13)
            ? []
            : [.. JsonSerializer.Deserialize(reader.GetString(13), SqliteAuditJsonContext.Default.RefusedChangeArray) ?? []],
        Detail = reader.IsDBNull(14) ? null : reader.GetString(14),
    };
}
