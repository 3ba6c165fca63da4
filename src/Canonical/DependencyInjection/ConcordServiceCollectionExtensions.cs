using Concord.Canonical.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers Concord's core services.</summary>
public static class ConcordServiceCollectionExtensions
{
    /// <summary>
    /// Adds Concord's core services: <see cref="TimeProvider"/>, in-memory stores (replace them with a durable
    /// store such as <c>UseSqlite</c>), telemetry and the connector registry. Safe to call more than once.
    /// </summary>
    /// <param name="services">The service collection.</param>
    /// <returns>The builder, to add connectors, stores and flows.</returns>
    public static IConcordBuilder AddConcord(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.TryAddSingleton(TimeProvider.System);
        services.AddLogging();
        services.AddOptions();
        ConcordCoreServices.TryAdd(services);
        return new ConcordBuilder(services);
    }

    /// <summary>Adds Concord's core services and lets <paramref name="configure"/> add stores, connectors and flows.</summary>
    /// <param name="services">The service collection.</param>
    /// <param name="configure">Configures the builder.</param>
    /// <returns>The builder.</returns>
    public static IConcordBuilder AddConcord(this IServiceCollection services, Action<IConcordBuilder> configure)
    {
        ArgumentNullException.ThrowIfNull(configure);
        var builder = services.AddConcord();
        configure(builder);
        return builder;
    }

    private sealed record ConcordBuilder(IServiceCollection Services) : IConcordBuilder;
}
