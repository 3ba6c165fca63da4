using Concord.Canonical.Errors;
using Concord.Storage.Sqlite.Idempotency;
using Concord.Storage.Sqlite.Infrastructure;
using Concord.Storage.Sqlite.Tests.TestSupport;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace Concord.Storage.Sqlite.Tests.Infrastructure;

/// <summary>Several machines sharing one SQLite file is refused where it can be detected (issue 11, §7).</summary>
public sealed class SqliteHostOwnershipTests : IDisposable
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 23, 12, 0, 0, TimeSpan.Zero);
    private static readonly SqliteHostIdentity MachineA = new("boot:aaaa", "machine-a");
    private static readonly SqliteHostIdentity MachineB = new("boot:bbbb", "machine-b");

    private readonly TempDatabaseFolder _folder = new();
    private readonly List<SqliteDatabase> _opened = [];

    public void Dispose()
    {
        foreach (var database in _opened)
        {
            database.Dispose();
        }

        _folder.Dispose();
    }

    [Fact]
    public async Task A_file_another_machine_uses_is_refused_with_a_configuration_error_that_names_it_and_points_to_PostgreSQL()
    {
        await TouchAsync(Open(MachineA, new FakeTimeProvider(T0)));

        var error = await Assert.ThrowsAsync<Concord.Canonical.Errors.ConcordException>(() => TouchAsync(Open(MachineB, new FakeTimeProvider(T0.AddSeconds(10)))));

        Assert.Equal(ErrorCategory.Configuration, error.Category);
        Assert.Contains("machine-a", error.Message, StringComparison.Ordinal);
        Assert.Contains("PostgreSQL", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Processes_of_one_machine_share_the_file()
    {
        await TouchAsync(Open(MachineA, new FakeTimeProvider(T0)));

        await TouchAsync(Open(MachineA with { }, new FakeTimeProvider(T0.AddSeconds(1))));
    }

    [Fact]
    public async Task A_machine_that_closed_the_file_releases_it_at_once()
    {
        var first = Open(MachineA, new FakeTimeProvider(T0));
        await TouchAsync(first);
        first.Dispose();

        await TouchAsync(Open(MachineB, new FakeTimeProvider(T0.AddSeconds(1))));
    }

    [Fact]
    public async Task A_machine_that_stopped_without_closing_releases_the_file_when_its_heartbeat_goes_stale()
    {
        await TouchAsync(Open(MachineA, new FakeTimeProvider(T0))); // killed: never disposed, never heartbeats again

        await Assert.ThrowsAsync<Concord.Canonical.Errors.ConcordException>(() => TouchAsync(Open(MachineB, new FakeTimeProvider(T0 + SqliteHosts.StaleAfter - TimeSpan.FromSeconds(1)))));
        await TouchAsync(Open(MachineB, new FakeTimeProvider(T0 + SqliteHosts.StaleAfter + TimeSpan.FromSeconds(1))));
    }

    [Fact]
    public async Task A_running_machine_keeps_its_claim_with_its_writes_and_a_second_machine_that_got_in_is_stopped_at_its_next_write()
    {
        var clockA = new FakeTimeProvider(T0);
        var a = Open(MachineA, clockA);
        await TouchAsync(a);
        clockA.Advance(TimeSpan.FromMinutes(10));
        await WriteAsync(a); // renews the heartbeat

        await Assert.ThrowsAsync<Concord.Canonical.Errors.ConcordException>(() => TouchAsync(Open(MachineB, new FakeTimeProvider(T0.AddMinutes(11)))));
    }

    [Fact]
    public async Task An_idle_machine_keeps_its_claim_with_the_hosted_heartbeat()
    {
        var clockA = new FakeTimeProvider(T0);
        var a = Open(MachineA, clockA);
        await TouchAsync(a);
        clockA.Advance(TimeSpan.FromMinutes(10));
        await a.RenewHeartbeatAsync(CancellationToken.None);

        await Assert.ThrowsAsync<Concord.Canonical.Errors.ConcordException>(() => TouchAsync(Open(MachineB, new FakeTimeProvider(T0.AddMinutes(11)))));
    }

    [Fact]
    public async Task A_machine_that_finds_another_one_in_its_file_refuses_to_write()
    {
        var clockA = new FakeTimeProvider(T0);
        var a = Open(MachineA, clockA);
        await TouchAsync(a);
        await TouchAsync(Open(MachineB, new FakeTimeProvider(T0 + SqliteHosts.StaleAfter + TimeSpan.FromSeconds(1)))); // A looked gone
        clockA.Advance(SqliteHosts.StaleAfter + TimeSpan.FromSeconds(2));

        var error = await Assert.ThrowsAsync<Concord.Canonical.Errors.ConcordException>(() => WriteAsync(a));

        Assert.Equal(ErrorCategory.Configuration, error.Category);
        Assert.Contains("machine-b", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/mnt/share/concord/concord.db", true)]
    [InlineData("/mnt/sharelocal/concord.db", false)]
    [InlineData("/var/lib/concord/concord.db", false)]
    [InlineData("/mnt/share", true)]
    public void A_file_under_a_network_mount_is_recognised(string path, bool network)
    {
        (string, DriveType)[] drives = [("/", DriveType.Fixed), ("/mnt/share", DriveType.Network), ("/mnt/sharelocal", DriveType.Fixed), ("/var/lib", DriveType.Fixed)];

        Assert.Equal(network, SqliteHosts.IsOnNetworkDrive(path, drives));
    }

    [Fact]
    public void The_message_for_a_network_drive_points_to_a_local_disk_or_PostgreSQL()
    {
        var error = SqliteHosts.OnNetworkDrive("concord.db");

        Assert.Equal(ErrorCategory.Configuration, error.Category);
        Assert.Contains("PostgreSQL", error.Message, StringComparison.Ordinal);
    }

    private SqliteDatabase Open(SqliteHostIdentity host, TimeProvider time)
    {
        var database = new SqliteDatabase(Options.Create(new SqliteStorageOptions { DatabasePath = _folder.DatabasePath }), [new SqliteIdempotencySchema()], time, null, host);
        _opened.Add(database);
        return database;
    }

    private static Task<long> TouchAsync(SqliteDatabase database) =>
        database.ReadAsync("test.read", async (connection, ct) =>
        {
            await using var command = connection.CreateCommand();
            command.CommandText = "SELECT count(*) FROM concord_hosts;";
            return (long)(await command.ExecuteScalarAsync(ct))!;
        });

    private static Task<bool> WriteAsync(SqliteDatabase database) =>
        database.WriteAsync("test.write", (_, _, _) => Task.FromResult(true));
}
