using System.Text.Json;
using Concord.Canonical.Connectors;
using Concord.Canonical.Idempotency;
using Concord.Storage.PostgreSql.Infrastructure;
using Concord.Sync.Audit;
using Concord.Sync.Storage;
using Npgsql;
using NpgsqlTypes;

namespace Concord.Storage.PostgreSql.Writes;

/// <summary>
/// The write ledger's rows a page at a time: the links and key locks of a page are read in one statement each, and what the
/// page's decisions change is written in one <see cref="NpgsqlBatch"/> (one round trip, its statements in decision order).
/// The rules are <see cref="WriteLedgerTransitions"/>; callers hold the advisory locks of the links and keys they decide about
/// (<see cref="LinkLock"/>, <see cref="KeyLock"/>).
/// </summary>
internal sealed class PostgreSqlWriteLedgerRows(PostgreSqlDatabase database, NpgsqlConnection connection, NpgsqlTransaction? transaction)
{
    private const string T = PostgreSqlWriteLedgerSchema.Table;
    private const string L = PostgreSqlWriteLedgerSchema.Locks;
    private const string Columns = "canonical_id, target, lease_token, lease_expires_at, locked_keys, versions, written_payload, pending, pending_payload, pending_before, pending_external_id, pending_result, updated_at";

    private static readonly PostgreSqlWriteLedgerJsonContext Json = PostgreSqlWriteLedgerJsonContext.Default;

    private readonly List<NpgsqlBatchCommand> _writes = [];

    public static string LinkLock(string canonicalId, string target) => $"writes:{target}\n{canonicalId}";

    public static string KeyLock(string target, string key) => $"write-locks:{target}\n{key}";

    public async Task<Dictionary<(string CanonicalId, string Target), WriteLedgerEntry>> ReadAsync(IEnumerable<(string CanonicalId, string Target)> links, CancellationToken cancellationToken)
    {
        var distinct = links.Distinct().ToArray();
        var found = new Dictionary<(string, string), WriteLedgerEntry>(distinct.Length);
        if (distinct.Length == 0)
        {
            return found;
        }

        await using var command = new NpgsqlCommand(
            database.Sql($"SELECT {Columns.Replace("canonical_id, target", "w.canonical_id, w.target", StringComparison.Ordinal)} FROM {T} AS w JOIN unnest(@ids, @targets) AS r(canonical_id, target) ON w.canonical_id = r.canonical_id AND w.target = r.target;"),
            connection,
            transaction);
        command.Parameters.Add(PostgreSqlValues.Texts("ids", [.. distinct.Select(l => l.CanonicalId)]));
        command.Parameters.Add(PostgreSqlValues.Texts("targets", [.. distinct.Select(l => l.Target)]));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            var entry = ReadEntry(reader);
            found[(entry.CanonicalId, entry.Target)] = entry;
        }

        return found;
    }

    public async Task<Dictionary<(string Target, string Key), MatchKeyLock>> ReadLocksAsync(IEnumerable<(string Target, string Key)> keys, CancellationToken cancellationToken)
    {
        var distinct = keys.Distinct().ToArray();
        var found = new Dictionary<(string, string), MatchKeyLock>(distinct.Length);
        if (distinct.Length == 0)
        {
            return found;
        }

        await using var command = new NpgsqlCommand(
            database.Sql($"SELECT l.target, l.match_key, l.canonical_id, l.lease_token, l.expires_at FROM {L} AS l JOIN unnest(@targets, @keys) AS r(target, match_key) ON l.target = r.target AND l.match_key = r.match_key;"),
            connection,
            transaction);
        command.Parameters.Add(PostgreSqlValues.Texts("targets", [.. distinct.Select(k => k.Target)]));
        command.Parameters.Add(PostgreSqlValues.Texts("keys", [.. distinct.Select(k => k.Key)]));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            var held = new MatchKeyLock(reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetGuid(3), reader.GetFieldValue<DateTimeOffset>(4));
            found[(held.Target, held.Key)] = held;
        }

        return found;
    }

    public async Task<IReadOnlySet<string>> FindPendingAsync(string target, IReadOnlyList<string> canonicalIds, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(database.Sql($"SELECT canonical_id FROM {T} WHERE target = @target AND pending IS NOT NULL AND canonical_id = ANY(@ids);"), connection, transaction);
        command.Parameters.AddWithValue("target", target);
        command.Parameters.Add(PostgreSqlValues.Texts("ids", [.. canonicalIds]));
        var pending = new HashSet<string>(StringComparer.Ordinal);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            pending.Add(reader.GetString(0));
        }

        return pending;
    }

    /// <summary>Queues the write of a whole entry (insert, or replace the stored row).</summary>
    public void Write(WriteLedgerEntry entry)
    {
        var command = new NpgsqlBatchCommand(database.Sql($"""
            INSERT INTO {T} ({Columns}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)
            ON CONFLICT (canonical_id, target) DO UPDATE SET
                lease_token = excluded.lease_token, lease_expires_at = excluded.lease_expires_at, locked_keys = excluded.locked_keys,
                versions = excluded.versions, written_payload = excluded.written_payload, pending = excluded.pending,
                pending_payload = excluded.pending_payload, pending_before = excluded.pending_before,
                pending_external_id = excluded.pending_external_id, pending_result = excluded.pending_result, updated_at = excluded.updated_at;
            """));
        var pending = entry.Pending;
        var p = command.Parameters;
        p.Add(Positional(NpgsqlDbType.Text, entry.CanonicalId));
        p.Add(Positional(NpgsqlDbType.Text, entry.Target));
        p.Add(Positional(NpgsqlDbType.Uuid, entry.LeaseToken));
        p.Add(Positional(NpgsqlDbType.TimestampTz, entry.LeaseExpiresAt?.ToUniversalTime()));
        p.Add(Positional(NpgsqlDbType.Array | NpgsqlDbType.Text, entry.LockedKeys.IsDefaultOrEmpty ? null : entry.LockedKeys.ToArray()));
        p.Add(Positional(NpgsqlDbType.Text, JsonSerializer.Serialize([.. entry.Versions.Select(ToStored)], Json.StoredVersionArray)));
        p.Add(Positional(NpgsqlDbType.Text, entry.WrittenPayload));
        p.Add(Positional(NpgsqlDbType.Text, pending is null ? null : JsonSerializer.Serialize(ToStored(pending), Json.StoredIntent)));
        p.Add(Positional(NpgsqlDbType.Text, pending?.Payload));
        p.Add(Positional(NpgsqlDbType.Text, pending?.Before));
        p.Add(Positional(NpgsqlDbType.Text, pending?.ExternalId));
        p.Add(Positional(NpgsqlDbType.Text, pending?.Result?.ToString()));
        p.Add(Positional(NpgsqlDbType.TimestampTz, entry.UpdatedAt.ToUniversalTime()));
        _writes.Add(command);
    }

    /// <summary>Queues the write of a key lock (insert, or replace the stored lock of the key).</summary>
    public void WriteLock(MatchKeyLock held)
    {
        var command = new NpgsqlBatchCommand(database.Sql($"""
            INSERT INTO {L} (target, match_key, canonical_id, lease_token, expires_at) VALUES ($1, $2, $3, $4, $5)
            ON CONFLICT (target, match_key) DO UPDATE SET canonical_id = excluded.canonical_id, lease_token = excluded.lease_token, expires_at = excluded.expires_at;
            """));
        command.Parameters.Add(Positional(NpgsqlDbType.Text, held.Target));
        command.Parameters.Add(Positional(NpgsqlDbType.Text, held.Key));
        command.Parameters.Add(Positional(NpgsqlDbType.Text, held.CanonicalId));
        command.Parameters.Add(Positional(NpgsqlDbType.Uuid, held.LeaseToken));
        command.Parameters.Add(Positional(NpgsqlDbType.TimestampTz, held.ExpiresAt.ToUniversalTime()));
        _writes.Add(command);
    }

    /// <summary>Queues the deletion of every key lock of a lease.</summary>
    public void DeleteLocks(Guid token)
    {
        var command = new NpgsqlBatchCommand(database.Sql($"DELETE FROM {L} WHERE lease_token = $1;"));
        command.Parameters.Add(Positional(NpgsqlDbType.Uuid, token));
        _writes.Add(command);
    }

    /// <summary>Runs the queued writes, in order, in one round trip.</summary>
    public async Task FlushAsync(CancellationToken cancellationToken)
    {
        if (_writes.Count == 0)
        {
            return;
        }

        await using var batch = new NpgsqlBatch(connection, transaction);
        foreach (var command in _writes)
        {
            batch.BatchCommands.Add(command);
        }

        _writes.Clear();
        await batch.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    private static NpgsqlParameter Positional(NpgsqlDbType type, object? value) => new() { NpgsqlDbType = type, Value = value ?? DBNull.Value };

    private static WriteLedgerEntry ReadEntry(NpgsqlDataReader reader)
    {
        var canonicalId = reader.GetString(0);
        var target = reader.GetString(1);
        var versions = JsonSerializer.Deserialize(reader.GetString(5), Json.StoredVersionArray) ?? [];
        WriteIntent? pending = null;
        if (!reader.IsDBNull(7))
        {
            var stored = JsonSerializer.Deserialize(reader.GetString(7), Json.StoredIntent)!;
            pending = new WriteIntent
            {
                CanonicalId = canonicalId,
                Target = target,
                LeaseToken = Guid.ParseExact(stored.LeaseToken, "D"),
                Flow = stored.Flow,
                Key = IdempotencyKey.From(stored.Key),
                Version = FromStored(stored.Version),
                Payload = reader.GetString(8),
                Before = reader.IsDBNull(9) ? null : reader.GetString(9),
                PlannedOutcome = Enum.Parse<AuditOutcome>(stored.PlannedOutcome),
                Adopted = stored.Adopted,
                ChangedFields = [.. stored.ChangedFields],
                ExternalId = reader.IsDBNull(10) ? null : reader.GetString(10),
                Result = reader.IsDBNull(11) ? null : Enum.Parse<UpsertOutcome>(reader.GetString(11)),
                RecordedAt = stored.RecordedAt,
            };
        }

        return new WriteLedgerEntry
        {
            CanonicalId = canonicalId,
            Target = target,
            LeaseToken = reader.IsDBNull(2) ? null : reader.GetGuid(2),
            LeaseExpiresAt = reader.IsDBNull(3) ? null : reader.GetFieldValue<DateTimeOffset>(3),
            LockedKeys = reader.IsDBNull(4) ? [] : [.. reader.GetFieldValue<string[]>(4)],
            Versions = [.. versions.Select(FromStored)],
            WrittenPayload = reader.IsDBNull(6) ? null : reader.GetString(6),
            Pending = pending,
            UpdatedAt = reader.GetFieldValue<DateTimeOffset>(12),
        };
    }

    private static StoredIntent ToStored(WriteIntent intent) => new(
        intent.LeaseToken.ToString("D"),
        intent.Flow,
        intent.Key.Value,
        ToStored(intent.Version),
        intent.PlannedOutcome.ToString(),
        intent.Adopted,
        [.. intent.ChangedFields],
        intent.RecordedAt);

    private static StoredVersion ToStored(WrittenVersion version) => new(version.SourceSystem, version.SourceVersion, version.SourceModifiedAt, version.SourceFingerprint);

    private static WrittenVersion FromStored(StoredVersion version) => new(version.Source, version.Version, version.ModifiedAt, version.Fingerprint);
}
