using System.Globalization;
using Concord.Canonical.Errors;
using Microsoft.Data.Sqlite;

namespace Concord.Storage.Sqlite.Infrastructure;

/// <summary>
/// The <c>concord_hosts</c> table: one row per open <see cref="SqliteDatabase"/> (an instance id, the machine it runs on,
/// its process id, when it opened the file and its last heartbeat). SQLite's locks hold only between processes of one
/// machine on a local disk; a second machine opening the same file (a network share) would corrupt it or interleave
/// writes. A database refuses to open, and refuses to write, while another machine's instance has a fresh heartbeat.
/// </summary>
internal sealed class SqliteHostSchema : ISqliteSchema
{
    public const string Table = "concord_hosts";

    public static SqliteHostSchema Instance { get; } = new();

    public string Component => "hosts";

    public IReadOnlyList<SqliteMigration> Migrations { get; } =
    [
        new(1, $"create {Table}", $"""
            CREATE TABLE {Table} (
                instance_id  TEXT    NOT NULL PRIMARY KEY,
                machine_id   TEXT    NOT NULL,
                machine_name TEXT    NOT NULL,
                process_id   INTEGER NOT NULL,
                opened_at    TEXT    NOT NULL,
                heartbeat_at TEXT    NOT NULL
            );
            """),
    ];
}

/// <summary>
/// The machine a process runs on, as far as SQLite's locking is concerned: processes (and containers) on one kernel share
/// its locks, so on Linux the kernel's boot id identifies the machine; elsewhere the machine name does.
/// </summary>
/// <param name="MachineId">What identifies the machine (Linux boot id, else the machine name).</param>
/// <param name="MachineName">The machine name, for messages.</param>
internal sealed record SqliteHostIdentity(string MachineId, string MachineName)
{
    private const string BootIdPath = "/proc/sys/kernel/random/boot_id";

    public static SqliteHostIdentity Current { get; } = Detect();

    private static SqliteHostIdentity Detect()
    {
        var name = Environment.MachineName;
        try
        {
            if (OperatingSystem.IsLinux() && File.Exists(BootIdPath) && File.ReadAllText(BootIdPath).Trim() is { Length: > 0 } bootId)
            {
                return new SqliteHostIdentity("boot:" + bootId, name);
            }
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            // Not readable (a sandbox): fall back to the machine name.
        }

        return new SqliteHostIdentity("name:" + name, name);
    }
}

/// <summary>Registers an instance in <c>concord_hosts</c>, keeps its heartbeat and refuses a file another machine uses.</summary>
internal static class SqliteHosts
{
    /// <summary>How often an open database renews its heartbeat (on a timer, and with a write when one is due).</summary>
    public static readonly TimeSpan HeartbeatInterval = TimeSpan.FromSeconds(30);

    /// <summary>A heartbeat older than this belongs to an instance that stopped without closing the file (killed, crashed).</summary>
    public static readonly TimeSpan StaleAfter = TimeSpan.FromMinutes(2);

    /// <summary>Rows of instances gone this long are deleted when another instance registers.</summary>
    private static readonly TimeSpan ForgetAfter = TimeSpan.FromDays(1);

    /// <summary>Registers (or renews) <paramref name="instanceId"/>, after checking that no other machine's instance is alive.</summary>
    /// <exception cref="ConcordException"><see cref="ErrorCategory.Configuration"/>: another machine uses the file.</exception>
    public static async Task HeartbeatAsync(SqliteConnection connection, SqliteTransaction transaction, string instanceId, SqliteHostIdentity host, DateTimeOffset now, string database, CancellationToken cancellationToken)
    {
        var nowText = SqliteValues.ToText(now);
        await using (var other = connection.CreateCommand())
        {
            other.Transaction = transaction;
            other.CommandText = $"""
                SELECT machine_name, process_id, heartbeat_at FROM {SqliteHostSchema.Table}
                WHERE machine_id <> $machine AND heartbeat_at > $fresh
                ORDER BY heartbeat_at DESC LIMIT 1;
                """;
            other.Parameters.AddWithValue("$machine", host.MachineId);
            other.Parameters.AddWithValue("$fresh", SqliteValues.ToText(now - StaleAfter));
            await using var reader = await other.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            if (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                throw InUseElsewhere(database, reader.GetString(0), reader.GetInt64(1), SqliteValues.ToDateTimeOffset(reader.GetString(2)), host);
            }
        }

        await using var upsert = connection.CreateCommand();
        upsert.Transaction = transaction;
        upsert.CommandText = $"""
            DELETE FROM {SqliteHostSchema.Table} WHERE heartbeat_at < $forget;
            INSERT INTO {SqliteHostSchema.Table} (instance_id, machine_id, machine_name, process_id, opened_at, heartbeat_at)
            VALUES ($instance, $machine, $name, $pid, $now, $now)
            ON CONFLICT (instance_id) DO UPDATE SET heartbeat_at = excluded.heartbeat_at;
            """;
        upsert.Parameters.AddWithValue("$forget", SqliteValues.ToText(now - ForgetAfter));
        upsert.Parameters.AddWithValue("$instance", instanceId);
        upsert.Parameters.AddWithValue("$machine", host.MachineId);
        upsert.Parameters.AddWithValue("$name", host.MachineName);
        upsert.Parameters.AddWithValue("$pid", Environment.ProcessId);
        upsert.Parameters.AddWithValue("$now", nowText);
        await upsert.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Removes the instance's row when it closes the file, so that another machine may take the file over at once.</summary>
    public static void Unregister(SqliteConnection connection, string instanceId)
    {
        using var delete = connection.CreateCommand();
        delete.CommandText = $"DELETE FROM {SqliteHostSchema.Table} WHERE instance_id = $instance;";
        delete.Parameters.AddWithValue("$instance", instanceId);
        delete.ExecuteNonQuery();
    }

    /// <summary>Whether <paramref name="fullPath"/> lies on a network drive (NFS, SMB/CIFS, ...), by the longest matching mount point.</summary>
    public static bool IsOnNetworkDrive(string fullPath, IEnumerable<(string Root, DriveType Type)> drives)
    {
        var best = drives
            .Where(d => IsUnder(fullPath, d.Root))
            .OrderByDescending(d => d.Root.Length)
            .Select(d => (DriveType?)d.Type)
            .FirstOrDefault();
        return best == DriveType.Network || (OperatingSystem.IsWindows() && fullPath.StartsWith(@"\\", StringComparison.Ordinal) && !fullPath.StartsWith(@"\\?\", StringComparison.Ordinal));
    }

    /// <summary>The mounted drives as the runtime sees them (an unreadable one is skipped).</summary>
    public static IEnumerable<(string Root, DriveType Type)> Drives()
    {
        DriveInfo[] drives;
        try
        {
            drives = DriveInfo.GetDrives();
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            yield break;
        }

        foreach (var drive in drives)
        {
            (string, DriveType)? entry;
            try
            {
                entry = (drive.RootDirectory.FullName, drive.DriveType);
            }
            catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
            {
                entry = null;
            }

            if (entry is { } found)
            {
                yield return found;
            }
        }
    }

    public static ConcordException OnNetworkDrive(string database) =>
        new(ErrorCategory.Configuration, $"SQLite database '{database}' is on a network file system. SQLite's locks and its write-ahead log do not work across machines: keep the file on a local disk of the one machine that runs the flows, or use a server database (PostgreSQL) to share state between machines.")
        {
            System = SqliteErrors.System,
            Operation = "open",
        };

    private static ConcordException InUseElsewhere(string database, string machine, long processId, DateTimeOffset heartbeat, SqliteHostIdentity host) =>
        new(ErrorCategory.Configuration, string.Create(CultureInfo.InvariantCulture, $"SQLite database '{database}' is in use by machine '{machine}' (process {processId}, last heartbeat {heartbeat:O}); this is machine '{host.MachineName}'. SQLite cannot share a file between machines (a network share corrupts it or interleaves writes): run the flows of one state file on one machine, or use a server database (PostgreSQL) to share state. A machine that stopped without closing the file releases it {StaleAfter.TotalMinutes} minutes after its last heartbeat."))
        {
            System = SqliteErrors.System,
            Operation = "open",
        };

    private static bool IsUnder(string path, string root)
    {
        if (string.IsNullOrEmpty(root))
        {
            return false;
        }

        var comparison = OperatingSystem.IsWindows() ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal;
        if (!path.StartsWith(root, comparison))
        {
            return false;
        }

        return path.Length == root.Length || root.EndsWith(Path.DirectorySeparatorChar) || path[root.Length] == Path.DirectorySeparatorChar;
    }
}
