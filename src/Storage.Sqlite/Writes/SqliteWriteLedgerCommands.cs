using System.Collections.Immutable;
using System.Text.Json;
using Concord.Canonical.Connectors;
using Concord.Canonical.Idempotency;
using Concord.Storage.Sqlite.Infrastructure;
using Concord.Sync.Audit;
using Concord.Sync.Storage;
using Microsoft.Data.Sqlite;

namespace Concord.Storage.Sqlite.Writes;

/// <summary>
/// The write ledger's statements inside one transaction, prepared once and reused for every link of a page: read a row,
/// take a lease, record an intent or a result, settle, and read, write and delete key locks. The rules themselves are
/// <see cref="WriteLedgerTransitions"/>; each statement applies one of them to the columns it changes.
/// </summary>
internal sealed class SqliteWriteLedgerCommands : IAsyncDisposable
{
    private const string T = SqliteWriteLedgerSchema.Table;
    private const string L = SqliteWriteLedgerSchema.Locks;
    private const string Columns = "canonical_id, target, lease_token, lease_expires_at, locked_keys, versions, written_payload, pending, pending_payload, pending_before, pending_external_id, pending_result, updated_at";

    private static readonly SqliteWriteLedgerJsonContext Json = SqliteWriteLedgerJsonContext.Default;

    private readonly SqliteConnection _connection;
    private readonly SqliteTransaction? _transaction;
    private readonly List<SqliteCommand> _commands = [];
    private SqliteCommand? _read;
    private SqliteCommand? _readLock;
    private SqliteCommand? _writeLock;
    private SqliteCommand? _deleteLocks;
    private SqliteCommand? _takeLease;
    private SqliteCommand? _recordIntent;
    private SqliteCommand? _recordResult;
    private SqliteCommand? _readForSettle;
    private SqliteCommand? _settle;

    public SqliteWriteLedgerCommands(SqliteConnection connection, SqliteTransaction? transaction)
    {
        _connection = connection;
        _transaction = transaction;
    }

    public async Task<WriteLedgerEntry?> ReadAsync(string canonicalId, string target, CancellationToken cancellationToken)
    {
        _read ??= Create($"SELECT {Columns} FROM {T} WHERE canonical_id = $canonicalId AND target = $target;", "$canonicalId", "$target");
        _read.Parameters[0].Value = canonicalId;
        _read.Parameters[1].Value = target;
        await using var reader = await _read.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        return await reader.ReadAsync(cancellationToken).ConfigureAwait(false) ? ReadEntry(reader) : null;
    }

    /// <summary>The canonical ids among <paramref name="canonicalIds"/> whose link to <paramref name="target"/> has a pending write, in one statement.</summary>
    public async Task<IReadOnlySet<string>> FindPendingAsync(string target, IReadOnlyList<string> canonicalIds, CancellationToken cancellationToken)
    {
        var command = Create(
            $"SELECT canonical_id FROM {T} WHERE target = $target AND pending IS NOT NULL AND canonical_id IN (SELECT value FROM json_each($ids));",
            "$target", "$ids");
        command.Parameters[0].Value = target;
        command.Parameters[1].Value = JsonSerializer.Serialize(canonicalIds as string[] ?? [.. canonicalIds], Json.StringArray);
        var pending = new HashSet<string>(StringComparer.Ordinal);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            pending.Add(reader.GetString(0));
        }

        return pending;
    }

    /// <summary>Writes the lease of an acquired entry (<see cref="WriteLedgerTransitions.Acquire"/> changes nothing else), creating the row for a link never written.</summary>
    public async Task TakeLeaseAsync(WriteLedgerEntry entry, CancellationToken cancellationToken)
    {
        _takeLease ??= Create(
            $"""
            INSERT INTO {T} (canonical_id, target, lease_token, lease_expires_at, locked_keys, versions, updated_at)
            VALUES ($canonicalId, $target, $leaseToken, $leaseExpiresAt, $lockedKeys, '[]', $updatedAt)
            ON CONFLICT (canonical_id, target) DO UPDATE SET
                lease_token = excluded.lease_token, lease_expires_at = excluded.lease_expires_at, locked_keys = excluded.locked_keys, updated_at = excluded.updated_at;
            """,
            "$canonicalId", "$target", "$leaseToken", "$leaseExpiresAt", "$lockedKeys", "$updatedAt");
        var p = _takeLease.Parameters;
        p[0].Value = entry.CanonicalId;
        p[1].Value = entry.Target;
        p[2].Value = entry.LeaseToken is { } token ? SqliteValues.ToText(token) : DBNull.Value;
        p[3].Value = entry.LeaseExpiresAt is { } expires ? SqliteValues.ToText(expires) : DBNull.Value;
        p[4].Value = entry.LockedKeys.IsEmpty ? DBNull.Value : JsonSerializer.Serialize(entry.LockedKeys.ToArray(), Json.StringArray);
        p[5].Value = SqliteValues.ToText(entry.UpdatedAt);
        await _takeLease.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// <see cref="WriteLedgerTransitions.RecordIntent"/> as one statement: the intent becomes the pending write when its
    /// token holds the link. Returns whether it was recorded.
    /// </summary>
    public async Task<bool> RecordIntentAsync(WriteIntent intent, CancellationToken cancellationToken)
    {
        _recordIntent ??= Create(
            $"""
            UPDATE {T} SET pending = $pending, pending_payload = $payload, pending_before = $before, pending_external_id = $externalId,
                pending_result = $result, updated_at = $updatedAt
            WHERE canonical_id = $canonicalId AND target = $target AND lease_token = $token;
            """,
            "$pending", "$payload", "$before", "$externalId", "$result", "$updatedAt", "$canonicalId", "$target", "$token");
        var p = _recordIntent.Parameters;
        p[0].Value = JsonSerializer.Serialize(ToStored(intent), Json.StoredIntent);
        p[1].Value = intent.Payload;
        p[2].Value = SqliteValues.OrDbNull(intent.Before);
        p[3].Value = SqliteValues.OrDbNull(intent.ExternalId);
        p[4].Value = SqliteValues.OrDbNull(intent.Result?.ToString());
        p[5].Value = SqliteValues.ToText(intent.RecordedAt);
        p[6].Value = intent.CanonicalId;
        p[7].Value = intent.Target;
        p[8].Value = SqliteValues.ToText(intent.LeaseToken);
        return await _recordIntent.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) == 1;
    }

    /// <summary><see cref="WriteLedgerTransitions.RecordResult"/> as one statement: only the pending write of the lease that holds the link takes it.</summary>
    public async Task RecordResultAsync(WriteResult result, DateTimeOffset now, CancellationToken cancellationToken)
    {
        _recordResult ??= Create(
            $"""
            UPDATE {T} SET pending_external_id = $externalId, pending_result = $result, updated_at = $updatedAt
            WHERE canonical_id = $canonicalId AND target = $target AND lease_token = $token
              AND pending IS NOT NULL AND json_extract(pending, '$.leaseToken') = $token;
            """,
            "$externalId", "$result", "$updatedAt", "$canonicalId", "$target", "$token");
        var p = _recordResult.Parameters;
        p[0].Value = result.ExternalId;
        p[1].Value = result.Outcome.ToString();
        p[2].Value = SqliteValues.ToText(now);
        p[3].Value = result.CanonicalId;
        p[4].Value = result.Target;
        p[5].Value = SqliteValues.ToText(result.LeaseToken);
        await _recordResult.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// <see cref="WriteLedgerTransitions.Settle"/> without reading or rewriting the payloads: the rule is applied to the
    /// lease and versions read here, and the payload columns follow it (a committed or completed holder's payload becomes
    /// the written one; a holder that does not release clears the pending write).
    /// </summary>
    public async Task SettleAsync(WriteSettlement settlement, DateTimeOffset now, CancellationToken cancellationToken)
    {
        _readForSettle ??= Create($"SELECT lease_token, lease_expires_at, locked_keys, versions, updated_at FROM {T} WHERE canonical_id = $canonicalId AND target = $target;", "$canonicalId", "$target");
        _readForSettle.Parameters[0].Value = settlement.CanonicalId;
        _readForSettle.Parameters[1].Value = settlement.Target;
        WriteLedgerEntry current;
        await using (var reader = await _readForSettle.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
        {
            if (!await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                return;
            }

            current = new WriteLedgerEntry
            {
                CanonicalId = settlement.CanonicalId,
                Target = settlement.Target,
                LeaseToken = reader.IsDBNull(0) ? null : SqliteValues.ToGuid(reader.GetString(0)),
                LeaseExpiresAt = reader.IsDBNull(1) ? null : SqliteValues.ToDateTimeOffset(reader.GetString(1)),
                LockedKeys = reader.IsDBNull(2) ? [] : [.. JsonSerializer.Deserialize(reader.GetString(2), Json.StringArray) ?? []],
                Versions = [.. (JsonSerializer.Deserialize(reader.GetString(3), Json.StoredVersionArray) ?? []).Select(FromStored)],
                UpdatedAt = SqliteValues.ToDateTimeOffset(reader.GetString(4)),
            };
        }

        if (WriteLedgerTransitions.Settle(current, settlement, now) is not { } next)
        {
            return;
        }

        var holds = current.LeaseToken == settlement.LeaseToken;
        if (holds && next.LeaseToken is null && !current.LockedKeys.IsEmpty)
        {
            await DeleteLocksAsync(settlement.LeaseToken, cancellationToken).ConfigureAwait(false);
        }

        _settle ??= Create(
            $"""
            UPDATE {T} SET lease_token = $leaseToken, lease_expires_at = $leaseExpiresAt, locked_keys = $lockedKeys, versions = $versions,
                written_payload = COALESCE($writtenPayload, written_payload),
                pending = CASE WHEN $clearPending = 1 THEN NULL ELSE pending END,
                pending_payload = CASE WHEN $clearPending = 1 THEN NULL ELSE pending_payload END,
                pending_before = CASE WHEN $clearPending = 1 THEN NULL ELSE pending_before END,
                pending_external_id = CASE WHEN $clearPending = 1 THEN NULL ELSE pending_external_id END,
                pending_result = CASE WHEN $clearPending = 1 THEN NULL ELSE pending_result END,
                updated_at = $updatedAt
            WHERE canonical_id = $canonicalId AND target = $target;
            """,
            "$leaseToken", "$leaseExpiresAt", "$lockedKeys", "$versions", "$writtenPayload", "$clearPending", "$updatedAt", "$canonicalId", "$target");
        var p = _settle.Parameters;
        p[0].Value = next.LeaseToken is { } token ? SqliteValues.ToText(token) : DBNull.Value;
        p[1].Value = next.LeaseExpiresAt is { } expires ? SqliteValues.ToText(expires) : DBNull.Value;
        p[2].Value = next.LockedKeys.IsEmpty ? DBNull.Value : JsonSerializer.Serialize(next.LockedKeys.ToArray(), Json.StringArray);
        p[3].Value = JsonSerializer.Serialize([.. next.Versions.Select(ToStored)], Json.StoredVersionArray);
        p[4].Value = holds && settlement.Kind is WriteSettlementKind.Committed or WriteSettlementKind.Completed ? SqliteValues.OrDbNull(settlement.Payload) : DBNull.Value;
        p[5].Value = holds && settlement.Kind != WriteSettlementKind.Released ? 1 : 0;
        p[6].Value = SqliteValues.ToText(next.UpdatedAt);
        p[7].Value = settlement.CanonicalId;
        p[8].Value = settlement.Target;
        await _settle.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    public async Task<MatchKeyLock?> ReadLockAsync(string target, string key, CancellationToken cancellationToken)
    {
        _readLock ??= Create($"SELECT canonical_id, lease_token, expires_at FROM {L} WHERE target = $target AND match_key = $key;", "$target", "$key");
        _readLock.Parameters[0].Value = target;
        _readLock.Parameters[1].Value = key;
        await using var reader = await _readLock.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        return await reader.ReadAsync(cancellationToken).ConfigureAwait(false)
            ? new MatchKeyLock(target, key, reader.GetString(0), SqliteValues.ToGuid(reader.GetString(1)), SqliteValues.ToDateTimeOffset(reader.GetString(2)))
            : null;
    }

    public async Task WriteLockAsync(MatchKeyLock held, CancellationToken cancellationToken)
    {
        _writeLock ??= Create(
            $"INSERT OR REPLACE INTO {L} (target, match_key, canonical_id, lease_token, expires_at) VALUES ($target, $key, $canonicalId, $token, $expiresAt);",
            "$target", "$key", "$canonicalId", "$token", "$expiresAt");
        var p = _writeLock.Parameters;
        p[0].Value = held.Target;
        p[1].Value = held.Key;
        p[2].Value = held.CanonicalId;
        p[3].Value = SqliteValues.ToText(held.LeaseToken);
        p[4].Value = SqliteValues.ToText(held.ExpiresAt);
        await _writeLock.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    public async Task DeleteLocksAsync(Guid token, CancellationToken cancellationToken)
    {
        _deleteLocks ??= Create($"DELETE FROM {L} WHERE lease_token = $token;", "$token");
        _deleteLocks.Parameters[0].Value = SqliteValues.ToText(token);
        await _deleteLocks.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var command in _commands)
        {
            await command.DisposeAsync().ConfigureAwait(false);
        }
    }

    private SqliteCommand Create(string sql, params string[] parameters)
    {
        var command = _connection.CreateCommand();
        command.Transaction = _transaction;
        command.CommandText = sql;
        foreach (var name in parameters)
        {
            command.Parameters.Add(name, SqliteType.Text);
        }

        _commands.Add(command);
        return command;
    }

    private static WriteLedgerEntry ReadEntry(SqliteDataReader reader)
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
                LeaseToken = SqliteValues.ToGuid(stored.LeaseToken),
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
            LeaseToken = reader.IsDBNull(2) ? null : SqliteValues.ToGuid(reader.GetString(2)),
            LeaseExpiresAt = reader.IsDBNull(3) ? null : SqliteValues.ToDateTimeOffset(reader.GetString(3)),
            LockedKeys = reader.IsDBNull(4) ? [] : [.. JsonSerializer.Deserialize(reader.GetString(4), Json.StringArray) ?? []],
            Versions = [.. versions.Select(FromStored)],
            WrittenPayload = reader.IsDBNull(6) ? null : reader.GetString(6),
            Pending = pending,
            UpdatedAt = SqliteValues.ToDateTimeOffset(reader.GetString(12)),
        };
    }

    private static StoredIntent ToStored(WriteIntent intent) => new(
        SqliteValues.ToText(intent.LeaseToken),
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
