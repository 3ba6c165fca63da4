using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using Concord.Canonical.Errors;
using Concord.Storage.PostgreSql.Diagnostics;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using NpgsqlTypes;

namespace Concord.Storage.PostgreSql.Infrastructure;

/// <summary>
/// The PostgreSQL schema every Concord PostgreSQL store shares: hands out pooled connections of one
/// <see cref="NpgsqlDataSource"/>, creates and migrates the schema on first use under an advisory lock, and runs write
/// transactions, trying one again from the start when PostgreSQL aborts it as a deadlock or serialization failure.
/// One instance per schema per process (a DI singleton).
/// </summary>
/// <remarks>
/// Writes run at READ COMMITTED. A "read, decide, write" sequence is made atomic across processes by
/// <see cref="LockAsync"/>: transaction-scoped advisory locks on the keys it decides about, taken in one statement in a fixed
/// order (so two pages never deadlock on them) and released by the commit or rollback. Other writes are single statements
/// whose <c>WHERE</c> clause carries the rule (a lease token, say), which PostgreSQL evaluates under the row lock.
/// </remarks>
internal sealed class PostgreSqlDatabase : IDisposable
{
    private const int MaxWriteAttempts = 5;
    private static readonly TimeSpan FirstRetryDelay = TimeSpan.FromMilliseconds(20);

    private readonly NpgsqlDataSource _dataSource;
    private readonly IReadOnlyList<IPostgreSqlSchema> _schemas;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger _logger;
    private readonly SemaphoreSlim _initializeGate = new(1, 1);
    private volatile bool _initialized;

    public PostgreSqlDatabase(NpgsqlDataSource dataSource, string schema, IEnumerable<IPostgreSqlSchema> schemas, TimeProvider timeProvider, ILogger<PostgreSqlDatabase>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(dataSource);
        ArgumentNullException.ThrowIfNull(schemas);
        ArgumentNullException.ThrowIfNull(timeProvider);
        if (!IsValidSchemaName(schema))
        {
            throw new ConcordException(ErrorCategory.Configuration, $"PostgreSqlStorageOptions.Schema '{schema}' is not a valid schema name: use lower-case letters, digits and underscores, starting with a letter, at most 63 characters.")
            {
                System = PostgreSqlErrors.System,
                Operation = "open",
            };
        }

        _dataSource = dataSource;
        SchemaName = schema;
        _schemas = [.. schemas];
        PostgreSqlMigrationRunner.Validate(_schemas);
        _timeProvider = timeProvider;
        _logger = (ILogger?)logger ?? NullLogger.Instance;
    }

    /// <summary>The schema's name (validated: it needs no quoting).</summary>
    public string SchemaName { get; }

    /// <summary>The clock the stores on this database read (claims and leases).</summary>
    public TimeProvider TimeProvider => _timeProvider;

    /// <summary>How many migrations this instance applied when it initialised (0 when another instance had applied them).</summary>
    public int AppliedMigrations { get; private set; }

    /// <summary>Whether <paramref name="name"/> is a schema name Concord accepts: an unquoted lower-case identifier.</summary>
    public static bool IsValidSchemaName(string? name) =>
        !string.IsNullOrEmpty(name) && name.Length <= 63 && char.IsAsciiLetterLower(name[0])
        && name.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c == '_');

    /// <summary>Replaces <c>{schema}</c> in <paramref name="sql"/> with this database's schema.</summary>
    public string Sql(string sql) => sql.Replace("{schema}", SchemaName, StringComparison.Ordinal);

    /// <summary>Creates and migrates the schema now, rather than at the first read or write.</summary>
    public Task InitializeAsync(CancellationToken cancellationToken = default) => EnsureInitializedAsync(cancellationToken);

    public void Dispose() => _initializeGate.Dispose();

    /// <summary>Runs <paramref name="read"/> on a pooled connection, without an explicit transaction.</summary>
    public async Task<T> ReadAsync<T>(string operation, Func<NpgsqlConnection, CancellationToken, Task<T>> read, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(read);
        await EnsureInitializedAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
            return await read(connection, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception exception) when (exception is NpgsqlException && !cancellationToken.IsCancellationRequested)
        {
            throw PostgreSqlErrors.Translate(operation, exception);
        }
    }

    /// <summary>
    /// Runs <paramref name="write"/> in a transaction and commits it; rolls back when it throws. Tried again from the start
    /// after a deadlock or serialization failure, so <paramref name="write"/> must have no effect outside the transaction.
    /// </summary>
    public async Task<T> WriteAsync<T>(string operation, Func<NpgsqlConnection, NpgsqlTransaction, CancellationToken, Task<T>> write, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(write);
        await EnsureInitializedAsync(cancellationToken).ConfigureAwait(false);
        return await WriteCoreAsync(operation, write, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Takes transaction-scoped advisory locks on <paramref name="keys"/> (any strings; hashed to 64 bits), sorted, in one
    /// statement: held until <paramref name="transaction"/> ends. Two transactions locking overlapping keys run one after the other.
    /// </summary>
    public static async Task LockAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, IEnumerable<string> keys, CancellationToken cancellationToken)
    {
        var hashes = keys.Select(Hash).Distinct().Order().ToArray();
        if (hashes.Length == 0)
        {
            return;
        }

        await using var command = new NpgsqlCommand("SELECT count(pg_advisory_xact_lock(k)) FROM unnest(@keys) WITH ORDINALITY AS t(k, n);", connection, transaction);
        command.Parameters.Add(new NpgsqlParameter<long[]>("keys", NpgsqlDbType.Array | NpgsqlDbType.Bigint) { TypedValue = hashes });
        await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>A stable 64-bit hash of <paramref name="key"/> (the first 8 bytes of its SHA-256), the same in every process.</summary>
    public static long Hash(string key)
    {
        Span<byte> digest = stackalloc byte[32];
        SHA256.HashData(Encoding.UTF8.GetBytes(key), digest);
        return BinaryPrimitives.ReadInt64BigEndian(digest);
    }

    private async Task<T> WriteCoreAsync<T>(string operation, Func<NpgsqlConnection, NpgsqlTransaction, CancellationToken, Task<T>> write, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
                await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
                var result = await write(connection, transaction, cancellationToken).ConfigureAwait(false);
                await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
                return result;
            }
            catch (Exception exception) when (PostgreSqlErrors.IsRetryable(exception) && attempt < MaxWriteAttempts)
            {
                var delay = TimeSpan.FromMilliseconds(FirstRetryDelay.TotalMilliseconds * Math.Pow(2, attempt - 1) * (0.5 + (Random.Shared.NextDouble() / 2)));
                Log.WriteRetried(_logger, operation, attempt, MaxWriteAttempts, delay);
                await Task.Delay(delay, _timeProvider, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception exception) when (exception is NpgsqlException && !cancellationToken.IsCancellationRequested)
            {
                throw PostgreSqlErrors.Translate(operation, exception);
            }
        }
    }

    private async Task EnsureInitializedAsync(CancellationToken cancellationToken)
    {
        if (_initialized)
        {
            return;
        }

        await _initializeGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_initialized)
            {
                return;
            }

            AppliedMigrations = await WriteCoreAsync(
                "migrate",
                (connection, transaction, ct) => PostgreSqlMigrationRunner.MigrateAsync(connection, transaction, this, _schemas, _timeProvider.GetUtcNow(), _logger, ct),
                cancellationToken).ConfigureAwait(false);
            Log.SchemaReady(_logger, SchemaName, AppliedMigrations);
            _initialized = true;
        }
        finally
        {
            _initializeGate.Release();
        }
    }
}
