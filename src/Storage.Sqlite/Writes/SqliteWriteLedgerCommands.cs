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
/// write a row, read, write and delete key locks. The rules themselves are <see cref="WriteLedgerTransitions"/>.
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
    private SqliteCommand? _upsert;
    private SqliteCommand? _readLock;
    private SqliteCommand? _writeLock;
    private SqliteCommand? _deleteLocks;

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

    public async Task UpsertAsync(WriteLedgerEntry entry, CancellationToken cancellationToken)
    {
        _upsert ??= Create(
            $"""
            INSERT INTO {T} ({Columns})
            VALUES ($canonicalId, $target, $leaseToken, $leaseExpiresAt, $lockedKeys, $versions, $writtenPayload, $pending, $pendingPayload, $pendingBefore, $pendingExternalId, $pendingResult, $updatedAt)
            ON CONFLICT (canonical_id, target) DO UPDATE SET
                lease_token = excluded.lease_token, lease_expires_at = excluded.lease_expires_at, locked_keys = excluded.locked_keys,
                versions = excluded.versions, written_payload = excluded.written_payload, pending = excluded.pending,
                pending_payload = excluded.pending_payload, pending_before = excluded.pending_before,
                pending_external_id = excluded.pending_external_id, pending_result = excluded.pending_result, updated_at = excluded.updated_at;
            """,
            "$canonicalId", "$target", "$leaseToken", "$leaseExpiresAt", "$lockedKeys", "$versions", "$writtenPayload", "$pending", "$pendingPayload", "$pendingBefore", "$pendingExternalId", "$pendingResult", "$updatedAt");
        var p = _upsert.Parameters;
        var pending = entry.Pending;
        p[0].Value = entry.CanonicalId;
        p[1].Value = entry.Target;
        p[2].Value = entry.LeaseToken is { } token ? SqliteValues.ToText(token) : DBNull.Value;
        p[3].Value = entry.LeaseExpiresAt is { } expires ? SqliteValues.ToText(expires) : DBNull.Value;
        p[4].Value = entry.LockedKeys.IsEmpty ? DBNull.Value : JsonSerializer.Serialize(entry.LockedKeys.ToArray(), Json.StringArray);
        p[5].Value = JsonSerializer.Serialize([.. entry.Versions.Select(ToStored)], Json.StoredVersionArray);
        p[6].Value = SqliteValues.OrDbNull(entry.WrittenPayload);
        p[7].Value = pending is null ? DBNull.Value : JsonSerializer.Serialize(ToStored(pending), Json.StoredIntent);
        p[8].Value = SqliteValues.OrDbNull(pending?.Payload);
        p[9].Value = SqliteValues.OrDbNull(pending?.Before);
        p[10].Value = SqliteValues.OrDbNull(pending?.ExternalId);
        p[11].Value = SqliteValues.OrDbNull(pending?.Result?.ToString());
        p[12].Value = SqliteValues.ToText(entry.UpdatedAt);
        await _upsert.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
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
