using Concord.Sync.Outbox;
using Concord.Sync.Tests.Engine.Fakes;
using Microsoft.Extensions.DependencyInjection;
using Xunit;

namespace Concord.Sync.Tests.Outbox;

public sealed class OutboxDispatcherTests
{
    private static OutboxMessage Message(string id, string partition) => new()
    {
        Id = id,
        PartitionKey = partition,
        Type = CustomerEventTypes.Created,
        Source = "/concord/flows/test",
        Subject = partition,
        Time = new DateTimeOffset(2026, 11, 23, 9, 0, 0, TimeSpan.Zero),
        CorrelationId = "run-1",
        Data = """{"canonicalId":"x"}""",
    };

    [Fact]
    public async Task A_failed_event_holds_back_the_later_events_of_its_customer_only_and_is_delivered_later_in_order()
    {
        using var harness = new EngineHarness(_ => { });
        await harness.Outbox.EnqueueAsync([Message("a1", "A"), Message("b1", "B"), Message("a2", "A"), Message("b2", "B")]);
        harness.Publisher.FailWhen = e => e.Id == "a1";

        var first = await harness.Dispatcher.DispatchAsync();
        harness.Publisher.FailWhen = null;
        var second = await harness.Dispatcher.DispatchAsync();

        Assert.Equal(2, first);
        Assert.Equal(2, second);
        Assert.Equal(["b1", "b2", "a1", "a2"], harness.Publisher.Events.Select(e => e.Id));
        Assert.Equal(0, await harness.Outbox.CountPendingAsync());
    }

    [Fact]
    public async Task Events_are_CloudEvents_with_the_correlation_id_and_json_data()
    {
        using var harness = new EngineHarness(_ => { });
        await harness.Outbox.EnqueueAsync([Message("a1", "A")]);

        await harness.Dispatcher.DispatchAsync();

        var cloudEvent = Assert.Single(harness.Publisher.Events);
        Assert.Equal(CloudNative.CloudEvents.CloudEventsSpecVersion.V1_0, cloudEvent.SpecVersion);
        Assert.Equal(("a1", CustomerEventTypes.Created, "A", "application/json"), (cloudEvent.Id, cloudEvent.Type, cloudEvent.Subject, cloudEvent.DataContentType));
        Assert.Equal("run-1", cloudEvent[CustomerEventTypes.CorrelationIdAttribute]);
        Assert.Equal("x", Assert.IsType<System.Text.Json.JsonElement>(cloudEvent.Data).GetProperty("canonicalId").GetString());
        Assert.True(cloudEvent.IsValid);
    }

    [Fact]
    public void Invalid_dispatcher_options_fail_naming_the_option()
    {
        using var harness = new EngineHarness(c => c.Services.Configure<OutboxDispatcherOptions>(o => o.Lease = TimeSpan.Zero));

        var error = Assert.Throws<Microsoft.Extensions.Options.OptionsValidationException>(
            () => harness.Services.GetRequiredService<Microsoft.Extensions.Options.IOptions<OutboxDispatcherOptions>>().Value);

        Assert.Contains("OutboxDispatcherOptions.Lease", error.Message, StringComparison.Ordinal);
    }
}
