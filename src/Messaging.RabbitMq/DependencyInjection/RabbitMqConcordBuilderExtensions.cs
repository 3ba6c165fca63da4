using Concord.Canonical.DependencyInjection;
using Concord.Messaging.RabbitMq;
using Concord.Messaging.RabbitMq.DependencyInjection.Internal;
using Concord.Messaging.RabbitMq.Diagnostics;
using Concord.Messaging.RabbitMq.Publishing;
using Concord.Sync.Outbox;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Delivers Concord's outbox events to RabbitMQ.</summary>
public static class RabbitMqConcordBuilderExtensions
{
    /// <summary>
    /// Publishes the outbox's events to RabbitMQ (replacing any other <see cref="IOutboxPublisher"/>), with options bound
    /// from <paramref name="section"/> (<c>Concord:RabbitMq</c>) by the standard configuration binder and validated when
    /// the host starts; messages name the section's path. Adds the <c>concord-rabbitmq</c> health check.
    /// </summary>
    /// <param name="builder">The Concord builder.</param>
    /// <param name="section">The configuration section.</param>
    /// <returns>The builder.</returns>
    public static IConcordBuilder AddRabbitMqPublisher(this IConcordBuilder builder, IConfigurationSection section)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(section);
        return AddCore(builder, section.Path, options => options.Bind(section));
    }

    /// <summary>
    /// Publishes the outbox's events to RabbitMQ (replacing any other <see cref="IOutboxPublisher"/>), with options set by
    /// <paramref name="configure"/> and validated when the host starts. Adds the <c>concord-rabbitmq</c> health check.
    /// </summary>
    /// <param name="builder">The Concord builder.</param>
    /// <param name="configure">Sets <see cref="RabbitMqPublisherOptions.Uri"/> and, if needed, the exchange and the rest.</param>
    /// <returns>The builder.</returns>
    public static IConcordBuilder AddRabbitMqPublisher(this IConcordBuilder builder, Action<RabbitMqPublisherOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(configure);
        return AddCore(builder, RabbitMqPublisherOptions.SectionName, options => options.Configure(configure));
    }

    private static IConcordBuilder AddCore(IConcordBuilder builder, string path, Action<OptionsBuilder<RabbitMqPublisherOptions>> configureOptions)
    {
        var services = builder.AddSync().Services;
        if (services.Any(d => d.ServiceType == typeof(RabbitMqOutboxPublisher)))
        {
            throw new InvalidOperationException("The RabbitMQ publisher is already registered: call AddRabbitMqPublisher once.");
        }

        var options = services.AddOptions<RabbitMqPublisherOptions>();
        configureOptions(options);
        options.ValidateOnStart();
        services.AddSingleton<IValidateOptions<RabbitMqPublisherOptions>>(new RabbitMqPublisherOptionsValidator(path));
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<RabbitMqOutboxPublisher>();
        services.RemoveAll<IOutboxPublisher>();
        services.AddSingleton<IOutboxPublisher>(sp => sp.GetRequiredService<RabbitMqOutboxPublisher>());
        services.AddSingleton<RabbitMqHealthCheck>();
        services.AddHealthChecks().AddCheck<RabbitMqHealthCheck>(RabbitMqHealthCheck.Name, HealthStatus.Degraded, ["concord"]);
        return builder;
    }
}
