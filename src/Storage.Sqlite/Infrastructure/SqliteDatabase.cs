using System.Globalization;
using Concord.Canonical.Errors;
using Concord.Storage.Sqlite.Diagnostics;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Concord.Storage.Sqlite.Infrastructure;

/// <summary>
/// The one SQLite file every Concord SQLite store shares: opens configured connections, creates and migrates the schema
/// on first use, and runs write transactions with <c>BEGIN IMMEDIATE</c>, retrying while another process holds the lock.
/// One instance per file per process (a DI singleton).
/// </summary>
/// <remarks>
/// <para>Connections: WAL journal (readers never block the writer and the writer never blocks readers), <c>busy_timeout</c>
/// from <see cref="SqliteStorageOptions.BusyTimeout"/>, <c>synchronous</c> from <see cref="SqliteStorageOptions.Synchronous"/>,
/// foreign keys on. Pooled by Microsoft.Data.Sqlite.</para>
/// <para>Writes: SQLite has one writer at a time per file. Writers of this process queue on an async gate (no thread is
/// blocked in SQLite's busy handler by its own siblings); writers of other processes are waited for by SQLite's busy handler,
/// and a write still locked after the busy timeout is tried again, up to <see cref="SqliteStorageOptions.MaxWriteAttempts"/> times.
/// Every write transaction starts with <c>BEGIN IMMEDIATE</c>, which takes the write lock before the first read, so a
/// read-decide-write sequence inside it cannot be interleaved by another writer and never fails with <c>SQLITE_BUSY_SNAPSHOT</c>.</para>
/// </remarks>
internal sealed class SqliteDatabase : IDisposable
{
    private static readonly TimeSpan FirstRetryDelay = TimeSpan.FromMilliseconds(20);
    private static readonly TimeSpan MaxRetryDelay = TimeSpan.FromSeconds(1);

    // Page cache per connection, in KiB (SQLite's default is 2 MiB). A page of changes touches index pages all over the
    // identity, idempotency and audit tables; with the default cache they are read back through the kernel at every page.
    private const int CacheSizeKibibytes = 16 * 1024;

    // Checkpoint the write-ahead log at 8,192 pages (32 MiB) instead of 1,000: a hot index page written by several
    // commits is copied into the database file once per checkpoint, not once for every 4 MiB of log.
    private const int WalAutoCheckpointPages = 8192;

    private readonly SqliteStorageOptions _options;
    private readonly IReadOnlyList<ISqliteSchema> _schemas;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger _logger;
    private readonly string _connectionString;
    private readonly string _pragmas;
    private readonly SemaphoreSlim _writeGate = new(1, 1);
    private readonly SemaphoreSlim _initializeGate = new(1, 1);
    private readonly SqliteHostIdentity _host;
    private readonly string _instanceId = Guid.NewGuid().ToString("N");
    private volatile bool _initialized;
    private long _lastHeartbeatTicks;
    private int _disposed;

    public SqliteDatabase(IOptions<SqliteStorageOptions> options, IEnumerable<ISqliteSchema> schemas, TimeProvider timeProvider, ILogger<SqliteDatabase>? logger = null, SqliteHostIdentity? host = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(schemas);
        ArgumentNullException.ThrowIfNull(timeProvider);
        _options = options.Value;
        _host = host ?? SqliteHostIdentity.Current;
        _schemas = [.. schemas.Where(s => s is not SqliteHostSchema), SqliteHostSchema.Instance]; // every file records who uses it
        SqliteMigrationRunner.Validate(_schemas);
        _timeProvider = timeProvider;
        _logger = (ILogger?)logger ?? NullLogger.Instance;

        if (string.IsNullOrWhiteSpace(_options.DatabasePath))
        {
            throw new ConcordException(ErrorCategory.Configuration, $"{nameof(SqliteStorageOptions)}.{nameof(SqliteStorageOptions.DatabasePath)} is empty; set it to the SQLite file Concord should use.")
            {
                System = SqliteErrors.System,
                Operation = "open",
            };
        }

        FullPath = Path.GetFullPath(_options.DatabasePath);
        _connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = FullPath,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Cache = SqliteCacheMode.Private,
            Pooling = true,

            // Microsoft.Data.Sqlite retries busy statements itself (blocking, 150 ms steps) until the command timeout, and
            // forever when it is 0; keep it at the busy timeout, at least 1 s, so that one setting bounds the wait.
            DefaultTimeout = Math.Max(1, (int)Math.Ceiling(_options.BusyTimeout.TotalSeconds)),
        }.ToString();
        _pragmas = string.Create(
            CultureInfo.InvariantCulture,
            $"PRAGMA busy_timeout = {(long)_options.BusyTimeout.TotalMilliseconds}; PRAGMA synchronous = {SynchronousName}; PRAGMA foreign_keys = ON; PRAGMA cache_size = -{CacheSizeKibibytes}; PRAGMA wal_autocheckpoint = {WalAutoCheckpointPages};");
    }

    /// <summary>The absolute path of the database file.</summary>
    public string FullPath { get; }

    /// <summary>The clock the stores on this database read (claims and leases).</summary>
    public TimeProvider TimeProvider => _timeProvider;

    /// <summary>The file name, for messages (the folder may say more about the host than an error needs to).</summary>
    public string Name => Path.GetFileName(FullPath);

    private string SynchronousName => _options.Synchronous == SqliteSynchronousMode.Normal ? "NORMAL" : "FULL";

    /// <summary>Runs <paramref name="read"/> on an open connection, without a transaction (each statement sees a consistent snapshot).</summary>
    /// <typeparam name="T">The result type.</typeparam>
    /// <param name="operation">What is read, for errors and logs (<c>idempotency.get</c>).</param>
    /// <param name="read">The reads.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>What <paramref name="read"/> returned.</returns>
    /// <exception cref="ConcordException">SQLite failed; the category says whether trying again may help.</exception>
    public async Task<T> ReadAsync<T>(string operation, Func<SqliteConnection, CancellationToken, Task<T>> read, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(read);
        await EnsureInitializedAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
            return await read(connection, cancellationToken).ConfigureAwait(false);
        }
        catch (SqliteException exception)
        {
            throw SqliteErrors.IsBusy(exception)
                ? SqliteErrors.Locked(operation, Name, 1, _options.BusyTimeout, exception)
                : SqliteErrors.Translate(operation, Name, exception);
        }
    }

    /// <summary>
    /// Runs <paramref name="write"/> inside a <c>BEGIN IMMEDIATE</c> transaction and commits it; rolls back when it throws.
    /// Tried again from the start while the database is locked, so <paramref name="write"/> must not have effects outside the transaction.
    /// </summary>
    /// <typeparam name="T">The result type.</typeparam>
    /// <param name="operation">What is written, for errors and logs (<c>idempotency.claim</c>).</param>
    /// <param name="write">The reads and writes; pass the transaction to every command.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>What <paramref name="write"/> returned.</returns>
    /// <exception cref="ConcordException">SQLite failed or stayed locked; the category says whether trying again may help.
    /// Exceptions <paramref name="write"/> throws propagate unchanged after the rollback.</exception>
    public async Task<T> WriteAsync<T>(string operation, Func<SqliteConnection, SqliteTransaction, CancellationToken, Task<T>> write, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(write);
        await EnsureInitializedAsync(cancellationToken).ConfigureAwait(false);
        var now = _timeProvider.GetUtcNow();
        if (now.UtcTicks - Interlocked.Read(ref _lastHeartbeatTicks) >= SqliteHosts.HeartbeatInterval.Ticks)
        {
            // The heartbeat is due: renew it in this transaction, which fails (Configuration) if another machine took the file.
            var inner = write;
            write = async (connection, transaction, ct) =>
            {
                await SqliteHosts.HeartbeatAsync(connection, transaction, _instanceId, _host, now, Name, ct).ConfigureAwait(false);
                return await inner(connection, transaction, ct).ConfigureAwait(false);
            };
            var result = await WriteCoreAsync(operation, write, cancellationToken).ConfigureAwait(false);
            Interlocked.Exchange(ref _lastHeartbeatTicks, now.UtcTicks);
            return result;
        }

        return await WriteCoreAsync(operation, write, cancellationToken).ConfigureAwait(false);
    }

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        if (_initialized)
        {
            // Closed on purpose: release the file at once (a killed process releases it when its heartbeat goes stale).
            try
            {
                using var own = new SqliteConnection(_connectionString);
                own.Open();
                SqliteHosts.Unregister(own, _instanceId);
            }
            catch (SqliteException)
            {
                // Locked or gone: the row goes stale on its own.
            }
        }

        // Pooled connections keep the file (and its -wal and -shm companions) open; let them go with the store.
        using var connection = new SqliteConnection(_connectionString);
        SqliteConnection.ClearPool(connection);
        _writeGate.Dispose();
        _initializeGate.Dispose();
    }

    /// <summary>
    /// Renews this instance's heartbeat when no write has for a heartbeat interval (the hosted heartbeat calls it), so that
    /// an idle host keeps the file; a failure (another machine took the file) is logged, and the next write fails with it.
    /// </summary>
    public async Task RenewHeartbeatAsync(CancellationToken cancellationToken)
    {
        var now = _timeProvider.GetUtcNow();
        if (!_initialized || Volatile.Read(ref _disposed) == 1 || now.UtcTicks - Interlocked.Read(ref _lastHeartbeatTicks) < SqliteHosts.HeartbeatInterval.Ticks)
        {
            return;
        }

        try
        {
            await WriteCoreAsync(
                "hosts.heartbeat",
                async (connection, transaction, ct) =>
                {
                    await SqliteHosts.HeartbeatAsync(connection, transaction, _instanceId, _host, now, Name, ct).ConfigureAwait(false);
                    return true;
                },
                cancellationToken).ConfigureAwait(false);
            Interlocked.Exchange(ref _lastHeartbeatTicks, now.UtcTicks);
        }
        catch (ConcordException exception)
        {
            Log.HeartbeatFailed(_logger, Name, exception.Category, exception.Message);
        }
        catch (ObjectDisposedException)
        {
            // Closed while the heartbeat ran.
        }
    }

    private Task<T> WriteCoreAsync<T>(string operation, Func<SqliteConnection, SqliteTransaction, CancellationToken, Task<T>> write, CancellationToken cancellationToken) =>
        RetryWhileLockedAsync(
            operation,
            async ct =>
            {
                await _writeGate.WaitAsync(ct).ConfigureAwait(false);
                try
                {
                    await using var connection = await OpenAsync(ct).ConfigureAwait(false);
                    await using var transaction = connection.BeginTransaction(deferred: false);
                    var result = await write(connection, transaction, ct).ConfigureAwait(false);
                    await transaction.CommitAsync(ct).ConfigureAwait(false);
                    return result;
                }
                finally
                {
                    _writeGate.Release();
                }
            },
            cancellationToken);

    private async Task<T> RetryWhileLockedAsync<T>(string operation, Func<CancellationToken, Task<T>> attempt, CancellationToken cancellationToken)
    {
        for (var number = 1; ; number++)
        {
            try
            {
                return await attempt(cancellationToken).ConfigureAwait(false);
            }
            catch (SqliteException exception) when (SqliteErrors.IsBusy(exception) && number < _options.MaxWriteAttempts)
            {
                // Locked beyond the busy timeout, or SQLite answered busy without waiting (WAL recovery): try again below.
            }
            catch (SqliteException exception) when (SqliteErrors.IsBusy(exception))
            {
                throw SqliteErrors.Locked(operation, Name, number, _options.BusyTimeout, exception);
            }
            catch (SqliteException exception)
            {
                throw SqliteErrors.Translate(operation, Name, exception);
            }

            var delay = RetryDelay(number);
            Log.WriteBusy(_logger, Name, operation, number, _options.MaxWriteAttempts, delay);
            await Task.Delay(delay, _timeProvider, cancellationToken).ConfigureAwait(false);
        }
    }

    private static TimeSpan RetryDelay(int attempt)
    {
        // Exponential with full jitter, so two processes that collided do not collide again in step.
        var ceiling = Math.Min(MaxRetryDelay.TotalMilliseconds, FirstRetryDelay.TotalMilliseconds * Math.Pow(2, attempt - 1));
        return TimeSpan.FromMilliseconds(ceiling * (0.5 + (Random.Shared.NextDouble() / 2)));
    }

    private async Task<SqliteConnection> OpenAsync(CancellationToken cancellationToken)
    {
        var connection = new SqliteConnection(_connectionString);
        try
        {
            await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
            await using var command = connection.CreateCommand();
            command.CommandText = _pragmas;
            await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            return connection;
        }
        catch
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            throw;
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

            await InitializeAsync(cancellationToken).ConfigureAwait(false);
            _initialized = true;
        }
        finally
        {
            _initializeGate.Release();
        }
    }

    private async Task InitializeAsync(CancellationToken cancellationToken)
    {
        if (SqliteHosts.IsOnNetworkDrive(FullPath, SqliteHosts.Drives()))
        {
            throw SqliteHosts.OnNetworkDrive(Name);
        }

        var folder = Path.GetDirectoryName(FullPath);
        try
        {
            if (!string.IsNullOrEmpty(folder))
            {
                Directory.CreateDirectory(folder);
            }
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            throw new ConcordException(ErrorCategory.Configuration, $"Cannot create the folder of SQLite database '{Name}': {exception.Message}", exception)
            {
                System = SqliteErrors.System,
                Operation = "open",
            };
        }

        // WAL is a property of the file: the first process switches it, later opens find it set. The switch needs a moment
        // of exclusive access, so it goes through the same retry as a write.
        var journalMode = await RetryWhileLockedAsync(
            "open",
            async ct =>
            {
                await using var connection = await OpenAsync(ct).ConfigureAwait(false);
                return await SetWalAsync(connection, ct).ConfigureAwait(false);
            },
            cancellationToken).ConfigureAwait(false);
        if (!string.Equals(journalMode, "wal", StringComparison.OrdinalIgnoreCase))
        {
            throw new ConcordException(
                ErrorCategory.Configuration,
                $"SQLite database '{Name}' could not switch to WAL journal mode (it is '{journalMode}'). Use a file on a local disk.")
            {
                System = SqliteErrors.System,
                Operation = "open",
            };
        }

        await WriteCoreAsync(
            "migrate",
            (connection, transaction, ct) => SqliteMigrationRunner.MigrateAsync(connection, transaction, _schemas, _timeProvider.GetUtcNow(), Name, _logger, ct),
            cancellationToken).ConfigureAwait(false);

        // Register this instance; another machine with a fresh heartbeat makes the open fail (Configuration).
        var now = _timeProvider.GetUtcNow();
        await WriteCoreAsync(
            "hosts.register",
            async (connection, transaction, ct) =>
            {
                await SqliteHosts.HeartbeatAsync(connection, transaction, _instanceId, _host, now, Name, ct).ConfigureAwait(false);
                return true;
            },
            cancellationToken).ConfigureAwait(false);
        Interlocked.Exchange(ref _lastHeartbeatTicks, now.UtcTicks);
        Log.DatabaseOpened(_logger, FullPath, journalMode, SynchronousName);
    }

    private static async Task<string> SetWalAsync(SqliteConnection connection, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA journal_mode = WAL;";
        var mode = await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false);
        return Convert.ToString(mode, CultureInfo.InvariantCulture) ?? string.Empty;
    }
}
