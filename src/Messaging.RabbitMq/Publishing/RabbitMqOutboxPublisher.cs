using System.Globalization;
using CloudNative.CloudEvents;
using Concord.Canonical.Errors;
using Concord.Messaging.RabbitMq.Diagnostics;
using Concord.Sync.Outbox;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using RabbitMQ.Client;
using RabbitMQ.Client.Exceptions;

namespace Concord.Messaging.RabbitMq.Publishing;

/// <summary>
/// Publishes outbox events to a RabbitMQ topic exchange with publisher confirms: <see cref="PublishAsync"/> returns only
/// once the broker confirmed the event (and, with <see cref="RabbitMqPublisherOptions.Mandatory"/>, routed it to a queue),
/// so the outbox marks an event delivered only when it is. The dispatcher publishes a customer's events one after the
/// other, each awaited, so they reach the broker in order. One connection with automatic recovery; a channel the broker
/// closed is opened again on the next publish. Every failure is a <see cref="ConcordException"/> of category
/// <see cref="ErrorCategory.Transient"/> (or <see cref="ErrorCategory.Configuration"/> when the broker refuses the
/// credentials, the virtual host or the exchange), which leaves the event and its customer's later events pending.
/// </summary>
internal sealed class RabbitMqOutboxPublisher : IOutboxPublisher, IAsyncDisposable, IDisposable
{
    private const string System = "rabbitmq";
    private readonly RabbitMqPublisherOptions _options;
    private readonly ILogger _logger;
    private readonly TimeProvider _timeProvider;
    private readonly ConnectionFactory _factory;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private IConnection? _connection;
    private IChannel? _channel;
    private bool _disposed;

    public RabbitMqOutboxPublisher(IOptions<RabbitMqPublisherOptions> options, TimeProvider timeProvider, ILogger<RabbitMqOutboxPublisher>? logger = null)
    {
        _options = options.Value;
        _timeProvider = timeProvider;
        _logger = (ILogger?)logger ?? NullLogger.Instance;
        _factory = new ConnectionFactory
        {
            Uri = new Uri(_options.Uri!),
            ClientProvidedName = _options.ClientName,
            AutomaticRecoveryEnabled = true,
            TopologyRecoveryEnabled = true,
            NetworkRecoveryInterval = TimeSpan.FromSeconds(5),
        };
    }

    /// <summary>Where the publisher connects, without the credentials: <c>host:port/vhost</c>.</summary>
    public string Endpoint => string.Create(CultureInfo.InvariantCulture, $"{_factory.HostName}:{_factory.Port}{(_factory.VirtualHost.StartsWith('/') ? string.Empty : "/")}{_factory.VirtualHost}");

    /// <summary>Whether a connection to the broker is open now.</summary>
    public bool IsConnected => _connection is { IsOpen: true } && _channel is { IsOpen: true };

    public async Task PublishAsync(CloudEvent cloudEvent, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(cloudEvent);
        var routingKey = CloudEventAmqpMessage.RoutingKey(cloudEvent);
        var properties = CloudEventAmqpMessage.ToProperties(cloudEvent, _options.ClientName);
        var body = CloudEventAmqpMessage.Body(cloudEvent);
        var channel = await OpenAsync(cancellationToken).ConfigureAwait(false);

        using var timeout = new CancellationTokenSource(_options.ConfirmTimeout, _timeProvider);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        try
        {
            await channel.BasicPublishAsync(_options.Exchange, routingKey, _options.Mandatory, properties, body, linked.Token).ConfigureAwait(false);
        }
        catch (PublishException exception) when (exception.IsReturn)
        {
            Log.EventReturned(_logger, cloudEvent.Id, routingKey, _options.Exchange);
            throw new ConcordException(
                ErrorCategory.Transient,
                $"RabbitMQ returned event {cloudEvent.Id}: no queue is bound to exchange '{_options.Exchange}' for routing key '{routingKey}'. It stays in the outbox until one is (or set RabbitMqPublisherOptions.Mandatory to false).",
                exception) { System = System, Operation = "publish" };
        }
        catch (PublishException exception)
        {
            throw new ConcordException(
                ErrorCategory.Transient,
                $"RabbitMQ did not confirm event {cloudEvent.Id} (negative acknowledgement); it stays in the outbox for the next dispatch.",
                exception) { System = System, Operation = "publish" };
        }
        catch (OperationCanceledException exception) when (timeout.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            // A confirm may still arrive; the event is published again on the next dispatch (at least once).
            await ResetAsync().ConfigureAwait(false);
            throw new ConcordException(
                ErrorCategory.Transient,
                string.Create(CultureInfo.InvariantCulture, $"RabbitMQ did not confirm event {cloudEvent.Id} within {_options.ConfirmTimeout.TotalSeconds:0.###} s (RabbitMqPublisherOptions.ConfirmTimeout); it stays in the outbox for the next dispatch."),
                exception) { System = System, Operation = "publish" };
        }
        catch (Exception exception) when (exception is OperationInterruptedException or AlreadyClosedException or IOException)
        {
            await ResetAsync().ConfigureAwait(false);
            throw Classify(exception, "publish");
        }
    }

    /// <summary>Opens the connection and the confirming channel if they are not open, and declares the exchange.</summary>
    public async Task<IChannel> OpenAsync(CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        var channel = _channel;
        if (channel is { IsOpen: true })
        {
            return channel;
        }

        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_channel is { IsOpen: true })
            {
                return _channel;
            }

            if (_channel is not null)
            {
                // Closed by the broker (a channel error is not recovered): drop it and open another.
                await _channel.DisposeAsync().ConfigureAwait(false);
                _channel = null;
            }

            try
            {
                if (_connection is not { IsOpen: true })
                {
                    if (_connection is not null)
                    {
                        await _connection.DisposeAsync().ConfigureAwait(false);
                        _connection = null;
                    }

                    _connection = await _factory.CreateConnectionAsync(cancellationToken).ConfigureAwait(false);
                    _connection.ConnectionShutdownAsync += OnShutdownAsync;
                    _connection.RecoverySucceededAsync += OnRecoveredAsync;
                }

                var created = await _connection.CreateChannelAsync(
                    new CreateChannelOptions(publisherConfirmationsEnabled: true, publisherConfirmationTrackingEnabled: true),
                    cancellationToken).ConfigureAwait(false);
                if (_options.DeclareExchange)
                {
                    await created.ExchangeDeclareAsync(_options.Exchange, ExchangeType.Topic, durable: true, autoDelete: false, arguments: null, cancellationToken: cancellationToken).ConfigureAwait(false);
                }
                else
                {
                    await created.ExchangeDeclarePassiveAsync(_options.Exchange, cancellationToken).ConfigureAwait(false);
                }

                _channel = created;
                Log.Connected(_logger, Endpoint, _options.Exchange);
                return created;
            }
            catch (Exception exception) when (exception is BrokerUnreachableException or OperationInterruptedException or AlreadyClosedException or IOException)
            {
                throw Classify(exception, "connect");
            }
        }
        finally
        {
            _gate.Release();
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        await _gate.WaitAsync().ConfigureAwait(false);
        try
        {
            if (_channel is not null)
            {
                await _channel.DisposeAsync().ConfigureAwait(false);
            }

            if (_connection is not null)
            {
                await _connection.DisposeAsync().ConfigureAwait(false);
            }
        }
        finally
        {
            _gate.Release();
            _gate.Dispose();
        }
    }

    /// <summary>Closes the channel and the connection for a container disposed synchronously.</summary>
    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        _gate.Wait();
        try
        {
            _channel?.Dispose();
            _connection?.Dispose();
        }
        finally
        {
            _gate.Release();
            _gate.Dispose();
        }
    }

    private async Task ResetAsync()
    {
        await _gate.WaitAsync().ConfigureAwait(false);
        try
        {
            if (_channel is not null)
            {
                await _channel.DisposeAsync().ConfigureAwait(false);
                _channel = null;
            }
        }
        finally
        {
            _gate.Release();
        }
    }

    private ConcordException Classify(Exception exception, string operation)
    {
        // 403 ACCESS_REFUSED (credentials, permissions), 530 NOT_ALLOWED (virtual host), 404 NOT_FOUND (a passive
        // exchange check): nothing a retry fixes. Everything else (unreachable, connection reset) passes.
        var code = exception switch
        {
            OperationInterruptedException { ShutdownReason: { } reason } => reason.ReplyCode,
            BrokerUnreachableException { InnerException: AuthenticationFailureException } => 403,
            _ => 0,
        };
        var (category, hint) = code switch
        {
            403 => (ErrorCategory.Configuration, $"the broker refused the credentials or permissions of {SectionHint(nameof(RabbitMqPublisherOptions.Uri))}"),
            530 => (ErrorCategory.Configuration, $"the broker refused the virtual host of {SectionHint(nameof(RabbitMqPublisherOptions.Uri))}"),
            404 => (ErrorCategory.Configuration, $"exchange '{_options.Exchange}' does not exist and {SectionHint(nameof(RabbitMqPublisherOptions.DeclareExchange))} is false"),
            _ => (ErrorCategory.Transient, "the broker could not be reached or closed the connection"),
        };
        Log.BrokerFailed(_logger, operation, Endpoint, category, exception.GetType().Name);
        return new ConcordException(category, $"RabbitMQ at {Endpoint}: {hint}; events stay in the outbox.", exception)
        {
            System = System,
            Operation = operation,
        };
    }

    private static string SectionHint(string option) => $"{RabbitMqPublisherOptions.SectionName}:{option}";

    private Task OnShutdownAsync(object sender, RabbitMQ.Client.Events.ShutdownEventArgs args)
    {
        if (args.Initiator != ShutdownInitiator.Application)
        {
            Log.ConnectionLost(_logger, Endpoint, args.ReplyCode, args.Initiator.ToString());
        }

        return Task.CompletedTask;
    }

    private Task OnRecoveredAsync(object sender, RabbitMQ.Client.Events.AsyncEventArgs args)
    {
        Log.Recovered(_logger, Endpoint);
        return Task.CompletedTask;
    }
}
