using System.Diagnostics.CodeAnalysis;
using Concord.Canonical.Connectors;
using Concord.Canonical.DependencyInjection.Internal;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Concord.Canonical.DependencyInjection;

/// <summary>
/// The registration core every <c>AddXxxConnector</c> funnels into, so that all connectors register alike: a name
/// unique across connectors, named options validated at start with messages that name the configuration path, and a
/// keyed <see cref="ICustomerConnector"/>.
/// </summary>
/// <remarks>
/// Naming rule: the name the caller gives is the key (<c>AddOdooConnector("eu", …)</c> registers <c>eu</c>, resolved
/// with <c>GetRequiredKeyedService&lt;ICustomerConnector&gt;("eu")</c>); the default instance is named after its vendor
/// family (<c>odoo</c>, <c>salesforce</c>). The name is also the connector's <see cref="ICustomerConnector.Name"/>, the
/// <c>System</c> of the external references it returns, and the name of its options.
/// </remarks>
public static class ConcordConnectorBuilderExtensions
{
    /// <summary>
    /// Registers the connector instance <paramref name="name"/> of the vendor family <paramref name="definition"/>
    /// describes, its options set by <paramref name="configure"/> and validated when the host starts. Messages name the
    /// conventional configuration path: <see cref="ConnectorDefinition{TOptions, TConnector}.SectionName"/> for the default
    /// instance, <c>SectionName:name</c> for another.
    /// </summary>
    /// <typeparam name="TOptions">The connector's options.</typeparam>
    /// <typeparam name="TConnector">The connector's interface.</typeparam>
    /// <param name="builder">The Concord builder.</param>
    /// <param name="definition">The connector's definition.</param>
    /// <param name="name">The instance name: the registration key; <see cref="ConnectorDefinition{TOptions, TConnector}.System"/> for the default instance.</param>
    /// <param name="configure">Sets the options.</param>
    /// <returns>The builder.</returns>
    /// <exception cref="InvalidOperationException">A connector is already registered under <paramref name="name"/>.</exception>
    public static IConcordBuilder AddConnector<[DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicParameterlessConstructor)] TOptions, TConnector>(
        this IConcordBuilder builder,
        ConnectorDefinition<TOptions, TConnector> definition,
        string name,
        Action<TOptions> configure)
        where TOptions : ConnectorOptions
        where TConnector : class, ICustomerConnector
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(definition);
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(configure);
        var path = string.Equals(name, definition.System, StringComparison.Ordinal) ? definition.SectionName : $"{definition.SectionName}:{name}";
        return AddCore(builder, definition, name, path, options => options.Configure(configure));
    }

    /// <summary>
    /// Registers the connector instance <paramref name="name"/> of the vendor family <paramref name="definition"/>
    /// describes, its options bound from <paramref name="section"/> by the standard configuration binder and validated
    /// when the host starts. Messages name the section's path (<c>Concord:Odoo:eu:BaseAddress is required: …</c>).
    /// </summary>
    /// <typeparam name="TOptions">The connector's options.</typeparam>
    /// <typeparam name="TConnector">The connector's interface.</typeparam>
    /// <param name="builder">The Concord builder.</param>
    /// <param name="definition">The connector's definition.</param>
    /// <param name="name">The instance name: the registration key; <see cref="ConnectorDefinition{TOptions, TConnector}.System"/> for the default instance.</param>
    /// <param name="section">The configuration section (<c>Concord:Odoo</c>, <c>Concord:Odoo:eu</c>).</param>
    /// <returns>The builder.</returns>
    /// <exception cref="InvalidOperationException">A connector is already registered under <paramref name="name"/>.</exception>
    public static IConcordBuilder AddConnector<[DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicParameterlessConstructor)] TOptions, TConnector>(
        this IConcordBuilder builder,
        ConnectorDefinition<TOptions, TConnector> definition,
        string name,
        IConfigurationSection section)
        where TOptions : ConnectorOptions
        where TConnector : class, ICustomerConnector
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(definition);
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(section);
        return AddCore(builder, definition, name, section.Path, options => options.Configure(o => definition.Bind(section, o)));
    }

    /// <summary>
    /// Registers a connector named <paramref name="registration"/>.Name whose instance <paramref name="factory"/> builds:
    /// the low-level core, for connectors without options (test doubles, generated sources). Resolve it with
    /// <c>GetRequiredKeyedService&lt;ICustomerConnector&gt;(name)</c>.
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
        EnsureUnique(builder.Services, registration);

        builder.Services.AddSingleton(registration);
        builder.Services.AddKeyedSingleton<ICustomerConnector>(registration.Name, (sp, _) => factory(sp, registration));
        return builder;
    }

    private static IConcordBuilder AddCore<[DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicParameterlessConstructor)] TOptions, TConnector>(
        IConcordBuilder builder,
        ConnectorDefinition<TOptions, TConnector> definition,
        string name,
        string path,
        Action<OptionsBuilder<TOptions>> configureOptions)
        where TOptions : ConnectorOptions
        where TConnector : class, ICustomerConnector
    {
        var services = builder.Services;
        var registration = new ConnectorRegistration(name, definition.System);
        EnsureUnique(services, registration);

        services.TryAddSingleton(TimeProvider.System);
        var options = services.AddOptions<TOptions>(name);
        configureOptions(options);
        options.ValidateOnStart();
        services.AddSingleton<IValidateOptions<TOptions>>(new ConnectorOptionsValidator<TOptions, TConnector>(name, path, definition));

        definition.AddServices(services, registration);
        services.AddKeyedSingleton<TConnector>(name, (provider, _) =>
            definition.Create(provider, registration, provider.GetRequiredService<IOptionsMonitor<TOptions>>().Get(name)));
        return builder.AddConnector(registration, static (provider, registration) => provider.GetRequiredKeyedService<TConnector>(registration.Name));
    }

    private static void EnsureUnique(IServiceCollection services, ConnectorRegistration registration)
    {
        foreach (var descriptor in services)
        {
            if (descriptor.ServiceType == typeof(ConnectorRegistration)
                && descriptor.ImplementationInstance is ConnectorRegistration existing
                && string.Equals(existing.Name, registration.Name, StringComparison.Ordinal))
            {
                throw new InvalidOperationException(
                    $"A connector named '{registration.Name}' ({existing.System}) is already registered; give the {registration.System} connector another name.");
            }
        }
    }
}
