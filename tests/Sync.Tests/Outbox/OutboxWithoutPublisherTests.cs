using System.Diagnostics;
using Concord.Canonical.Diagnostics;
using Concord.Sync.Outbox;
using Concord.Sync.Tests.Engine.Fakes;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using Xunit;

namespace Concord.Sync.Tests.Outbox;

/// <summary>No silent loss of events (issue 11, §6), and outbox publishing is traced (§7).</summary>
[Collection(Concord.Sync.Tests.Diagnostics.ActivityListenerCollection.Name)]
public sealed class OutboxWithoutPublisherTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 20, 8, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task Without_a_publisher_events_stay_pending_and_are_never_marked_delivered()
    {
        var (harness, crm) = WithoutPublisher();
        using var _ = harness;
        crm.Emit(Customers.Company(1), T0);
        crm.Emit(Customers.Company(2), T0);
        await harness.Flow().RunOnceAsync();

        var published = await harness.Dispatcher.DispatchAsync();
        var again = await harness.Dispatcher.DispatchAsync();

        Assert.Equal((0, 0), (published, again));
        Assert.Equal(2, await harness.Outbox.CountPendingAsync());
    }

    [Fact]
    public async Task Events_kept_without_a_publisher_are_delivered_once_one_is_registered()
    {
        var crm = new FakeCustomerConnector("crm");
        var erp = new FakeCustomerConnector("erp");
        var outbox = new InMemoryOutbox(TimeProvider.System); // outlives one container, as a durable store does
        using (var before = new EngineHarness(c => c.AddFlow("flow", f => f.From("crm").To("erp")), s => s.RemoveAll<IOutboxPublisher>().AddSingleton<IOutbox>(outbox), crm, erp))
        {
            crm.Emit(Customers.Company(1), T0);
            await before.Flow().RunOnceAsync();
            await before.Dispatcher.DispatchAsync();
        }

        using var after = new EngineHarness(c => c.AddFlow("flow", f => f.From("crm").To("erp")), s => s.AddSingleton<IOutbox>(outbox), crm, erp);
        var published = await after.Dispatcher.DispatchAsync();

        Assert.Equal(1, published);
        Assert.Equal(CustomerEventTypes.Created, Assert.Single(after.Publisher.Events).Type);
    }

    [Fact]
    public async Task Without_a_publisher_the_host_is_warned_at_start()
    {
        var (harness, _) = WithoutPublisher(s => s.AddFakeLogging());
        using var _ = harness;

        foreach (var service in harness.Services.GetServices<IHostedService>().Where(s => s.GetType().Name == "OutboxPublisherCheck"))
        {
            await service.StartAsync(CancellationToken.None);
        }

        var warning = Assert.Single(harness.Services.GetFakeLogCollector().GetSnapshot(), r => r.Id.Name == "NoPublisher");
        Assert.Equal(LogLevel.Warning, warning.Level);
        Assert.Contains(nameof(IOutboxPublisher), warning.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task With_a_publisher_there_is_no_start_up_warning()
    {
        var crm = new FakeCustomerConnector("crm");
        var erp = new FakeCustomerConnector("erp");
        using var harness = new EngineHarness(c => c.AddFlow("flow", f => f.From("crm").To("erp")), s => s.AddFakeLogging(), crm, erp);

        foreach (var service in harness.Services.GetServices<IHostedService>().Where(s => s.GetType().Name == "OutboxPublisherCheck"))
        {
            await service.StartAsync(CancellationToken.None);
        }

        Assert.DoesNotContain(harness.Services.GetFakeLogCollector().GetSnapshot(), r => r.Id.Name == "NoPublisher");
    }

    [Fact]
    public async Task Pending_events_are_measured_by_an_observable_gauge()
    {
        var (harness, crm) = WithoutPublisher(s => s.AddMetrics());
        using var _ = harness;
        using var pending = new MetricCollector<long>(harness.Services.GetRequiredService<System.Diagnostics.Metrics.IMeterFactory>(), ConcordTelemetry.Name, "concord.outbox.pending");
        crm.Emit(Customers.Company(1), T0);
        crm.Emit(Customers.Company(2), T0);
        crm.Emit(Customers.Company(3), T0);
        await harness.Flow().RunOnceAsync();
        await harness.Dispatcher.DispatchAsync();

        pending.RecordObservableInstruments();

        Assert.Equal(3, pending.LastMeasurement?.Value);
    }

    [Fact]
    public async Task Publishing_is_traced_and_each_event_carries_the_traceparent_of_its_publish_span_in_the_run_trace()
    {
        var crm = new FakeCustomerConnector("crm");
        var erp = new FakeCustomerConnector("erp");
        using var harness = new EngineHarness(c => c.AddFlow("traced-outbox", f => f.From("crm").To("erp")), null, crm, erp) { DefaultFlow = "traced-outbox" };
        var spans = new List<Activity>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = s => s.Name == ConcordTelemetry.Name,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = a =>
            {
                lock (spans)
                {
                    spans.Add(a);
                }
            },
        };
        ActivitySource.AddActivityListener(listener);
        crm.Emit(Customers.Company(1), T0);

        var summary = await harness.Flow().RunOnceAsync();
        await harness.Dispatcher.DispatchAsync();

        var cloudEvent = Assert.Single(harness.Publisher.Events);
        List<Activity> mine;
        lock (spans)
        {
            mine = [.. spans.Where(a => a.TraceId.ToHexString() == summary.CorrelationId)];
        }

        var batch = Assert.Single(mine, a => a.OperationName == "concord.flow.batch");
        var publish = Assert.Single(mine, a => a.OperationName == "concord.outbox.publish");
        Assert.Equal(ActivityKind.Producer, publish.Kind);
        Assert.Equal(batch.SpanId, publish.ParentSpanId);
        Assert.Equal(cloudEvent.Id, publish.GetTagItem("messaging.message.id"));
        Assert.Equal(publish.Id, cloudEvent["traceparent"]);
        Assert.Equal(summary.CorrelationId, cloudEvent[CustomerEventTypes.CorrelationIdAttribute]);
    }

    [Fact]
    public async Task An_event_enqueued_outside_a_trace_carries_no_traceparent()
    {
        using var harness = new EngineHarness(_ => { });
        await harness.Outbox.EnqueueAsync([new OutboxMessage
        {
            Id = "a1",
            PartitionKey = "A",
            Type = CustomerEventTypes.Created,
            Source = "/concord/flows/test",
            Time = T0,
            CorrelationId = "run-1",
            Data = "{}",
        }]);

        await harness.Dispatcher.DispatchAsync();

        var cloudEvent = Assert.Single(harness.Publisher.Events);
        Assert.True(cloudEvent.IsValid);
        Assert.Null(cloudEvent["traceparent"]);
    }

    private static (EngineHarness Harness, FakeCustomerConnector Crm) WithoutPublisher(Action<IServiceCollection>? services = null)
    {
        var crm = new FakeCustomerConnector("crm");
        var erp = new FakeCustomerConnector("erp");
        var harness = new EngineHarness(
            c => c.AddFlow("flow", f => f.From("crm").To("erp")),
            s =>
            {
                s.RemoveAll<IOutboxPublisher>();
                services?.Invoke(s);
            },
            crm,
            erp);
        return (harness, crm);
    }
}
