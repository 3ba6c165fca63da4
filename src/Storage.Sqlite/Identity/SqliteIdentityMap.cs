using System.Collections.Immutable;
using System.Runtime.CompilerServices;
using Concord.Canonical;
using Concord.Canonical.Errors;
using Concord.Storage.Sqlite.Infrastructure;
using Concord.Sync.Identity;
using Microsoft.Data.Sqlite;

namespace Concord.Storage.Sqlite.Identity;

/// <summary>
/// <see cref="IIdentityMap"/> on the shared SQLite file. Links are written in one <c>BEGIN IMMEDIATE</c> transaction that
/// first checks every reference against the stored owners, so a conflicting batch writes nothing, and the unique
/// (system, external id) index backs the check against any writer that bypasses it.
/// </summary>
internal sealed class SqliteIdentityMap(SqliteDatabase database) : IIdentityMap
{
    private const int ListPageSize = 500;
    private const string T = SqliteIdentitySchema.Table;

    public Task<IReadOnlyDictionary<ExternalRef, string>> ResolveAsync(IReadOnlyCollection<ExternalRef> references, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(references);
        if (references.Count == 0)
        {
            return Task.FromResult<IReadOnlyDictionary<ExternalRef, string>>(new Dictionary<ExternalRef, string>());
        }

        return database.ReadAsync<IReadOnlyDictionary<ExternalRef, string>>(
            "identity.resolve",
            async (connection, ct) => await ResolveAsync(connection, null, references, ct).ConfigureAwait(false),
            cancellationToken);
    }

    public Task<IReadOnlyDictionary<string, IdentityEntry>> GetAsync(IReadOnlyCollection<string> canonicalIds, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(canonicalIds);
        if (canonicalIds.Count == 0)
        {
            return Task.FromResult<IReadOnlyDictionary<string, IdentityEntry>>(new Dictionary<string, IdentityEntry>(StringComparer.Ordinal));
        }

        return database.ReadAsync<IReadOnlyDictionary<string, IdentityEntry>>(
            "identity.get",
            async (connection, ct) =>
            {
                var found = new Dictionary<string, IdentityEntry>(canonicalIds.Count, StringComparer.Ordinal);
                await using var command = connection.CreateCommand();
                command.CommandText = $"SELECT canonical_id, system, external_id, fingerprint, updated_at FROM {T} WHERE canonical_id = $id ORDER BY system;";
                var id = command.Parameters.Add("$id", SqliteType.Text);
                foreach (var canonicalId in canonicalIds.Distinct(StringComparer.Ordinal))
                {
                    id.Value = canonicalId;
                    var links = ImmutableArray.CreateBuilder<IdentityLink>();
                    await using (var reader = await command.ExecuteReaderAsync(ct).ConfigureAwait(false))
                    {
                        while (await reader.ReadAsync(ct).ConfigureAwait(false))
                        {
                            links.Add(ReadLink(reader));
                        }
                    }

                    if (links.Count > 0)
                    {
                        found[canonicalId] = new IdentityEntry(canonicalId, links.ToImmutable());
                    }
                }

                return found;
            },
            cancellationToken);
    }

    public Task LinkAsync(IReadOnlyList<IdentityLink> links, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(links);
        if (links.Count == 0)
        {
            return Task.CompletedTask;
        }

        return database.WriteAsync(
            "identity.link",
            async (connection, transaction, ct) =>
            {
                await LinkAsync(connection, transaction, links, ct).ConfigureAwait(false);
                return true;
            },
            cancellationToken);
    }

    public async IAsyncEnumerable<IdentityEntry> ListAsync(string? system = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        // Keyset pages, each its own short read: no read transaction stays open while the caller works through the entries.
        var after = string.Empty;
        while (true)
        {
            var page = await database.ReadAsync(
                "identity.list",
                async (connection, ct) =>
                {
                    await using var command = connection.CreateCommand();
                    command.CommandText = system is null
                        ? $"""
                          SELECT canonical_id, system, external_id, fingerprint, updated_at FROM {T}
                          WHERE canonical_id IN (SELECT DISTINCT canonical_id FROM {T} WHERE canonical_id > $after ORDER BY canonical_id LIMIT $limit)
                          ORDER BY canonical_id, system;
                          """
                        : $"""
                          SELECT canonical_id, system, external_id, fingerprint, updated_at FROM {T}
                          WHERE canonical_id IN (SELECT canonical_id FROM {T} WHERE system = $system AND canonical_id > $after ORDER BY canonical_id LIMIT $limit)
                          ORDER BY canonical_id, system;
                          """;
                    command.Parameters.AddWithValue("$after", after);
                    command.Parameters.AddWithValue("$limit", ListPageSize);
                    if (system is not null)
                    {
                        command.Parameters.AddWithValue("$system", system);
                    }

                    var entries = new List<IdentityEntry>();
                    await using var reader = await command.ExecuteReaderAsync(ct).ConfigureAwait(false);
                    string? current = null;
                    var links = ImmutableArray.CreateBuilder<IdentityLink>();
                    while (await reader.ReadAsync(ct).ConfigureAwait(false))
                    {
                        var link = ReadLink(reader);
                        if (current is not null && !string.Equals(current, link.CanonicalId, StringComparison.Ordinal))
                        {
                            entries.Add(new IdentityEntry(current, links.ToImmutable()));
                            links.Clear();
                        }

                        current = link.CanonicalId;
                        links.Add(link);
                    }

                    if (current is not null)
                    {
                        entries.Add(new IdentityEntry(current, links.ToImmutable()));
                    }

                    return entries;
                },
                cancellationToken).ConfigureAwait(false);

            foreach (var entry in page)
            {
                yield return entry;
            }

            if (page.Count < ListPageSize)
            {
                yield break;
            }

            after = page[^1].CanonicalId;
        }
    }

    /// <summary>Looks references up inside an open connection (and transaction, when one is given).</summary>
    internal static async Task<Dictionary<ExternalRef, string>> ResolveAsync(SqliteConnection connection, SqliteTransaction? transaction, IEnumerable<ExternalRef> references, CancellationToken cancellationToken)
    {
        var found = new Dictionary<ExternalRef, string>();
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = $"SELECT canonical_id FROM {T} WHERE system = $system AND external_id = $externalId;";
        var system = command.Parameters.Add("$system", SqliteType.Text);
        var externalId = command.Parameters.Add("$externalId", SqliteType.Text);
        foreach (var reference in references)
        {
            if (found.ContainsKey(reference))
            {
                continue;
            }

            system.Value = reference.System;
            externalId.Value = reference.Id;
            if (await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is string canonicalId)
            {
                found[reference] = canonicalId;
            }
        }

        return found;
    }

    /// <summary>Writes links inside <paramref name="transaction"/>, after checking that none conflicts; throws (and writes nothing) on a conflict.</summary>
    internal static async Task LinkAsync(SqliteConnection connection, SqliteTransaction transaction, IReadOnlyList<IdentityLink> links, CancellationToken cancellationToken)
    {
        var stored = await ResolveAsync(connection, transaction, links.Select(l => new ExternalRef(l.System, l.ExternalId)), cancellationToken).ConfigureAwait(false);
        var pending = new Dictionary<ExternalRef, string>();
        foreach (var link in links)
        {
            ArgumentException.ThrowIfNullOrEmpty(link.CanonicalId);
            var reference = new ExternalRef(link.System, link.ExternalId);
            if ((stored.TryGetValue(reference, out var owner) || pending.TryGetValue(reference, out owner))
                && !string.Equals(owner, link.CanonicalId, StringComparison.Ordinal))
            {
                throw new ConcordException(ErrorCategory.Conflict, $"The {link.System} record '{link.ExternalId}' is already linked to canonical id '{owner}', not '{link.CanonicalId}'.")
                {
                    System = link.System,
                    Operation = "identity.link",
                };
            }

            pending[reference] = link.CanonicalId;
        }

        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = $"""
            INSERT INTO {T} (canonical_id, system, external_id, fingerprint, updated_at)
            VALUES ($canonicalId, $system, $externalId, $fingerprint, $updatedAt)
            ON CONFLICT (canonical_id, system) DO UPDATE SET
                external_id = excluded.external_id,
                fingerprint = COALESCE(excluded.fingerprint, {T}.fingerprint),
                updated_at  = excluded.updated_at;
            """;
        var canonicalId = command.Parameters.Add("$canonicalId", SqliteType.Text);
        var system = command.Parameters.Add("$system", SqliteType.Text);
        var externalId = command.Parameters.Add("$externalId", SqliteType.Text);
        var fingerprint = command.Parameters.Add("$fingerprint", SqliteType.Text);
        var updatedAt = command.Parameters.Add("$updatedAt", SqliteType.Text);
        foreach (var link in links)
        {
            canonicalId.Value = link.CanonicalId;
            system.Value = link.System;
            externalId.Value = link.ExternalId;
            fingerprint.Value = SqliteValues.OrDbNull(link.Fingerprint);
            updatedAt.Value = SqliteValues.ToText(link.UpdatedAt);
            await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    private static IdentityLink ReadLink(SqliteDataReader reader) => new()
    {
        CanonicalId = reader.GetString(0),
        System = reader.GetString(1),
        ExternalId = reader.GetString(2),
        Fingerprint = reader.IsDBNull(3) ? null : reader.GetString(3),
        UpdatedAt = SqliteValues.ToDateTimeOffset(reader.GetString(4)),
    };
}
