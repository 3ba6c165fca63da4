using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Concord.Sync.Retention;

namespace Concord.Sync.Outbox.Internal;

/// <summary>
/// Warns once, when the host starts, that no <see cref="IOutboxPublisher"/> is registered: customer events then stay in
/// the outbox (the <c>concord.outbox.pending</c> gauge counts them) until a publisher is registered, or until
/// <see cref="StateRetentionOptions.UndeliveredEvents"/> drops them.
/// </summary>
internal sealed partial class OutboxPublisherCheck(IServiceProvider services, IOptions<StateRetentionOptions> retention, ILogger<OutboxPublisherCheck> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        if (services.GetService(typeof(IOutboxPublisher)) is null)
        {
            NoPublisher(logger, retention.Value.UndeliveredEvents?.ToString() ?? "never");
        }

        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(EventId = 6051, Level = LogLevel.Warning,
        Message = "No IOutboxPublisher is registered: customer events stay in the outbox, undelivered, until one is (services.AddSingleton<IOutboxPublisher, MyPublisher>()); retention drops undelivered events after {UndeliveredRetention}")]
    private static partial void NoPublisher(ILogger logger, string undeliveredRetention);
}
