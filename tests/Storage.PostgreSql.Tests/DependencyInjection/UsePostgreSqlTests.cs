using Concord.Storage.PostgreSql.Audit;
using Concord.Storage.PostgreSql.Cursors;
using Concord.Storage.PostgreSql.DeadLetters;
using Concord.Storage.PostgreSql.Identity;
using Concord.Storage.PostgreSql.Idempotency;
using Concord.Storage.PostgreSql.Outbox;
using Concord.Storage.PostgreSql.Retention;
using Concord.Storage.PostgreSql.State;
using Concord.Storage.PostgreSql.Tests.TestSupport;
using Concord.Storage.PostgreSql.Writes;
using Concord.Canonical.Connectors;
using Concord.Sync.Audit;
using Concord.Sync.Cursors;
using Concord.Sync.DeadLetters;
using Concord.Sync.Identity;
using Concord.Sync.Idempotency;
using Concord.Sync.Outbox;
using Concord.Sync.Retention;
using Concord.Sync.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Concord.Storage.PostgreSql.Tests.DependencyInjection;

public sealed class UsePostgreSqlTests
{
    [Fact]
    public async Task UsePostgreSql_replaces_every_in_memory_store_and_the_committer()
    {
        var services = new ServiceCollection();
        services.AddConcord().UsePostgreSql("Host=127.0.0.1;Database=unused");
        await using var provider = services.BuildServiceProvider();

        Assert.IsType<PostgreSqlIdempotencyStore>(provider.GetRequiredService<IIdempotencyStore>());
        Assert.IsType<PostgreSqlIdentityMap>(provider.GetRequiredService<IIdentityMap>());
        Assert.IsType<PostgreSqlCursorStore>(provider.GetRequiredService<ICursorStore>());
        Assert.IsType<PostgreSqlDeadLetterStore>(provider.GetRequiredService<IDeadLetterStore>());
        Assert.IsType<PostgreSqlOutbox>(provider.GetRequiredService<IOutbox>());
        Assert.IsType<PostgreSqlAuditLog>(provider.GetRequiredService<IAuditLog>());
        Assert.IsType<PostgreSqlWriteLedger>(provider.GetRequiredService<IWriteLedger>());
        Assert.IsType<PostgreSqlStateCommitter>(provider.GetRequiredService<IStateCommitter>());
        Assert.Contains(provider.GetServices<IStatePurger>(), p => p is PostgreSqlStatePurger);
    }

    [Fact]
    public void A_missing_connection_string_fails_at_start_naming_the_option()
    {
        var services = new ServiceCollection();
        services.AddConcord().UsePostgreSql(_ => { });
        using var provider = services.BuildServiceProvider();

        var error = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IOptions<PostgreSqlStorageOptions>>().Value);

        Assert.Contains("PostgreSqlStorageOptions.ConnectionString", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Concord")]
    [InlineData("1concord")]
    [InlineData("concord; DROP TABLE x")]
    [InlineData("")]
    public void A_schema_that_is_not_a_plain_lower_case_name_fails_at_start_naming_the_option(string schema)
    {
        var services = new ServiceCollection();
        services.AddConcord().UsePostgreSql(o => { o.ConnectionString = "Host=127.0.0.1"; o.Schema = schema; });
        using var provider = services.BuildServiceProvider();

        var error = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IOptions<PostgreSqlStorageOptions>>().Value);

        Assert.Contains("PostgreSqlStorageOptions.Schema", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task State_written_through_one_host_on_a_data_source_is_read_by_the_next_host_in_the_configured_schema()
    {
        var schema = PostgreSqlServer.NewSchemaName();
        try
        {
            var checkpoint = new CursorCheckpoint { Flow = "accounts", Source = "salesforce", Cursor = new ChangeCursor("c-9"), CheckpointedAt = new DateTimeOffset(2026, 11, 23, 12, 0, 0, TimeSpan.Zero) };
            await using (var source = NpgsqlDataSource.Create(PostgreSqlServer.ConnectionString))
            {
                var services = new ServiceCollection();
                services.AddConcord().UsePostgreSql(source, o => o.Schema = schema);
                await using var first = services.BuildServiceProvider();
                await first.GetRequiredService<IStateCommitter>().CommitAsync(new StateChangeSet { Cursor = checkpoint });
            }

            var next = new ServiceCollection();
            next.AddConcord().UsePostgreSql(o => { o.ConnectionString = PostgreSqlServer.ConnectionString; o.Schema = schema; });
            await using var second = next.BuildServiceProvider();

            Assert.Equal(checkpoint, await second.GetRequiredService<ICursorStore>().GetAsync("accounts", "salesforce"));
        }
        finally
        {
            await PostgreSqlServer.DropSchemaAsync(schema);
        }
    }
}
