using Concord.Canonical.Connectors;
using Concord.Canonical.DependencyInjection;
using Concord.Connectors.HubSpot;
using Concord.Connectors.HubSpot.DependencyInjection.Internal;
using Microsoft.Extensions.Configuration;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>
/// Registers HubSpot connectors. Each call adds one instance, resolvable as a keyed <see cref="ICustomerConnector"/> and
/// <see cref="IHubSpotConnector"/> under its name: the name you give (<c>AddHubSpotConnector("eu", …)</c> registers
/// <c>eu</c>), or <see cref="HubSpotConnectorOptions.DefaultName"/> (<c>hubspot</c>) for the default instance. Names are
/// unique across all connectors. Each instance has its own validated options, token cache and HTTP clients behind
/// Concord's resilience pipeline; instances that reach the same portal with the same credentials share one set of limits
/// (the 10-second window, search's per-second limit and the daily guard). Rotated OAuth tokens go to the registered
/// <see cref="IConnectorTokenStore"/> (in memory unless the host registers a durable one). Options are validated when the
/// host starts, every message naming the configuration path of the value (<c>Concord:HubSpot:AccessToken is required …</c>);
/// then the connector checks its unique properties (creating them when allowed), and stops the host with a
/// <c>Configuration</c> error that names the property and the missing scope when it can do neither.
/// </summary>
public static class HubSpotServiceCollectionExtensions
{
    /// <summary>Adds Concord and the default HubSpot connector (named <c>hubspot</c>), configured by <paramref name="configure"/>.</summary>
    /// <param name="services">The service collection.</param>
    /// <param name="configure">Sets the options.</param>
    /// <returns>The Concord builder.</returns>
    public static IConcordBuilder AddHubSpotConnector(this IServiceCollection services, Action<HubSpotConnectorOptions> configure) =>
        services.AddConcord().AddHubSpotConnector(configure);

    /// <summary>Adds Concord and the HubSpot connector named <paramref name="name"/>, configured by <paramref name="configure"/>.</summary>
    /// <param name="services">The service collection.</param>
    /// <param name="name">The instance name, unique across connectors: the registration key and the connector's <see cref="ICustomerConnector.Name"/>.</param>
    /// <param name="configure">Sets the options.</param>
    /// <returns>The Concord builder.</returns>
    public static IConcordBuilder AddHubSpotConnector(this IServiceCollection services, string name, Action<HubSpotConnectorOptions> configure) =>
        services.AddConcord().AddHubSpotConnector(name, configure);

    /// <summary>Adds Concord and the default HubSpot connector (named <c>hubspot</c>), its options bound from <paramref name="section"/> (such as <c>Concord:HubSpot</c>).</summary>
    /// <param name="services">The service collection.</param>
    /// <param name="section">The configuration section.</param>
    /// <returns>The Concord builder.</returns>
    public static IConcordBuilder AddHubSpotConnector(this IServiceCollection services, IConfigurationSection section) =>
        services.AddConcord().AddHubSpotConnector(section);

    /// <summary>Adds Concord and the HubSpot connector named <paramref name="name"/>, its options bound from <paramref name="section"/> (such as <c>Concord:HubSpot:eu</c>).</summary>
    /// <param name="services">The service collection.</param>
    /// <param name="name">The instance name, unique across connectors.</param>
    /// <param name="section">The configuration section.</param>
    /// <returns>The Concord builder.</returns>
    public static IConcordBuilder AddHubSpotConnector(this IServiceCollection services, string name, IConfigurationSection section) =>
        services.AddConcord().AddHubSpotConnector(name, section);

    /// <summary>Adds the default HubSpot connector (named <c>hubspot</c>), configured by <paramref name="configure"/>.</summary>
    /// <param name="builder">The Concord builder.</param>
    /// <param name="configure">Sets the options.</param>
    /// <returns>The builder.</returns>
    /// <exception cref="InvalidOperationException">A connector named <c>hubspot</c> is already registered.</exception>
    public static IConcordBuilder AddHubSpotConnector(this IConcordBuilder builder, Action<HubSpotConnectorOptions> configure) =>
        builder.AddConnector(HubSpotConnectorDefinition.Instance, HubSpotConnectorOptions.DefaultName, configure);

    /// <summary>
    /// Adds the HubSpot connector named <paramref name="name"/>, configured by <paramref name="configure"/>; its options are
    /// <c>IOptionsMonitor&lt;HubSpotConnectorOptions&gt;.Get(name)</c> and its messages name <c>Concord:HubSpot:<paramref name="name"/></c>.
    /// </summary>
    /// <param name="builder">The Concord builder.</param>
    /// <param name="name">The instance name, unique across connectors.</param>
    /// <param name="configure">Sets the options.</param>
    /// <returns>The builder.</returns>
    /// <exception cref="InvalidOperationException">A connector is already registered under <paramref name="name"/>.</exception>
    public static IConcordBuilder AddHubSpotConnector(this IConcordBuilder builder, string name, Action<HubSpotConnectorOptions> configure) =>
        builder.AddConnector(HubSpotConnectorDefinition.Instance, name, configure);

    /// <summary>Adds the default HubSpot connector (named <c>hubspot</c>), its options bound from <paramref name="section"/> by the standard configuration binder.</summary>
    /// <param name="builder">The Concord builder.</param>
    /// <param name="section">The configuration section (such as <c>Concord:HubSpot</c>).</param>
    /// <returns>The builder.</returns>
    /// <exception cref="InvalidOperationException">A connector named <c>hubspot</c> is already registered.</exception>
    public static IConcordBuilder AddHubSpotConnector(this IConcordBuilder builder, IConfigurationSection section) =>
        builder.AddConnector(HubSpotConnectorDefinition.Instance, HubSpotConnectorOptions.DefaultName, section);

    /// <summary>Adds the HubSpot connector named <paramref name="name"/>, its options bound from <paramref name="section"/> by the standard configuration binder.</summary>
    /// <param name="builder">The Concord builder.</param>
    /// <param name="name">The instance name, unique across connectors.</param>
    /// <param name="section">The configuration section (such as <c>Concord:HubSpot:eu</c>).</param>
    /// <returns>The builder.</returns>
    /// <exception cref="InvalidOperationException">A connector is already registered under <paramref name="name"/>.</exception>
    public static IConcordBuilder AddHubSpotConnector(this IConcordBuilder builder, string name, IConfigurationSection section) =>
        builder.AddConnector(HubSpotConnectorDefinition.Instance, name, section);
}
