using Concord.Canonical.Connectors;
using Concord.Canonical.DependencyInjection;
using Concord.Connectors.Salesforce;
using Concord.Connectors.Salesforce.DependencyInjection.Internal;
using Microsoft.Extensions.Configuration;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>
/// Registers Salesforce connectors. Each call adds one instance, resolvable as a keyed <see cref="ICustomerConnector"/>
/// and <see cref="ISalesforceConnector"/> under its name: the name you give (<c>AddSalesforceConnector("eu", …)</c>
/// registers <c>eu</c>), or <see cref="SalesforceConnectorOptions.DefaultName"/> (<c>salesforce</c>) for the default
/// instance. Names are unique across all connectors. Each instance has its own validated options, token cache, API usage
/// tracker and HTTP clients behind Concord's resilience pipeline. Options are validated when the host starts; every
/// message names the configuration path of the value (<c>Concord:Salesforce:ClientId is required: …</c>).
/// </summary>
public static class SalesforceServiceCollectionExtensions
{
    /// <summary>Adds Concord and the default Salesforce connector (named <c>salesforce</c>), configured by <paramref name="configure"/>.</summary>
    /// <param name="services">The service collection.</param>
    /// <param name="configure">Sets the options.</param>
    /// <returns>The Concord builder.</returns>
    public static IConcordBuilder AddSalesforceConnector(this IServiceCollection services, Action<SalesforceConnectorOptions> configure) =>
        services.AddConcord().AddSalesforceConnector(configure);

    /// <summary>Adds Concord and the Salesforce connector named <paramref name="name"/>, configured by <paramref name="configure"/>.</summary>
    /// <param name="services">The service collection.</param>
    /// <param name="name">The instance name, unique across connectors: the registration key and the connector's <see cref="ICustomerConnector.Name"/>.</param>
    /// <param name="configure">Sets the options.</param>
    /// <returns>The Concord builder.</returns>
    public static IConcordBuilder AddSalesforceConnector(this IServiceCollection services, string name, Action<SalesforceConnectorOptions> configure) =>
        services.AddConcord().AddSalesforceConnector(name, configure);

    /// <summary>Adds Concord and the default Salesforce connector (named <c>salesforce</c>), its options bound from <paramref name="section"/> (such as <c>Concord:Salesforce</c>).</summary>
    /// <param name="services">The service collection.</param>
    /// <param name="section">The configuration section.</param>
    /// <returns>The Concord builder.</returns>
    public static IConcordBuilder AddSalesforceConnector(this IServiceCollection services, IConfigurationSection section) =>
        services.AddConcord().AddSalesforceConnector(section);

    /// <summary>Adds Concord and the Salesforce connector named <paramref name="name"/>, its options bound from <paramref name="section"/> (such as <c>Concord:Salesforce:eu</c>).</summary>
    /// <param name="services">The service collection.</param>
    /// <param name="name">The instance name, unique across connectors.</param>
    /// <param name="section">The configuration section.</param>
    /// <returns>The Concord builder.</returns>
    public static IConcordBuilder AddSalesforceConnector(this IServiceCollection services, string name, IConfigurationSection section) =>
        services.AddConcord().AddSalesforceConnector(name, section);

    /// <summary>Adds the default Salesforce connector (named <c>salesforce</c>), configured by <paramref name="configure"/>.</summary>
    /// <param name="builder">The Concord builder.</param>
    /// <param name="configure">Sets the options.</param>
    /// <returns>The builder.</returns>
    /// <exception cref="InvalidOperationException">A connector named <c>salesforce</c> is already registered.</exception>
    public static IConcordBuilder AddSalesforceConnector(this IConcordBuilder builder, Action<SalesforceConnectorOptions> configure) =>
        builder.AddConnector(SalesforceConnectorDefinition.Instance, SalesforceConnectorOptions.DefaultName, configure);

    /// <summary>
    /// Adds the Salesforce connector named <paramref name="name"/>, configured by <paramref name="configure"/>; its options
    /// are <c>IOptionsMonitor&lt;SalesforceConnectorOptions&gt;.Get(name)</c> and its messages name <c>Concord:Salesforce:<paramref name="name"/></c>.
    /// </summary>
    /// <param name="builder">The Concord builder.</param>
    /// <param name="name">The instance name, unique across connectors.</param>
    /// <param name="configure">Sets the options.</param>
    /// <returns>The builder.</returns>
    /// <exception cref="InvalidOperationException">A connector is already registered under <paramref name="name"/>.</exception>
    public static IConcordBuilder AddSalesforceConnector(this IConcordBuilder builder, string name, Action<SalesforceConnectorOptions> configure) =>
        builder.AddConnector(SalesforceConnectorDefinition.Instance, name, configure);

    /// <summary>Adds the default Salesforce connector (named <c>salesforce</c>), its options bound from <paramref name="section"/> by the standard configuration binder.</summary>
    /// <param name="builder">The Concord builder.</param>
    /// <param name="section">The configuration section (such as <c>Concord:Salesforce</c>).</param>
    /// <returns>The builder.</returns>
    /// <exception cref="InvalidOperationException">A connector named <c>salesforce</c> is already registered.</exception>
    public static IConcordBuilder AddSalesforceConnector(this IConcordBuilder builder, IConfigurationSection section) =>
        builder.AddConnector(SalesforceConnectorDefinition.Instance, SalesforceConnectorOptions.DefaultName, section);

    /// <summary>Adds the Salesforce connector named <paramref name="name"/>, its options bound from <paramref name="section"/> by the standard configuration binder.</summary>
    /// <param name="builder">The Concord builder.</param>
    /// <param name="name">The instance name, unique across connectors.</param>
    /// <param name="section">The configuration section (such as <c>Concord:Salesforce:eu</c>).</param>
    /// <returns>The builder.</returns>
    /// <exception cref="InvalidOperationException">A connector is already registered under <paramref name="name"/>.</exception>
    public static IConcordBuilder AddSalesforceConnector(this IConcordBuilder builder, string name, IConfigurationSection section) =>
        builder.AddConnector(SalesforceConnectorDefinition.Instance, name, section);
}
