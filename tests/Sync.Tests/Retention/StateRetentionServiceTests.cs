using Concord.Canonical.Errors;
using Concord.Sync.Retention;
using Concord.Sync.Retention.Internal;
using Concord.Tests.Shared;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Xunit;

namespace Concord.Sync.Tests.Retention;

public sealed class StateRetentionServiceTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 23, 12, 0, 0, TimeSpan.Zero);

    private static ServiceProvider Build(FakeTimeProvider time, IStatePurger? purger, Action<StateRetentionOptions>? configure = null)
    {
        var services = new ServiceCollection();
        services.AddSingleton<TimeProvider>(time);
        services.AddLogging();
        services.AddConcord().AddSync();
        if (purger is not null)
        {
            services.AddSingleton(purger);
        }

        if (configure is not null)
        {
            services.Configure(configure);
        }

        return services.BuildServiceProvider();
    }

    private static StateRetentionService Service(ServiceProvider provider) =>
        provider.GetServices<IHostedService>().OfType<StateRetentionService>().Single();

    [Fact]
    public async Task Every_interval_each_store_is_purged_with_cut_offs_taken_from_the_retention_periods()
    {
        var time = new TimerSignalingTimeProvider();
        time.SetUtcNow(T0);
        var purger = new RecordingPurger();
        await using var provider = Build(time, purger, o => { o.PurgeInterval = TimeSpan.FromHours(1); o.AuditEntries = TimeSpan.FromDays(365); });
        var service = Service(provider);
        await service.StartAsync(CancellationToken.None);
        await time.TimerCreated.WaitAsync(TimeSpan.FromSeconds(30));

        time.Advance(TimeSpan.FromHours(1));
        var first = await purger.NextAsync();
        time.Advance(TimeSpan.FromHours(1));
        var second = await purger.NextAsync();
        await service.StopAsync(CancellationToken.None);

        var now = T0.AddHours(1);
        Assert.Equal(new StatePurgeCutoffs(now.AddDays(-7), now.AddDays(-90), now.AddDays(-30), now.AddDays(-365)) { UndeliveredEvents = now.AddDays(-30), CompletedWebhookEvents = now.AddDays(-7) }, first);
        Assert.Equal(now.AddHours(1).AddDays(-7), second.DeliveredEvents);
    }

    [Fact]
    public async Task A_store_that_fails_is_tried_again_at_the_next_interval()
    {
        var time = new TimerSignalingTimeProvider();
        time.SetUtcNow(T0);
        var purger = new RecordingPurger { FailFirst = true };
        await using var provider = Build(time, purger, o => o.PurgeInterval = TimeSpan.FromMinutes(30));
        var service = Service(provider);
        await service.StartAsync(CancellationToken.None);
        await time.TimerCreated.WaitAsync(TimeSpan.FromSeconds(30));

        time.Advance(TimeSpan.FromMinutes(30));
        await purger.NextAsync();
        time.Advance(TimeSpan.FromMinutes(30));
        await purger.NextAsync();
        await service.StopAsync(CancellationToken.None);

        Assert.Equal(2, purger.Calls);
        Assert.False(service.ExecuteTask!.IsFaulted);
    }

    [Fact]
    public async Task Without_a_durable_store_or_with_the_interval_off_the_service_does_nothing_and_ends()
    {
        var time = new FakeTimeProvider(T0);
        await using var inMemory = Build(time, null);
        await using var off = Build(time, new RecordingPurger(), o => o.PurgeInterval = null);

        foreach (var service in new[] { Service(inMemory), Service(off) })
        {
            await service.StartAsync(CancellationToken.None);
            await service.ExecuteTask!.WaitAsync(TimeSpan.FromSeconds(30));
            Assert.True(service.ExecuteTask.IsCompletedSuccessfully);
        }
    }

    [Theory]
    [InlineData(nameof(StateRetentionOptions.DeliveredEvents))]
    [InlineData(nameof(StateRetentionOptions.FinishedIdempotencyKeys))]
    [InlineData(nameof(StateRetentionOptions.ResolvedDeadLetters))]
    [InlineData(nameof(StateRetentionOptions.AuditEntries))]
    [InlineData(nameof(StateRetentionOptions.PurgeInterval))]
    [InlineData(nameof(StateRetentionOptions.CompletedWebhookEvents))]
    public async Task A_period_that_is_not_positive_fails_at_start_naming_the_option(string option)
    {
        await using var provider = Build(new FakeTimeProvider(T0), null, o => typeof(StateRetentionOptions).GetProperty(option)!.SetValue(o, (TimeSpan?)TimeSpan.Zero));

        var error = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IOptions<StateRetentionOptions>>().Value);

        Assert.Contains("StateRetentionOptions." + option, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Completed_webhook_events_are_kept_at_least_as_long_as_hubspot_retries_a_delivery()
    {
        await using var tooShort = Build(new FakeTimeProvider(T0), null, o => o.CompletedWebhookEvents = TimeSpan.FromHours(12));
        await using var day = Build(new FakeTimeProvider(T0), null, o => o.CompletedWebhookEvents = TimeSpan.FromHours(24));

        var error = Assert.Throws<OptionsValidationException>(() => tooShort.GetRequiredService<IOptions<StateRetentionOptions>>().Value);

        Assert.Contains("StateRetentionOptions.CompletedWebhookEvents must be at least 1.00:00:00", error.Message, StringComparison.Ordinal);
        Assert.Equal(TimeSpan.FromHours(24), day.GetRequiredService<IOptions<StateRetentionOptions>>().Value.CompletedWebhookEvents);
    }

    private sealed class RecordingPurger : IStatePurger
    {
        private readonly System.Threading.Channels.Channel<StatePurgeCutoffs> _calls = System.Threading.Channels.Channel.CreateUnbounded<StatePurgeCutoffs>();

        public bool FailFirst { get; init; }

        public int Calls { get; private set; }

        public Task<StatePurgeResult> PurgeAsync(StatePurgeCutoffs cutoffs, CancellationToken cancellationToken = default)
        {
            Calls++;
            _calls.Writer.TryWrite(cutoffs);
            if (FailFirst && Calls == 1)
            {
                throw new ConcordException(ErrorCategory.Transient, "The database is locked.") { System = "sqlite", Operation = "purge" };
            }

            return Task.FromResult(StatePurgeResult.None);
        }

        public async Task<StatePurgeCutoffs> NextAsync() => await _calls.Reader.ReadAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(30));
    }
}
