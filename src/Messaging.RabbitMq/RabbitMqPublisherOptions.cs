namespace Concord.Messaging.RabbitMq;

/// <summary>
/// Where and how Concord's outbox events reach RabbitMQ. Bound from configuration (<c>Concord:RabbitMq</c> by convention)
/// or set in code, and validated when the host starts; messages name the configuration path.
/// </summary>
public sealed class RabbitMqPublisherOptions
{
    /// <summary>The conventional configuration section: <c>Concord:RabbitMq</c>.</summary>
    public const string SectionName = "Concord:RabbitMq";

    /// <summary>The broker's AMQP URI, <c>amqp://user:password@host:5672/vhost</c> (or <c>amqps://</c> for TLS).</summary>
    /// <value>Required. The password in it is a secret: Concord never logs the URI, only its host, port and virtual host.</value>
    public string? Uri { get; set; }

    /// <summary>The topic exchange events are published to; the routing key is the event type (<c>customer.updated</c>).</summary>
    /// <value>The default value is <c>concord.events</c>.</value>
    public string Exchange { get; set; } = "concord.events";

    /// <summary>Whether the publisher declares <see cref="Exchange"/> (durable, topic) when it connects.</summary>
    /// <value>The default value is <see langword="true"/>. Turn it off when the broker's topology is managed elsewhere
    /// and the application's user may not declare exchanges.</value>
    public bool DeclareExchange { get; set; } = true;

    /// <summary>
    /// Whether an event no queue is bound to receive counts as undelivered. With <see langword="true"/> the broker returns
    /// such an event and it stays in the outbox (and holds back its customer's later events) until a queue is bound, so
    /// nothing is dropped silently; with <see langword="false"/> the broker's confirm is enough, and an event nobody is
    /// bound to receive is gone.
    /// </summary>
    /// <value>The default value is <see langword="true"/>.</value>
    public bool Mandatory { get; set; } = true;

    /// <summary>How long one publish waits for the broker's confirm before the event is left for the next dispatch.</summary>
    /// <value>The default value is 30 seconds. At least 100 milliseconds.</value>
    public TimeSpan ConfirmTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>The connection name the broker shows in its management tools.</summary>
    /// <value>The default value is <c>concord</c>.</value>
    public string ClientName { get; set; } = "concord";
}
