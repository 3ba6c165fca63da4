using Concord.Canonical.Connectors;
using Concord.Canonical.DependencyInjection;
using Concord.Connectors.Zendesk;
using Concord.Connectors.Zendesk.DependencyInjection.Internal;
using Microsoft.Extensions.Configuration;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>
/// Registers Zendesk connectors. Each call adds one instance, resolvable as a keyed <see cref="ICustomerConnector"/> and
/// <see cref="IZendeskConnector"/> under its name: the name you give (<c>AddZendeskConnector("eu", …)</c> registers
/// <c>eu</c>), or <see cref="ZendeskConnectorOptions.DefaultName"/> (<c>zendesk</c>) for the default instance. Names are
/// unique across all connectors. Each instance has its own validated options, token manager, request gates, job slots and
/// HTTP clients behind Concord's resilience pipeline; rotated OAuth tokens go to the registered
/// <see cref="IConnectorTokenStore"/> (in memory unless the host registers a durable one). Options are validated when the
/// host starts; every message names the configuration path of the value (<c>Concord:Zendesk:ClientId is required: …</c>).
/// </summary>
public static class ZendeskServiceCollectionExtensions
{
    /// <summary>Adds Concord and the default Zendesk connector (named <c>zendesk</c>), configured by <paramref name="configure"/>.</summary>
    /// <param name="services">The service collection.</param>
    /// <param name="configure">Sets the options.</param>
    /// <returns>The Concord builder.</returns>
    public static IConcordBuilder AddZendeskConnector(this IServiceCollection services, Action<ZendeskConnectorOptions> configure) =>
        services.AddConcord().AddZendeskConnector(configure);

    /// <summary>Adds Concord and the Zendesk connector named <paramref name="name"/>, configured by <paramref name="configure"/>.</summary>
    /// <param name="services">The service collection.</param>
    /// <param name="name">The instance name, unique across connectors: the registration key and the connector's <see cref="ICustomerConnector.Name"/>.</param>
    /// <param name="configure">Sets the options.</param>
    /// <returns>The Concord builder.</returns>
    public static IConcordBuilder AddZendeskConnector(this IServiceCollection services, string name, Action<ZendeskConnectorOptions> configure) =>
        services.AddConcord().AddZendeskConnector(name, configure);

    /// <summary>Adds Concord and the default Zendesk connector (named <c>zendesk</c>), its options bound from <paramref name="section"/> (such as <c>Concord:Zendesk</c>).</summary>
    /// <param name="services">The service collection.</param>
    /// <param name="section">The configuration section.</param>
    /// <returns>The Concord builder.</returns>
    public static IConcordBuilder AddZendeskConnector(this IServiceCollection services, IConfigurationSection section) =>
        services.AddConcord().AddZendeskConnector(section);

    /// <summary>Adds Concord and the Zendesk connector named <paramref name="name"/>, its options bound from <paramref name="section"/> (such as <c>Concord:Zendesk:eu</c>).</summary>
    /// <param name="services">The service collection.</param>
    /// <param name="name">The instance name, unique across connectors.</param>
    /// <param name="section">The configuration section.</param>
    /// <returns>The Concord builder.</returns>
    public static IConcordBuilder AddZendeskConnector(this IServiceCollection services, string name, IConfigurationSection section) =>
        services.AddConcord().AddZendeskConnector(name, section);

    /// <summary>Adds the default Zendesk connector (named <c>zendesk</c>), configured by <paramref name="configure"/>.</summary>
    /// <param name="builder">The Concord builder.</param>
    /// <param name="configure">Sets the options.</param>
    /// <returns>The builder.</returns>
    /// <exception cref="InvalidOperationException">A connector named <c>zendesk</c> is already registered.</exception>
    public static IConcordBuilder AddZendeskConnector(this IConcordBuilder builder, Action<ZendeskConnectorOptions> configure) =>
        builder.AddConnector(ZendeskConnectorDefinition.Instance, ZendeskConnectorOptions.DefaultName, configure);

    /// <summary>
    /// Adds the Zendesk connector named <paramref name="name"/>, configured by <paramref name="configure"/>; its options are
    /// <c>IOptionsMonitor&lt;ZendeskConnectorOptions&gt;.Get(name)</c> and its messages name <c>Concord:Zendesk:<paramref name="name"/></c>.
    /// </summary>
    /// <param name="builder">The Concord builder.</param>
    /// <param name="name">The instance name, unique across connectors.</param>
    /// <param name="configure">Sets the options.</param>
    /// <returns>The builder.</returns>
    /// <exception cref="InvalidOperationException">A connector is already registered under <paramref name="name"/>.</exception>
    public static IConcordBuilder AddZendeskConnector(this IConcordBuilder builder, string name, Action<ZendeskConnectorOptions> configure) =>
        builder.AddConnector(ZendeskConnectorDefinition.Instance, name, configure);

    /// <summary>Adds the default Zendesk connector (named <c>zendesk</c>), its options bound from <paramref name="section"/> by the standard configuration binder.</summary>
    /// <param name="builder">The Concord builder.</param>
    /// <param name="section">The configuration section (such as <c>Concord:Zendesk</c>).</param>
    /// <returns>The builder.</returns>
    /// <exception cref="InvalidOperationException">A connector named <c>zendesk</c> is already registered.</exception>
    public static IConcordBuilder AddZendeskConnector(this IConcordBuilder builder, IConfigurationSection section) =>
        builder.AddConnector(ZendeskConnectorDefinition.Instance, ZendeskConnectorOptions.DefaultName, section);

    /// <summary>Adds the Zendesk connector named <paramref name="name"/>, its options bound from <paramref name="section"/> by the standard configuration binder.</summary>
    /// <param name="builder">The Concord builder.</param>
    /// <param name="name">The instance name, unique across connectors.</param>
    /// <param name="section">The configuration section (such as <c>Concord:Zendesk:eu</c>).</param>
    /// <returns>The builder.</returns>
    /// <exception cref="InvalidOperationException">A connector is already registered under <paramref name="name"/>.</exception>
    public static IConcordBuilder AddZendeskConnector(this IConcordBuilder builder, string name, IConfigurationSection section) =>
        builder.AddConnector(ZendeskConnectorDefinition.Instance, name, section);
}
