using Concord.Canonical.Connectors;
using Concord.Canonical.DependencyInjection;
using Concord.Connectors.Odoo;
using Concord.Connectors.Odoo.DependencyInjection.Internal;
using Microsoft.Extensions.Configuration;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>
/// Registers Odoo connectors. Each call adds one instance, resolvable as a keyed <see cref="ICustomerConnector"/> and
/// <see cref="IOdooConnector"/> under its name: the name you give (<c>AddOdooConnector("eu", …)</c> registers
/// <c>eu</c>), or <see cref="OdooConnectorOptions.DefaultName"/> (<c>odoo</c>) for the default instance. Names are unique
/// across all connectors. Options are validated when the host starts; every message names the configuration path of
/// the value (<c>Concord:Odoo:eu:Database is required: …</c>).
/// </summary>
public static class OdooServiceCollectionExtensions
{
    /// <summary>Adds Concord and the default Odoo connector (named <c>odoo</c>), configured by <paramref name="configure"/>.</summary>
    /// <param name="services">The service collection.</param>
    /// <param name="configure">Sets the options.</param>
    /// <returns>The Concord builder.</returns>
    public static IConcordBuilder AddOdooConnector(this IServiceCollection services, Action<OdooConnectorOptions> configure) =>
        services.AddConcord().AddOdooConnector(configure);

    /// <summary>Adds Concord and the Odoo connector named <paramref name="name"/>, configured by <paramref name="configure"/>.</summary>
    /// <param name="services">The service collection.</param>
    /// <param name="name">The instance name, unique across connectors: the registration key and the connector's <see cref="ICustomerConnector.Name"/>.</param>
    /// <param name="configure">Sets the options.</param>
    /// <returns>The Concord builder.</returns>
    public static IConcordBuilder AddOdooConnector(this IServiceCollection services, string name, Action<OdooConnectorOptions> configure) =>
        services.AddConcord().AddOdooConnector(name, configure);

    /// <summary>Adds Concord and the default Odoo connector (named <c>odoo</c>), its options bound from <paramref name="section"/> (such as <c>Concord:Odoo</c>).</summary>
    /// <param name="services">The service collection.</param>
    /// <param name="section">The configuration section.</param>
    /// <returns>The Concord builder.</returns>
    public static IConcordBuilder AddOdooConnector(this IServiceCollection services, IConfigurationSection section) =>
        services.AddConcord().AddOdooConnector(section);

    /// <summary>Adds Concord and the Odoo connector named <paramref name="name"/>, its options bound from <paramref name="section"/> (such as <c>Concord:Odoo:eu</c>).</summary>
    /// <param name="services">The service collection.</param>
    /// <param name="name">The instance name, unique across connectors.</param>
    /// <param name="section">The configuration section.</param>
    /// <returns>The Concord builder.</returns>
    public static IConcordBuilder AddOdooConnector(this IServiceCollection services, string name, IConfigurationSection section) =>
        services.AddConcord().AddOdooConnector(name, section);

    /// <summary>Adds the default Odoo connector (named <c>odoo</c>), configured by <paramref name="configure"/>.</summary>
    /// <param name="builder">The Concord builder.</param>
    /// <param name="configure">Sets the options.</param>
    /// <returns>The builder.</returns>
    /// <exception cref="InvalidOperationException">A connector named <c>odoo</c> is already registered.</exception>
    public static IConcordBuilder AddOdooConnector(this IConcordBuilder builder, Action<OdooConnectorOptions> configure) =>
        builder.AddConnector(OdooConnectorDefinition.Instance, OdooConnectorOptions.DefaultName, configure);

    /// <summary>
    /// Adds the Odoo connector named <paramref name="name"/>, configured by <paramref name="configure"/>; its options are
    /// <c>IOptionsMonitor&lt;OdooConnectorOptions&gt;.Get(name)</c> and its messages name <c>Concord:Odoo:<paramref name="name"/></c>.
    /// </summary>
    /// <param name="builder">The Concord builder.</param>
    /// <param name="name">The instance name, unique across connectors.</param>
    /// <param name="configure">Sets the options.</param>
    /// <returns>The builder.</returns>
    /// <exception cref="InvalidOperationException">A connector is already registered under <paramref name="name"/>.</exception>
    public static IConcordBuilder AddOdooConnector(this IConcordBuilder builder, string name, Action<OdooConnectorOptions> configure) =>
        builder.AddConnector(OdooConnectorDefinition.Instance, name, configure);

    /// <summary>Adds the default Odoo connector (named <c>odoo</c>), its options bound from <paramref name="section"/> by the standard configuration binder.</summary>
    /// <param name="builder">The Concord builder.</param>
    /// <param name="section">The configuration section (such as <c>Concord:Odoo</c>).</param>
    /// <returns>The builder.</returns>
    /// <exception cref="InvalidOperationException">A connector named <c>odoo</c> is already registered.</exception>
    public static IConcordBuilder AddOdooConnector(this IConcordBuilder builder, IConfigurationSection section) =>
        builder.AddConnector(OdooConnectorDefinition.Instance, OdooConnectorOptions.DefaultName, section);

    /// <summary>Adds the Odoo connector named <paramref name="name"/>, its options bound from <paramref name="section"/> by the standard configuration binder.</summary>
    /// <param name="builder">The Concord builder.</param>
    /// <param name="name">The instance name, unique across connectors.</param>
    /// <param name="section">The configuration section (such as <c>Concord:Odoo:eu</c>).</param>
    /// <returns>The builder.</returns>
    /// <exception cref="InvalidOperationException">A connector is already registered under <paramref name="name"/>.</exception>
    public static IConcordBuilder AddOdooConnector(this IConcordBuilder builder, string name, IConfigurationSection section) =>
        builder.AddConnector(OdooConnectorDefinition.Instance, name, section);
}
