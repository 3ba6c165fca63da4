using Concord.Canonical.Errors;
using Concord.Messaging.RabbitMq.Publishing;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Concord.Messaging.RabbitMq.Diagnostics;

/// <summary>
/// The <c>concord-rabbitmq</c> health check: healthy while the publisher holds (or can open) its connection and
/// confirming channel; otherwise the registration's failure status (degraded by default: events wait in the outbox,
/// nothing is lost), saying why without the broker's credentials.
/// </summary>
internal sealed class RabbitMqHealthCheck(RabbitMqOutboxPublisher publisher) : IHealthCheck
{
    public const string Name = "concord-rabbitmq";

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(context);
        try
        {
            await publisher.OpenAsync(cancellationToken).ConfigureAwait(false);
            return HealthCheckResult.Healthy($"Connected to RabbitMQ at {publisher.Endpoint}.");
        }
        catch (ConcordException exception)
        {
            return new HealthCheckResult(
                context.Registration.FailureStatus,
                exception.Message,
                data: new Dictionary<string, object>(StringComparer.Ordinal) { ["category"] = exception.Category.ToString() });
        }
    }
}
