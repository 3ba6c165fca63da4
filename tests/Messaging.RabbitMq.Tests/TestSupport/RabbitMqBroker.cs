using Concord.Canonical.DependencyInjection;
using Concord.Messaging.RabbitMq;
using Microsoft.Extensions.DependencyInjection;
using RabbitMQ.Client;

namespace Concord.Messaging.RabbitMq.Tests.TestSupport;

/// <summary>
/// The RabbitMQ broker the tests run against, named by the one environment variable <c>CONCORD_RABBITMQ</c> (an AMQP
/// URI). Without it every test fails, saying how to start a broker: these tests are never skipped.
/// </summary>
internal static class RabbitMqBroker
{
    public const string Variable = "CONCORD_RABBITMQ";

    public static string Uri
    {
        get
        {
            var value = Environment.GetEnvironmentVariable(Variable);
            if (string.IsNullOrWhiteSpace(value))
            {
                throw new InvalidOperationException(
                    $"{Variable} is not set: the RabbitMQ publisher tests need a broker. Start one and create the test user with " +
                    $"`eval \"$(sudo bash .ci/rabbitmq.sh)\"` (installs Debian's rabbitmq-server if missing, starts it on 127.0.0.1 and prints the export), " +
                    $"or set {Variable} to an AMQP URI of a broker where the user may declare exchanges and queues.");
            }

            return value;
        }
    }

    /// <summary>An exchange name unique to this test (<c>concord.test.</c> and 16 hex characters).</summary>
    public static string NewExchangeName() => "concord.test." + Guid.NewGuid().ToString("N")[..16];

    /// <summary>A container with the in-memory engine state and the RabbitMQ publisher on <paramref name="exchange"/>.</summary>
    public static ServiceProvider Host(string exchange, Action<RabbitMqPublisherOptions>? configure = null, string? uri = null)
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddConcord().AddRabbitMqPublisher(options =>
        {
            options.Uri = uri ?? Uri;
            options.Exchange = exchange;
            options.ConfirmTimeout = TimeSpan.FromSeconds(10);
            configure?.Invoke(options);
        });
        return services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });
    }
}

/// <summary>A consumer of the test's own: an exclusive queue bound to the exchange, read with basic.get.</summary>
internal sealed class TestConsumer : IAsyncDisposable
{
    private readonly IConnection _connection;
    private readonly IChannel _channel;

    private TestConsumer(IConnection connection, IChannel channel, string queue)
    {
        _connection = connection;
        _channel = channel;
        Queue = queue;
    }

    public string Queue { get; }

    public IChannel Channel => _channel;

    /// <summary>Declares <paramref name="exchange"/> (durable topic, as the publisher does) and binds a new queue with <paramref name="bindingKey"/>, unless it is null.</summary>
    public static async Task<TestConsumer> StartAsync(string exchange, string? bindingKey = "#")
    {
        var connection = await new ConnectionFactory { Uri = new Uri(RabbitMqBroker.Uri) }.CreateConnectionAsync();
        var channel = await connection.CreateChannelAsync();
        await channel.ExchangeDeclareAsync(exchange, ExchangeType.Topic, durable: true, autoDelete: false);
        var queue = (await channel.QueueDeclareAsync(queue: string.Empty, durable: false, exclusive: true, autoDelete: true)).QueueName;
        if (bindingKey is not null)
        {
            await channel.QueueBindAsync(queue, exchange, bindingKey);
        }

        return new TestConsumer(connection, channel, queue);
    }

    public Task BindAsync(string exchange, string bindingKey) => _channel.QueueBindAsync(Queue, exchange, bindingKey);

    /// <summary>Every message in the queue now, in the order the broker holds them.</summary>
    public async Task<List<BasicGetResult>> DrainAsync()
    {
        var messages = new List<BasicGetResult>();
        while (await _channel.BasicGetAsync(Queue, autoAck: true) is { } message)
        {
            messages.Add(message);
        }

        return messages;
    }

    public async ValueTask DisposeAsync()
    {
        await _channel.DisposeAsync();
        await _connection.DisposeAsync();
    }

    public static string? Header(BasicGetResult message, string name) =>
        message.BasicProperties.Headers is { } headers && headers.TryGetValue(name, out var value)
            ? value switch { byte[] bytes => System.Text.Encoding.UTF8.GetString(bytes), null => null, _ => value.ToString() }
            : null;
}
