using Concord.Canonical;
using Concord.Storage.Sqlite.Identity;
using Concord.Storage.Sqlite.Infrastructure;
using Concord.Storage.Sqlite.State;
using Concord.Storage.Sqlite.Tests.TestSupport;
using Concord.Storage.Sqlite.Writes;
using Concord.Sync.Identity;
using Concord.Sync.Storage;
using Microsoft.Extensions.DependencyInjection;

namespace Concord.Storage.Sqlite.Tests.Writes;

public sealed class SqliteWriteLedgerTests : IDisposable
{
    private readonly TempDatabaseFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public async Task A_state_file_from_before_the_write_ledger_gets_its_tables_at_the_next_open_and_keeps_its_data()
    {
        var before = SqliteEngineStateServices.Schemas().Where(s => s is not SqliteWriteLedgerSchema).ToArray();
        var old = _folder.Open(TimeProvider.System, schemas: before);
        await new SqliteIdentityMap(old).LinkAsync([new IdentityLink { CanonicalId = "c-1", System = "odoo", ExternalId = "17", Fingerprint = "fp", UpdatedAt = DateTimeOffset.UnixEpoch }]);
        old.Dispose();

        var reopened = _folder.Open(TimeProvider.System, schemas: SqliteEngineStateServices.Schemas());
        var lease = Assert.Single(await new SqliteWriteLedger(reopened, TimeProvider.System).AcquireAsync([new WriteLeaseRequest { CanonicalId = "c-1", Target = "odoo" }], TimeSpan.FromMinutes(1)));

        Assert.Equal(WriteLeaseStatus.Acquired, lease.Status);
        Assert.Equal("c-1", (await new SqliteIdentityMap(reopened).ResolveAsync([new ExternalRef("odoo", "17")]))[new ExternalRef("odoo", "17")]);
        using var raw = new RawSqlite(_folder.DatabasePath);
        Assert.Contains("writes|1", raw.Rows("SELECT component, version FROM concord_schema_migrations;"));
    }

    [Fact]
    public async Task UseSqlite_registers_the_SQLite_write_ledger()
    {
        var services = new ServiceCollection();
        services.AddConcord().UseSqlite(_folder.DatabasePath);
        await using var provider = services.BuildServiceProvider();

        Assert.IsType<SqliteWriteLedger>(provider.GetRequiredService<IWriteLedger>());
    }
}
