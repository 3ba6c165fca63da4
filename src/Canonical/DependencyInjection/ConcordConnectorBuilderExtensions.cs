using Concord.Canonical.Connectors;
using Microsoft.Extensions.DependencyInjection;

namespace Concord.Canonical.DependencyInjection;

/// <summary>
/// The registration core every <c>AddXxxConnector</c> funnels into, so that all connectors register alike:
/// a unique name, named options validated at start, and a keyed <see cref="ICustomerConnector"/>.
/// </summary>
public static class ConcordConnectorBuilderExtensions
{
    /// <summary>
    /// Registers a connector named <paramref name="registration"/>.Name whose instance <paramref name="factory"/> builds.
    /// Resolve it with <c>GetRequiredKeyedService&lt;ICustomerConnector&gt;(name)</c>.
    /// </summary>
    /// <param name="builder">The Concord builder.</param>
    /// <param name="registration">The name and vendor family.</param>
    /// <param name="factory">Builds the connector from the provider and its registration.</param>
    /// <returns>The builder.</returns>
    /// <exception cref="InvalidOperationException">Another connector is already registered under that name.</exception>
    public static IConcordBuilder AddConnector(this IConcordBuilder builder, ConnectorRegistration registration, Func<IServiceProvider, ConnectorRegistration, ICustomerConnector> factory)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(registration);
        ArgumentNullException.ThrowIfNull(factory);
        ArgumentException.ThrowIfNullOrWhiteSpace(registration.Name);

        foreach (var descriptor in builder.Services)
        {
            if (descriptor.ServiceType == typeof(ConnectorRegistration)
                && descriptor.ImplementationInstance is ConnectorRegistration existing
                && string.Equals(existing.Name, registration.Name, StringComparison.Ordinal))
            {
                throw new InvalidOperationException(
                    $"A connector named '{registration.Name}' ({existing.System}) is already registered; give the {registration.System} connector another name.");
            }
        }

        builder.Services.AddSingleton(registration);
        builder.Services.AddKeyedSingleton<ICustomerConnector>(registration.Name, (sp, _) => factory(sp, registration));
        return builder;
    }
}
