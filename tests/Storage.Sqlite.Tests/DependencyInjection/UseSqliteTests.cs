using Concord.Canonical.Connectors;
using Concord.Canonical.Idempotency;
using Concord.Storage.Sqlite.Idempotency;
using Concord.Storage.Sqlite.Tests.TestSupport;
using Concord.Sync.Idempotency;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Concord.Storage.Sqlite.Tests.DependencyInjection;

public sealed class UseSqliteTests : IDisposable
{
    private readonly TempDatabaseFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public void UseSqlite_replaces_the_in_memory_idempotency_store()
    {
        var services = new ServiceCollection();
        services.AddConcord().UseSqlite(_folder.DatabasePath);
        services.AddConcord();
        using var provider = services.BuildServiceProvider();

        var stores = provider.GetServices<IIdempotencyStore>().ToList();

        Assert.IsType<SqliteIdempotencyStore>(Assert.Single(stores));
        Assert.Same(stores[0], provider.GetRequiredService<IIdempotencyStore>());
    }

    [Fact]
    public async Task Store_from_UseSqlite_keeps_its_records_in_the_file_across_containers()
    {
        var key = IdempotencyKey.From("order-1");
        await using (var first = BuildProvider(b => b.UseSqlite(_folder.DatabasePath)))
        {
            var store = first.GetRequiredService<IIdempotencyStore>();
            var claim = await store.TryClaimAsync(key, "fp", TimeSpan.FromMinutes(1));
            await store.CompleteAsync(claim, new IdempotencyResult("42", UpsertOutcome.Created));
        }

        await using var second = BuildProvider(b => b.UseSqlite(o => o.DatabasePath = _folder.DatabasePath));
        var again = await second.GetRequiredService<IIdempotencyStore>().TryClaimAsync(key, "fp", TimeSpan.FromMinutes(1));

        Assert.True(File.Exists(_folder.DatabasePath));
        Assert.Equal(IdempotencyClaimStatus.AlreadyCompleted, again.Status);
        Assert.Equal("42", again.Result!.ExternalId);
    }

    [Theory]
    [InlineData("", "DatabasePath")]
    [InlineData(":memory:", "DatabasePath")]
    public void Invalid_database_path_fails_at_start_naming_the_option(string path, string option)
    {
        AssertStartFails(o => o.DatabasePath = path, option);
    }

    [Fact]
    public void Busy_timeout_out_of_range_fails_at_start_naming_the_option()
    {
        AssertStartFails(o => { o.DatabasePath = _folder.DatabasePath; o.BusyTimeout = TimeSpan.FromHours(1); }, "BusyTimeout");
    }

    [Fact]
    public void Max_write_attempts_out_of_range_fails_at_start_naming_the_option()
    {
        AssertStartFails(o => { o.DatabasePath = _folder.DatabasePath; o.MaxWriteAttempts = 0; }, "MaxWriteAttempts");
    }

    [Fact]
    public void Unknown_synchronous_mode_fails_at_start_naming_the_option()
    {
        AssertStartFails(o => { o.DatabasePath = _folder.DatabasePath; o.Synchronous = (SqliteSynchronousMode)7; }, "Synchronous");
    }

    [Fact]
    public void Valid_options_pass_start_validation()
    {
        using var provider = BuildProvider(b => b.UseSqlite(_folder.DatabasePath));

        provider.GetRequiredService<IStartupValidator>().Validate();
        var options = provider.GetRequiredService<IOptions<SqliteStorageOptions>>().Value;
        Assert.Equal(TimeSpan.FromSeconds(5), options.BusyTimeout);
        Assert.Equal(5, options.MaxWriteAttempts);
        Assert.Equal(SqliteSynchronousMode.Normal, options.Synchronous);
    }

    [Fact]
    public void UseSqlite_checks_its_arguments()
    {
        var builder = new ServiceCollection().AddConcord();

        Assert.Throws<ArgumentException>(() => builder.UseSqlite("  "));
        Assert.Throws<ArgumentNullException>(() => builder.UseSqlite((Action<SqliteStorageOptions>)null!));
    }

    private static ServiceProvider BuildProvider(Action<Concord.Canonical.DependencyInjection.IConcordBuilder> configure)
    {
        var services = new ServiceCollection();
        configure(services.AddConcord());
        return services.BuildServiceProvider();
    }

    private static void AssertStartFails(Action<SqliteStorageOptions> configure, string option)
    {
        using var provider = BuildProvider(b => b.UseSqlite(configure));

        var error = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IStartupValidator>().Validate());

        Assert.Contains(option, error.Message, StringComparison.Ordinal);
    }
}
