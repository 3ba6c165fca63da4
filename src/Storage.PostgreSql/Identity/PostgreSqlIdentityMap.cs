using System.Collections.Immutable;
using System.Runtime.CompilerServices;
using Concord.Canonical;
using Concord.Canonical.Errors;
using Concord.Storage.PostgreSql.Infrastructure;
using Concord.Sync.Identity;
using Npgsql;

namespace Concord.Storage.PostgreSql.Identity;

/// <summary>
/// <see cref="IIdentityMap"/> on the shared PostgreSQL schema. Links are written in one transaction that locks every
/// reference it writes (advisory locks), checks them against the stored owners, so a conflicting batch writes nothing, and
/// upserts them in one statement; the unique (system, external id) index backs the check against any writer that bypasses it.
/// </summary>
internal sealed class PostgreSqlIdentityMap(PostgreSqlDatabase database) : IIdentityMap
{
    private const int ListPageSize = 500;
    private const string T = PostgreSqlIdentitySchema.Table;
    private const string Columns = "canonical_id, system, external_id, fingerprint, updated_at";

    public Task<IReadOnlyDictionary<ExternalRef, string>> ResolveAsync(IReadOnlyCollection<ExternalRef> references, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(references);
        if (references.Count == 0)
        {
            return Task.FromResult<IReadOnlyDictionary<ExternalRef, string>>(new Dictionary<ExternalRef, string>());
        }

        return database.ReadAsync<IReadOnlyDictionary<ExternalRef, string>>(
            "identity.resolve",
            async (connection, ct) => await ResolveAsync(database, connection, null, references, ct).ConfigureAwait(false),
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
                await using var command = new NpgsqlCommand(database.Sql($"SELECT {Columns} FROM {T} WHERE canonical_id = ANY(@ids) ORDER BY canonical_id, system;"), connection);
                command.Parameters.Add(PostgreSqlValues.Texts("ids", [.. canonicalIds.Distinct(StringComparer.Ordinal)]));
                var entries = await ReadEntriesAsync(command, ct).ConfigureAwait(false);
                return entries.ToDictionary(e => e.CanonicalId, StringComparer.Ordinal);
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
                await LinkAsync(database, connection, transaction, links, ct).ConfigureAwait(false);
                return true;
            },
            cancellationToken);
    }

    public async IAsyncEnumerable<IdentityEntry> ListAsync(string? system = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        // Keyset pages, each its own short read: no transaction stays open while the caller works through the entries.
        var after = string.Empty;
        while (true)
        {
            var page = await database.ReadAsync(
                "identity.list",
                async (connection, ct) =>
                {
                    await using var command = new NpgsqlCommand(
                        database.Sql(system is null
                            ? $"""
                              SELECT {Columns} FROM {T}
                              WHERE canonical_id IN (SELECT DISTINCT canonical_id FROM {T} WHERE canonical_id > @after ORDER BY canonical_id LIMIT @limit)
                              ORDER BY canonical_id, system;
                              """
                            : $"""
                              SELECT {Columns} FROM {T}
                              WHERE canonical_id IN (SELECT canonical_id FROM {T} WHERE system = @system AND canonical_id > @after ORDER BY canonical_id LIMIT @limit)
                              ORDER BY canonical_id, system;
                              """),
                        connection);
                    command.Parameters.AddWithValue("after", after);
                    command.Parameters.AddWithValue("limit", ListPageSize);
                    if (system is not null)
                    {
                        command.Parameters.AddWithValue("system", system);
                    }

                    return await ReadEntriesAsync(command, ct).ConfigureAwait(false);
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

    /// <summary>Looks references up in one statement, inside <paramref name="transaction"/> when one is given.</summary>
    internal static async Task<Dictionary<ExternalRef, string>> ResolveAsync(PostgreSqlDatabase database, NpgsqlConnection connection, NpgsqlTransaction? transaction, IEnumerable<ExternalRef> references, CancellationToken cancellationToken)
    {
        var distinct = references.Distinct().ToArray();
        var found = new Dictionary<ExternalRef, string>(distinct.Length);
        if (distinct.Length == 0)
        {
            return found;
        }

        await using var command = new NpgsqlCommand(
            database.Sql($"SELECT l.system, l.external_id, l.canonical_id FROM {T} AS l JOIN unnest(@systems, @ids) AS r(system, external_id) ON l.system = r.system AND l.external_id = r.external_id;"),
            connection,
            transaction);
        command.Parameters.Add(PostgreSqlValues.Texts("systems", [.. distinct.Select(r => r.System)]));
        command.Parameters.Add(PostgreSqlValues.Texts("ids", [.. distinct.Select(r => r.Id)]));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            found[new ExternalRef(reader.GetString(0), reader.GetString(1))] = reader.GetString(2);
        }

        return found;
    }

    /// <summary>Writes links inside <paramref name="transaction"/>, after checking that none conflicts; throws (and writes nothing) on a conflict.</summary>
    internal static async Task LinkAsync(PostgreSqlDatabase database, NpgsqlConnection connection, NpgsqlTransaction transaction, IReadOnlyList<IdentityLink> links, CancellationToken cancellationToken)
    {
        foreach (var link in links)
        {
            ArgumentException.ThrowIfNullOrEmpty(link.CanonicalId);
        }

        var references = links.Select(l => new ExternalRef(l.System, l.ExternalId)).ToArray();
        await PostgreSqlDatabase.LockAsync(connection, transaction, references.Select(r => $"identity:{r.System}\n{r.Id}"), cancellationToken).ConfigureAwait(false);
        var stored = await ResolveAsync(database, connection, transaction, references, cancellationToken).ConfigureAwait(false);
        var pending = new Dictionary<ExternalRef, string>();

        // One row per (canonical id, system): a later link of the page replaces an earlier one, keeping its fingerprint when it has none.
        var rows = new Dictionary<(string CanonicalId, string System), IdentityLink>();
        foreach (var link in links)
        {
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
            rows[(link.CanonicalId, link.System)] = rows.TryGetValue((link.CanonicalId, link.System), out var earlier) && link.Fingerprint is null
                ? link with { Fingerprint = earlier.Fingerprint }
                : link;
        }

        var values = rows.Values.ToArray();
        await using var command = new NpgsqlCommand(database.Sql($"""
            INSERT INTO {T} ({Columns})
            SELECT * FROM unnest(@canonicalIds, @systems, @externalIds, @fingerprints, @updatedAt)
            ON CONFLICT (canonical_id, system) DO UPDATE SET
                external_id = excluded.external_id,
                fingerprint = COALESCE(excluded.fingerprint, {T}.fingerprint),
                updated_at  = excluded.updated_at;
            """), connection, transaction);
        command.Parameters.Add(PostgreSqlValues.Texts("canonicalIds", [.. values.Select(l => l.CanonicalId)]));
        command.Parameters.Add(PostgreSqlValues.Texts("systems", [.. values.Select(l => l.System)]));
        command.Parameters.Add(PostgreSqlValues.Texts("externalIds", [.. values.Select(l => l.ExternalId)]));
        command.Parameters.Add(PostgreSqlValues.Texts("fingerprints", [.. values.Select(l => l.Fingerprint)]));
        command.Parameters.Add(PostgreSqlValues.Times("updatedAt", [.. values.Select(l => l.UpdatedAt)]));
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    private static async Task<List<IdentityEntry>> ReadEntriesAsync(NpgsqlCommand command, CancellationToken cancellationToken)
    {
        var entries = new List<IdentityEntry>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        string? current = null;
        var links = ImmutableArray.CreateBuilder<IdentityLink>();
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            var link = new IdentityLink
            {
                CanonicalId = reader.GetString(0),
                System = reader.GetString(1),
                ExternalId = reader.GetString(2),
                Fingerprint = reader.IsDBNull(3) ? null : reader.GetString(3),
                UpdatedAt = reader.GetFieldValue<DateTimeOffset>(4),
            };
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
    }
}
