using System.Security.Cryptography;
using System.Text;
using Concord.Canonical.Errors;
using Concord.Storage.Sqlite.Diagnostics;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;

namespace Concord.Storage.Sqlite.Infrastructure;

/// <summary>
/// Brings the database to the schema every registered <see cref="ISqliteSchema"/> describes. Runs inside one
/// <c>BEGIN IMMEDIATE</c> transaction, so when two processes migrate the same file at once the second waits for the
/// first and then finds the versions applied. Applied migrations are recorded in <c>concord_schema_migrations</c> with a
/// checksum of their SQL; a changed migration or a database from a newer Concord stops the store with a clear error.
/// </summary>
internal static class SqliteMigrationRunner
{
    public const string MigrationsTable = "concord_schema_migrations";

    private const string CreateMigrationsTable = $"""
        CREATE TABLE IF NOT EXISTS {MigrationsTable} (
            component  TEXT    NOT NULL,
            version    INTEGER NOT NULL,
            name       TEXT    NOT NULL,
            checksum   TEXT    NOT NULL,
            applied_at TEXT    NOT NULL,
            PRIMARY KEY (component, version)
        ) WITHOUT ROWID;
        """;

    /// <summary>Checks that <paramref name="schemas"/> are well formed: unique lower-case components, versions 1..n without gaps.</summary>
    /// <param name="schemas">The registered schemas.</param>
    /// <exception cref="InvalidOperationException">A schema is malformed (a bug in the store that registered it).</exception>
    public static void Validate(IReadOnlyList<ISqliteSchema> schemas)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var schema in schemas)
        {
            if (string.IsNullOrEmpty(schema.Component) || !schema.Component.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c is '_' or '.' or '-'))
            {
                throw new InvalidOperationException($"SQLite schema component '{schema.Component}' ({schema.GetType().Name}) must be a non-empty lower-case name.");
            }

            if (!seen.Add(schema.Component))
            {
                throw new InvalidOperationException($"Two SQLite schemas are registered for component '{schema.Component}'.");
            }

            for (var i = 0; i < schema.Migrations.Count; i++)
            {
                if (schema.Migrations[i].Version != i + 1)
                {
                    throw new InvalidOperationException(
                        $"SQLite schema '{schema.Component}' lists migration version {schema.Migrations[i].Version} at position {i + 1}; versions must run 1, 2, 3, ... in order.");
                }
            }
        }
    }

    /// <summary>Applies the missing migrations of <paramref name="schemas"/>, inside <paramref name="transaction"/>.</summary>
    /// <param name="connection">An open connection.</param>
    /// <param name="transaction">The write (<c>BEGIN IMMEDIATE</c>) transaction the migrations run in.</param>
    /// <param name="schemas">The registered schemas.</param>
    /// <param name="now">The time recorded as applied_at.</param>
    /// <param name="database">The database's name, for messages.</param>
    /// <param name="logger">The logger.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>How many migrations were applied.</returns>
    /// <exception cref="ConcordException">Category <see cref="ErrorCategory.Configuration"/>: an applied migration differs from the code's, or the database is newer than the code.</exception>
    public static async Task<int> MigrateAsync(
        SqliteConnection connection,
        SqliteTransaction transaction,
        IReadOnlyList<ISqliteSchema> schemas,
        DateTimeOffset now,
        string database,
        ILogger logger,
        CancellationToken cancellationToken)
    {
        await ExecuteAsync(connection, transaction, CreateMigrationsTable, cancellationToken).ConfigureAwait(false);
        var applied = await ReadAppliedAsync(connection, transaction, cancellationToken).ConfigureAwait(false);

        var count = 0;
        foreach (var schema in schemas.OrderBy(s => s.Component, StringComparer.Ordinal))
        {
            foreach (var migration in schema.Migrations)
            {
                var checksum = Checksum(migration.Sql);
                if (applied.TryGetValue((schema.Component, migration.Version), out var existing))
                {
                    if (!string.Equals(existing, checksum, StringComparison.Ordinal))
                    {
                        throw new ConcordException(
                            ErrorCategory.Configuration,
                            $"SQLite database '{database}': migration {schema.Component} v{migration.Version} ({migration.Name}) was applied with other SQL than this version of Concord carries. Released migrations must never change; restore the original or use a new database.")
                        {
                            System = SqliteErrors.System,
                            Operation = "migrate",
                        };
                    }

                    continue;
                }

                await ExecuteAsync(connection, transaction, migration.Sql, cancellationToken).ConfigureAwait(false);
                await RecordAsync(connection, transaction, schema.Component, migration, checksum, now, cancellationToken).ConfigureAwait(false);
                Log.MigrationApplied(logger, schema.Component, migration.Version, migration.Name, database);
                count++;
            }

            var newest = applied.Keys.Where(k => k.Component == schema.Component).Select(k => k.Version).DefaultIfEmpty(0).Max();
            if (newest > schema.Migrations.Count)
            {
                throw new ConcordException(
                    ErrorCategory.Configuration,
                    $"SQLite database '{database}': component {schema.Component} is at schema version {newest} but this version of Concord knows versions up to {schema.Migrations.Count}. A newer Concord wrote this database; upgrade the package.")
                {
                    System = SqliteErrors.System,
                    Operation = "migrate",
                };
            }
        }

        return count;
    }

    /// <summary>SHA-256 of the migration's SQL with line endings normalised, so a checkout with CRLF endings computes the same checksum.</summary>
    /// <param name="sql">The SQL.</param>
    /// <returns>64 lower-case hex characters.</returns>
    public static string Checksum(string sql) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(sql.ReplaceLineEndings("\n").Trim())));

    private static async Task<Dictionary<(string Component, int Version), string>> ReadAppliedAsync(SqliteConnection connection, SqliteTransaction transaction, CancellationToken cancellationToken)
    {
        var applied = new Dictionary<(string Component, int Version), string>();
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = $"SELECT component, version, checksum FROM {MigrationsTable};";
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            applied[(reader.GetString(0), reader.GetInt32(1))] = reader.GetString(2);
        }

        return applied;
    }

    private static async Task RecordAsync(SqliteConnection connection, SqliteTransaction transaction, string component, SqliteMigration migration, string checksum, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = $"INSERT INTO {MigrationsTable} (component, version, name, checksum, applied_at) VALUES ($component, $version, $name, $checksum, $appliedAt);";
        command.Parameters.AddWithValue("$component", component);
        command.Parameters.AddWithValue("$version", migration.Version);
        command.Parameters.AddWithValue("$name", migration.Name);
        command.Parameters.AddWithValue("$checksum", checksum);
        command.Parameters.AddWithValue("$appliedAt", SqliteValues.ToText(now));
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    private static async Task ExecuteAsync(SqliteConnection connection, SqliteTransaction transaction, string sql, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }
}
