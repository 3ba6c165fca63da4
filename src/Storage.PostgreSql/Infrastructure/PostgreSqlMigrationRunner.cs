using System.Security.Cryptography;
using System.Text;
using Concord.Canonical.Errors;
using Concord.Storage.PostgreSql.Diagnostics;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace Concord.Storage.PostgreSql.Infrastructure;

/// <summary>
/// Brings the schema to what every registered <see cref="IPostgreSqlSchema"/> describes, in one transaction that first
/// takes an advisory lock on the schema's name: when several instances start together, one migrates and the others wait
/// for its commit, then find every version applied. Applied migrations are recorded in <c>concord_schema_migrations</c> with
/// a checksum of their SQL; a changed migration, or a schema a newer Concord migrated, stops the store with a clear error.
/// </summary>
internal static class PostgreSqlMigrationRunner
{
    public const string MigrationsTable = "concord_schema_migrations";

    public static void Validate(IReadOnlyList<IPostgreSqlSchema> schemas)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var schema in schemas)
        {
            if (string.IsNullOrEmpty(schema.Component) || !schema.Component.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c is '_' or '.' or '-'))
            {
                throw new InvalidOperationException($"PostgreSQL schema component '{schema.Component}' ({schema.GetType().Name}) must be a non-empty lower-case name.");
            }

            if (!seen.Add(schema.Component))
            {
                throw new InvalidOperationException($"Two PostgreSQL schemas are registered for component '{schema.Component}'.");
            }

            for (var i = 0; i < schema.Migrations.Count; i++)
            {
                if (schema.Migrations[i].Version != i + 1)
                {
                    throw new InvalidOperationException($"PostgreSQL schema '{schema.Component}' lists migration version {schema.Migrations[i].Version} at position {i + 1}; versions must run 1, 2, 3, ... in order.");
                }
            }
        }
    }

    public static async Task<int> MigrateAsync(
        NpgsqlConnection connection,
        NpgsqlTransaction transaction,
        PostgreSqlDatabase database,
        IReadOnlyList<IPostgreSqlSchema> schemas,
        DateTimeOffset now,
        ILogger logger,
        CancellationToken cancellationToken)
    {
        // Instances starting together queue here; the lock ends with this transaction, after the migrations committed.
        await PostgreSqlDatabase.LockAsync(connection, transaction, [$"concord.migrate:{database.SchemaName}"], cancellationToken).ConfigureAwait(false);
        await ExecuteAsync(connection, transaction, database.Sql($"""
            CREATE SCHEMA IF NOT EXISTS {"{schema}"};
            CREATE TABLE IF NOT EXISTS {"{schema}"}.{MigrationsTable} (
                component  text        NOT NULL,
                version    integer     NOT NULL,
                name       text        NOT NULL,
                checksum   text        NOT NULL,
                applied_at timestamptz NOT NULL,
                PRIMARY KEY (component, version)
            );
            """), cancellationToken).ConfigureAwait(false);

        var applied = new Dictionary<(string Component, int Version), string>();
        await using (var read = new NpgsqlCommand(database.Sql($"SELECT component, version, checksum FROM {"{schema}"}.{MigrationsTable};"), connection, transaction))
        await using (var reader = await read.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
        {
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                applied[(reader.GetString(0), reader.GetInt32(1))] = reader.GetString(2);
            }
        }

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
                        throw Refused($"migration {schema.Component} v{migration.Version} ({migration.Name}) was applied to schema '{database.SchemaName}' with other SQL than this version of Concord carries. Released migrations must never change; restore the original or use a new schema.");
                    }

                    continue;
                }

                await ExecuteAsync(connection, transaction, database.Sql(migration.Sql), cancellationToken).ConfigureAwait(false);
                await using (var record = new NpgsqlCommand(database.Sql($"INSERT INTO {"{schema}"}.{MigrationsTable} (component, version, name, checksum, applied_at) VALUES (@component, @version, @name, @checksum, @at);"), connection, transaction))
                {
                    record.Parameters.AddWithValue("component", schema.Component);
                    record.Parameters.AddWithValue("version", migration.Version);
                    record.Parameters.AddWithValue("name", migration.Name);
                    record.Parameters.AddWithValue("checksum", checksum);
                    record.Parameters.AddWithValue("at", now.ToUniversalTime());
                    await record.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
                }

                Log.MigrationApplied(logger, schema.Component, migration.Version, migration.Name, database.SchemaName);
                count++;
            }

            var newest = applied.Keys.Where(k => k.Component == schema.Component).Select(k => k.Version).DefaultIfEmpty(0).Max();
            if (newest > schema.Migrations.Count)
            {
                throw Refused($"component {schema.Component} of schema '{database.SchemaName}' is at version {newest} but this version of Concord knows versions up to {schema.Migrations.Count}. A newer Concord migrated it; upgrade the package.");
            }
        }

        return count;
    }

    public static string Checksum(string sql) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(sql.ReplaceLineEndings("\n").Trim())));

    private static ConcordException Refused(string message) =>
        new(ErrorCategory.Configuration, $"PostgreSQL: {message}") { System = PostgreSqlErrors.System, Operation = "migrate" };

    private static async Task ExecuteAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, string sql, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, connection, transaction);
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }
}
