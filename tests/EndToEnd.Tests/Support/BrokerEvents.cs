using System.Text;
using RabbitMQ.Client;

namespace Concord.EndToEnd.Tests.Support;

/// <summary>
/// What reached the RabbitMQ broker named by <c>CONCORD_RABBITMQ</c>: a topic exchange unique to the test run (declared as
/// Concord.Messaging.RabbitMq declares it, deleted at the end) and a queue of the test's own bound to it with <c>#</c>,
/// declared before any worker publishes, read with basic.get in the order the broker holds the messages.
/// </summary>
internal sealed class BrokerEvents : IAsyncDisposable
{
    public const string Variable = "CONCORD_RABBITMQ";

    private readonly IConnection _connection;
    private readonly IChannel _channel;
    private readonly string _queue;
    private readonly List<(string Id, string Type, string Subject)> _received = [];

    private BrokerEvents(string uri, string exchange, IConnection connection, IChannel channel, string queue)
    {
        Uri = uri;
        Exchange = exchange;
        _connection = connection;
        _channel = channel;
        _queue = queue;
    }

    /// <summary>The broker's AMQP URI.</summary>
    public string Uri { get; }

    /// <summary>The exchange the workers publish to.</summary>
    public string Exchange { get; }

    public static async Task<BrokerEvents> StartAsync()
    {
        var uri = Environment.GetEnvironmentVariable(Variable) is { Length: > 0 } value
            ? value
            : throw new InvalidOperationException($"{Variable} is not set: start RabbitMQ with `eval \"$(sudo bash .ci/rabbitmq.sh)\"`.");
        var exchange = "concord.e2e." + Guid.NewGuid().ToString("N")[..16];
        var connection = await new ConnectionFactory { Uri = new Uri(uri), ClientProvidedName = "concord-e2e-consumer" }.CreateConnectionAsync();
        var channel = await connection.CreateChannelAsync();
        await channel.ExchangeDeclareAsync(exchange, ExchangeType.Topic, durable: true, autoDelete: false);
        var queue = (await channel.QueueDeclareAsync(queue: string.Empty, durable: false, exclusive: true, autoDelete: true)).QueueName;
        await channel.QueueBindAsync(queue, exchange, "#");
        return new BrokerEvents(uri, exchange, connection, channel, queue);
    }

    /// <summary>Every message received so far (the queue read to its end now), in the broker's order: event id, type and subject (<c>ce-subject</c>).</summary>
    public async Task<IReadOnlyList<(string Id, string Type, string Subject)>> DrainAsync()
    {
        while (await _channel.BasicGetAsync(_queue, autoAck: true) is { } message)
        {
            _received.Add((message.BasicProperties.MessageId ?? string.Empty, message.BasicProperties.Type ?? string.Empty, Header(message, "ce-subject")));
        }

        return _received;
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await _channel.ExchangeDeleteAsync(Exchange);
        }
        finally
        {
            await _channel.DisposeAsync();
            await _connection.DisposeAsync();
        }
    }

    private static string Header(BasicGetResult message, string name) =>
        message.BasicProperties.Headers is { } headers && headers.TryGetValue(name, out var value) && value is byte[] bytes
            ? Encoding.UTF8.GetString(bytes)
            : string.Empty;
}
