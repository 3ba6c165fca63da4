using Concord.Canonical;
using Concord.Storage.Sqlite.Audit;
using Concord.Storage.Sqlite.Cursors;
using Concord.Storage.Sqlite.DeadLetters;
using Concord.Storage.Sqlite.Identity;
using Concord.Storage.Sqlite.Outbox;
using Concord.Storage.Sqlite.State;
using Concord.Sync.Audit;
using Concord.Sync.Cursors;
using Concord.Sync.DeadLetters;
using Concord.Sync.Identity;
using Concord.Sync.Outbox;
using Concord.Sync.Storage;
using Microsoft.Extensions.DependencyInjection;

namespace Concord.Storage.Sqlite.Tests.Engine;

public sealed class UseSqliteEngineStateTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("concord-engine-di-").FullName;

    public void Dispose()
    {
        try
        {
            Directory.Delete(_folder, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    [Fact]
    public void UseSqlite_replaces_every_in_memory_engine_store_and_the_committer()
    {
        using var provider = Provider();

        Assert.IsType<SqliteIdentityMap>(provider.GetRequiredService<IIdentityMap>());
        Assert.IsType<SqliteCursorStore>(provider.GetRequiredService<ICursorStore>());
        Assert.IsType<SqliteDeadLetterStore>(provider.GetRequiredService<IDeadLetterStore>());
        Assert.IsType<SqliteOutbox>(provider.GetRequiredService<IOutbox>());
        Assert.IsType<SqliteAuditLog>(provider.GetRequiredService<IAuditLog>());
        Assert.IsType<SqliteStateCommitter>(provider.GetRequiredService<IStateCommitter>());
    }

    [Fact]
    public async Task State_written_through_one_host_is_read_by_the_next_host_on_the_same_file()
    {
        var link = new IdentityLink { CanonicalId = "c-1", System = "odoo", ExternalId = "42", UpdatedAt = new DateTimeOffset(2026, 11, 23, 12, 0, 0, TimeSpan.Zero) };
        await using (var first = Provider())
        {
            await first.GetRequiredService<IIdentityMap>().LinkAsync([link]);
        }

        await using var second = Provider();
        var resolved = await second.GetRequiredService<IIdentityMap>().ResolveAsync([new ExternalRef("odoo", "42")]);

        Assert.Equal("c-1", resolved.Single().Value);
        Assert.True(File.Exists(Path.Combine(_folder, "state", "concord.db")));
    }

    private ServiceProvider Provider()
    {
        var services = new ServiceCollection();
        services.AddConcord(c => c.UseSqlite(Path.Combine(_folder, "state", "concord.db")));
        return services.BuildServiceProvider();
    }
}
