using System.Text.Json;
using Concord.Canonical.Errors;
using Concord.Messaging.RabbitMq.Tests.TestSupport;
using Concord.Sync.Outbox;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using RabbitMQ.Client;

namespace Concord.Messaging.RabbitMq.Tests.Publishing;

/// <summary>Outbox events reach a real RabbitMQ broker, confirmed, in order per customer, and nothing is marked delivered that was not (issue 14 §3).</summary>
public sealed class RabbitMqOutboxPublisherTests
{
    private static readonly DateTimeOffset T0 = new(2026, 12, 3, 20, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task An_event_arrives_as_a_binary_mode_cloud_event_routed_by_its_type()
    {
        var exchange = RabbitMqBroker.NewExchangeName();
        await using var consumer = await TestConsumer.StartAsync(exchange, "customer.updated");
        await using var host = RabbitMqBroker.Host(exchange);
        const string traceParent = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01";
        await host.GetRequiredService<IOutbox>().EnqueueAsync([Message("evt-1", "cust-1", CustomerEventTypes.Updated, traceParent)]);

        var published = await host.GetRequiredService<IOutboxDispatcher>().DispatchAsync();

        Assert.Equal(1, published);
        var message = Assert.Single(await consumer.DrainAsync());
        Assert.Equal(CustomerEventTypes.Updated, message.RoutingKey);
        Assert.Equal("evt-1", message.BasicProperties.MessageId);
        Assert.Equal("application/json", message.BasicProperties.ContentType);
        Assert.Equal(DeliveryModes.Persistent, message.BasicProperties.DeliveryMode);
        Assert.Equal("1.0", TestConsumer.Header(message, "ce-specversion"));
        Assert.Equal("evt-1", TestConsumer.Header(message, "ce-id"));
        Assert.Equal(CustomerEventTypes.Updated, TestConsumer.Header(message, "ce-type"));
        Assert.Equal("/concord/flows/crm-to-erp", TestConsumer.Header(message, "ce-source"));
        Assert.Equal("cust-1", TestConsumer.Header(message, "ce-subject"));
        Assert.Equal("2026-12-03T20:00:00Z", TestConsumer.Header(message, "ce-time"));
        Assert.Equal("corr-evt-1", TestConsumer.Header(message, "ce-correlationid"));
        Assert.Null(TestConsumer.Header(message, "ce-datacontenttype")); // it is the content_type property
        // The publish span's context, a child of the producing run's trace.
        var carried = TestConsumer.Header(message, "traceparent");
        Assert.NotNull(carried);
        Assert.Equal(carried, TestConsumer.Header(message, "ce-traceparent"));
        Assert.StartsWith("00-0af7651916cd43dd8448eb211c80319c-", carried, StringComparison.Ordinal);
        using var body = JsonDocument.Parse(message.Body);
        Assert.Equal("cust-1", body.RootElement.GetProperty("customerId").GetString());
        Assert.Equal(0, await host.GetRequiredService<IOutbox>().CountPendingAsync());
    }

    [Fact]
    public async Task Each_customers_events_arrive_in_the_order_the_outbox_holds_them()
    {
        var exchange = RabbitMqBroker.NewExchangeName();
        await using var consumer = await TestConsumer.StartAsync(exchange);
        await using var host = RabbitMqBroker.Host(exchange);
        var messages = Enumerable.Range(0, 60).Select(i => Message($"evt-{i:D3}", $"cust-{i % 3}", i % 4 == 0 ? CustomerEventTypes.Created : CustomerEventTypes.Updated)).ToList();
        await host.GetRequiredService<IOutbox>().EnqueueAsync(messages);

        var published = await host.GetRequiredService<IOutboxDispatcher>().DispatchAsync();

        Assert.Equal(60, published);
        var received = await consumer.DrainAsync();
        Assert.Equal(60, received.Count);
        foreach (var customer in new[] { "cust-0", "cust-1", "cust-2" })
        {
            var expected = messages.Where(m => m.PartitionKey == customer).Select(m => (string?)m.Id).ToList();
            var actual = received.Where(m => TestConsumer.Header(m, "ce-subject") == customer).Select(m => m.BasicProperties.MessageId).ToList();
            Assert.Equal(expected, actual);
        }
    }

    [Fact]
    public async Task An_event_no_queue_is_bound_to_receive_stays_pending_until_one_is()
    {
        var exchange = RabbitMqBroker.NewExchangeName();
        await using var consumer = await TestConsumer.StartAsync(exchange, bindingKey: null);
        await using var host = RabbitMqBroker.Host(exchange);
        var outbox = host.GetRequiredService<IOutbox>();
        var dispatcher = host.GetRequiredService<IOutboxDispatcher>();
        await outbox.EnqueueAsync([Message("evt-1", "cust-1", CustomerEventTypes.Created), Message("evt-2", "cust-1", CustomerEventTypes.Updated)]);

        var whileUnbound = await dispatcher.DispatchAsync();
        var pending = await outbox.CountPendingAsync();
        await consumer.BindAsync(exchange, "customer.*");
        var onceBound = await dispatcher.DispatchAsync();

        Assert.Equal((0, 2L), (whileUnbound, pending)); // returned by the broker: not delivered, and evt-2 waited behind evt-1
        Assert.Equal(2, onceBound);
        Assert.Equal(["evt-1", "evt-2"], (await consumer.DrainAsync()).Select(m => m.BasicProperties.MessageId));
    }

    [Fact]
    public async Task A_returned_event_is_a_transient_error_naming_the_exchange_and_routing_key()
    {
        var exchange = RabbitMqBroker.NewExchangeName();
        await using var host = RabbitMqBroker.Host(exchange);
        var publisher = host.GetRequiredService<IOutboxPublisher>();

        var error = await Assert.ThrowsAsync<ConcordException>(() => publisher.PublishAsync(CloudEvent("evt-1", "cust-1")));

        Assert.Equal(ErrorCategory.Transient, error.Category);
        Assert.Contains(exchange, error.Message, StringComparison.Ordinal);
        Assert.Contains("customer.updated", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Without_mandatory_routing_the_brokers_confirm_is_enough()
    {
        var exchange = RabbitMqBroker.NewExchangeName();
        await using var host = RabbitMqBroker.Host(exchange, o => o.Mandatory = false);
        await host.GetRequiredService<IOutbox>().EnqueueAsync([Message("evt-1", "cust-1", CustomerEventTypes.Created)]);

        Assert.Equal(1, await host.GetRequiredService<IOutboxDispatcher>().DispatchAsync());
    }

    [Fact]
    public async Task A_channel_the_broker_closed_is_opened_again_and_the_event_waits_for_it()
    {
        var exchange = RabbitMqBroker.NewExchangeName();
        await using var consumer = await TestConsumer.StartAsync(exchange);
        await using var host = RabbitMqBroker.Host(exchange);
        var outbox = host.GetRequiredService<IOutbox>();
        var dispatcher = host.GetRequiredService<IOutboxDispatcher>();
        await outbox.EnqueueAsync([Message("evt-1", "cust-1", CustomerEventTypes.Created)]);
        Assert.Equal(1, await dispatcher.DispatchAsync());

        // The exchange disappears under the open channel: the next publish is a channel error (404), which closes it.
        await consumer.Channel.ExchangeDeleteAsync(exchange);
        await outbox.EnqueueAsync([Message("evt-2", "cust-1", CustomerEventTypes.Updated)]);
        var duringTheError = await dispatcher.DispatchAsync();
        await consumer.BindAsync(await RedeclareAsync(consumer, exchange), "#");
        var afterwards = await dispatcher.DispatchAsync();

        Assert.Equal(0, duringTheError);
        Assert.Equal(1, afterwards);
        Assert.Equal(["evt-1", "evt-2"], (await consumer.DrainAsync()).Select(m => m.BasicProperties.MessageId));
    }

    [Fact]
    public async Task Wrong_credentials_are_a_configuration_error_and_the_health_check_says_so_without_the_password()
    {
        var uri = new UriBuilder(RabbitMqBroker.Uri) { Password = "not-the-password-7f3a" }.Uri.ToString();
        var exchange = RabbitMqBroker.NewExchangeName();
        await using var host = RabbitMqBroker.Host(exchange, uri: uri);
        await host.GetRequiredService<IOutbox>().EnqueueAsync([Message("evt-1", "cust-1", CustomerEventTypes.Created)]);

        var published = await host.GetRequiredService<IOutboxDispatcher>().DispatchAsync();
        var error = await Assert.ThrowsAsync<ConcordException>(() => host.GetRequiredService<IOutboxPublisher>().PublishAsync(CloudEvent("evt-2", "cust-1")));
        var report = await host.GetRequiredService<HealthCheckService>().CheckHealthAsync();

        Assert.Equal(0, published);
        Assert.Equal(1, await host.GetRequiredService<IOutbox>().CountPendingAsync());
        Assert.Equal(ErrorCategory.Configuration, error.Category);
        Assert.DoesNotContain("not-the-password-7f3a", error.Message, StringComparison.Ordinal);
        var entry = report.Entries["concord-rabbitmq"];
        Assert.Equal(HealthStatus.Degraded, entry.Status);
        Assert.DoesNotContain("not-the-password-7f3a", entry.Description, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unreachable_broker_leaves_events_pending_and_the_health_check_degraded()
    {
        var exchange = RabbitMqBroker.NewExchangeName();
        await using var host = RabbitMqBroker.Host(exchange, uri: "amqp://concord:secret-9b1c@127.0.0.1:1/");
        await host.GetRequiredService<IOutbox>().EnqueueAsync([Message("evt-1", "cust-1", CustomerEventTypes.Created)]);

        var published = await host.GetRequiredService<IOutboxDispatcher>().DispatchAsync();
        var error = await Assert.ThrowsAsync<ConcordException>(() => host.GetRequiredService<IOutboxPublisher>().PublishAsync(CloudEvent("evt-2", "cust-1")));
        var report = await host.GetRequiredService<HealthCheckService>().CheckHealthAsync();

        Assert.Equal(0, published);
        Assert.Equal(1, await host.GetRequiredService<IOutbox>().CountPendingAsync());
        Assert.Equal(ErrorCategory.Transient, error.Category);
        Assert.Contains("127.0.0.1:1", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("secret-9b1c", error.Message, StringComparison.Ordinal);
        Assert.Equal(HealthStatus.Degraded, report.Entries["concord-rabbitmq"].Status);
    }

    [Fact]
    public async Task The_health_check_is_healthy_while_connected()
    {
        await using var host = RabbitMqBroker.Host(RabbitMqBroker.NewExchangeName());

        var report = await host.GetRequiredService<HealthCheckService>().CheckHealthAsync(r => r.Name == "concord-rabbitmq");

        Assert.Equal(HealthStatus.Healthy, report.Status);
    }

    private static async Task<string> RedeclareAsync(TestConsumer consumer, string exchange)
    {
        await consumer.Channel.ExchangeDeclareAsync(exchange, ExchangeType.Topic, durable: true, autoDelete: false);
        return exchange;
    }

    private static OutboxMessage Message(string id, string customer, string type, string? traceParent = null) => new()
    {
        Id = id,
        PartitionKey = customer,
        Type = type,
        Source = "/concord/flows/crm-to-erp",
        Subject = customer,
        Time = T0,
        CorrelationId = "corr-" + id,
        TraceParent = traceParent,
        Data = $$"""{"customerId":"{{customer}}","event":"{{id}}"}""",
    };

    private static CloudNative.CloudEvents.CloudEvent CloudEvent(string id, string customer) => new()
    {
        Id = id,
        Type = CustomerEventTypes.Updated,
        Source = new Uri("/concord/flows/crm-to-erp", UriKind.Relative),
        Subject = customer,
        Time = T0,
        DataContentType = "application/json",
        Data = JsonDocument.Parse($$"""{"customerId":"{{customer}}"}""").RootElement.Clone(),
    };
}
