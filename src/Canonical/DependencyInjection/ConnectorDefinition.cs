using System.Diagnostics.CodeAnalysis;
using Concord.Canonical.Connectors;
using Concord.Canonical.Resilience;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Concord.Canonical.DependencyInjection;

/// <summary>
/// What a connector package tells the shared registration core: its vendor family, its configuration section, how to
/// bind and check its own options, and how to build the connector. Every <c>AddXxxConnector</c> overload funnels into
/// <see cref="ConcordConnectorBuilderExtensions.AddConnector{TOptions, TConnector}(IConcordBuilder, ConnectorDefinition{TOptions, TConnector}, string, Action{TOptions})"/>
/// or its <see cref="IConfigurationSection"/> twin with one instance of this class, so every connector registers alike.
/// </summary>
/// <typeparam name="TOptions">The connector's options, derived from <see cref="ConnectorOptions"/>.</typeparam>
/// <typeparam name="TConnector">The connector's public interface (<c>IOdooConnector</c>), an <see cref="ICustomerConnector"/>.</typeparam>
/// <remarks>
/// <para>What the core does for every connector, so that a connector does not:</para>
/// <list type="bullet">
/// <item>Naming: the name the caller gives is the registration key (<c>AddOdooConnector("eu", …)</c> registers <c>eu</c>);
/// the default instance is named after the vendor family (<see cref="System"/>: <c>odoo</c>). Names are unique across
/// all connectors: a second registration under a name already taken is refused.</item>
/// <item>Options: named options (<c>IOptionsMonitor&lt;TOptions&gt;.Get(name)</c>), set by the caller's delegate or bound
/// from a configuration section by the standard binder (<see cref="Bind"/>), and validated when the host starts
/// (<c>ValidateOnStart</c>): the rules of <see cref="ConnectorOptions"/>, then <see cref="Validate"/>. Every message
/// starts with the configuration path of the value: the section's path, or by convention <see cref="SectionName"/>
/// for the default instance and <c>SectionName:name</c> for a named one.</item>
/// <item>Services: the keyed <typeparamref name="TConnector"/> and <see cref="ICustomerConnector"/> (one instance),
/// and the <see cref="ConnectorRegistration"/> the engine reads.</item>
/// </list>
/// <para>A connector package writes its options class, one internal sealed subclass of this class and the public
/// <c>AddXxxConnector</c> overloads, each a one-line call into the core:</para>
/// <code>
/// internal sealed class HubSpotConnectorDefinition() : ConnectorDefinition&lt;HubSpotConnectorOptions, IHubSpotConnector&gt;("hubspot", "Concord:HubSpot", "https://api.hubapi.com")
/// {
///     public static readonly HubSpotConnectorDefinition Instance = new();
///
///     // A call on the concrete type, so the configuration binder's source generator writes the binding code.
///     protected override void Bind(IConfigurationSection section, HubSpotConnectorOptions options) =&gt; section.Bind(options);
///
///     protected override IEnumerable&lt;string&gt; Validate(string path, HubSpotConnectorOptions options)
///     {
///         if (string.IsNullOrWhiteSpace(options.AccessToken))
///         {
///             yield return $"{path}:AccessToken is required: a private app's access token.";
///         }
///     }
///
///     protected override void AddServices(IServiceCollection services, ConnectorRegistration registration) =&gt;
///         AddHttpClient(services, registration); // base address, Concord's resilience pipeline, pooled connections
///
///     protected override IHubSpotConnector Create(IServiceProvider services, ConnectorRegistration registration, HubSpotConnectorOptions options) =&gt;
///         new HubSpotConnector(registration.Name, options, services.GetRequiredService&lt;IHttpClientFactory&gt;().CreateClient(registration.HttpClientName));
/// }
///
/// public static IConcordBuilder AddHubSpotConnector(this IConcordBuilder builder, string name, Action&lt;HubSpotConnectorOptions&gt; configure) =&gt;
///     builder.AddConnector(HubSpotConnectorDefinition.Instance, name, configure);
/// </code>
/// </remarks>
public abstract class ConnectorDefinition<[DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicParameterlessConstructor)] TOptions, TConnector>
    where TOptions : ConnectorOptions
    where TConnector : class, ICustomerConnector
{
    /// <summary>Creates the definition of a vendor family's connector.</summary>
    /// <param name="system">The vendor family (<c>odoo</c>): the default instance's name and <see cref="ConnectorRegistration.System"/>.</param>
    /// <param name="sectionName">The configuration section of the default instance (<c>Concord:Odoo</c>).</param>
    /// <param name="baseAddressExample">An example of <see cref="ConnectorOptions.BaseAddress"/> for messages (<c>https://acme.odoo.com</c>).</param>
    protected ConnectorDefinition(string system, string sectionName, string baseAddressExample)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(system);
        ArgumentException.ThrowIfNullOrWhiteSpace(sectionName);
        ArgumentException.ThrowIfNullOrWhiteSpace(baseAddressExample);
        System = system;
        SectionName = sectionName;
        BaseAddressExample = baseAddressExample;
    }

    /// <summary>Gets the vendor family (<c>odoo</c>, <c>salesforce</c>): the name of the default instance.</summary>
    public string System { get; }

    /// <summary>Gets the configuration section of the default instance (<c>Concord:Odoo</c>); a named instance's is, by convention, <c>Concord:Odoo:name</c>.</summary>
    public string SectionName { get; }

    internal string BaseAddressExample { get; }

    /// <summary>
    /// Binds <paramref name="section"/> onto <paramref name="options"/>. Write it as <c>section.Bind(options)</c> on the
    /// concrete options type with <c>EnableConfigurationBindingGenerator</c> set, so the binder's source generator writes
    /// the code (trimming- and AOT-safe) and a value it cannot convert fails with a message naming its path.
    /// </summary>
    /// <param name="section">The section.</param>
    /// <param name="options">The options to bind onto.</param>
    protected internal abstract void Bind(IConfigurationSection section, TOptions options);

    /// <summary>
    /// Checks what only this connector's options have, after the rules every connector shares (base address, insecure
    /// http, batch size, resilience). Each message starts with <c><paramref name="path"/>:OptionName</c>, as in
    /// <c>Concord:Odoo:Database is required: the Odoo database name.</c>
    /// </summary>
    /// <param name="path">The configuration path of the options (<c>Concord:Odoo</c>, <c>Concord:Odoo:eu</c>).</param>
    /// <param name="options">The options.</param>
    /// <returns>One message per broken rule; none when the options are valid.</returns>
    protected internal virtual IEnumerable<string> Validate(string path, TOptions options) => [];

    /// <summary>Adds what the connector needs besides its options and itself: its HTTP clients (see <see cref="AddHttpClient"/>), caches, sessions.</summary>
    /// <param name="services">The service collection.</param>
    /// <param name="registration">The instance being registered.</param>
    protected internal virtual void AddServices(IServiceCollection services, ConnectorRegistration registration)
    {
    }

    /// <summary>Builds the connector instance (called once per registration, when first resolved).</summary>
    /// <param name="services">The service provider.</param>
    /// <param name="registration">The instance's registration: its <see cref="ConnectorRegistration.Name"/> is the connector's <see cref="ICustomerConnector.Name"/>.</param>
    /// <param name="options">The instance's validated options.</param>
    /// <returns>The connector.</returns>
    protected internal abstract TConnector Create(IServiceProvider services, ConnectorRegistration registration, TOptions options);

    /// <summary>Gets the validated options of the instance <paramref name="registration"/> names.</summary>
    /// <param name="services">The service provider.</param>
    /// <param name="registration">The instance.</param>
    /// <returns>The options.</returns>
    protected static TOptions GetOptions(IServiceProvider services, ConnectorRegistration registration)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(registration);
        return services.GetRequiredService<IOptionsMonitor<TOptions>>().Get(registration.Name);
    }

    /// <summary>
    /// Adds the connector's named <see cref="HttpClient"/> (<paramref name="clientName"/>, by default
    /// <see cref="ConnectorRegistration.HttpClientName"/>): <see cref="HttpClient.BaseAddress"/> from
    /// <see cref="ConnectorOptions.BaseAddress"/>, Concord's resilience pipeline sized by
    /// <see cref="ConnectorOptions.Resilience"/> (which also turns every transport failure into a
    /// <see cref="Errors.ConcordException"/>), and a primary handler that recycles pooled connections every five minutes,
    /// so that a connector may hold its client for its lifetime and still see DNS changes.
    /// </summary>
    /// <param name="services">The service collection.</param>
    /// <param name="registration">The instance being registered.</param>
    /// <param name="clientName">The client's name, when the connector has more than one (<c>registration.HttpClientName + ".OAuth"</c>).</param>
    /// <returns>The client's builder, to add the connector's own handlers (they run inside the pipeline, once per attempt).</returns>
    protected static IHttpClientBuilder AddHttpClient(IServiceCollection services, ConnectorRegistration registration, string? clientName = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(registration);
        return services.AddHttpClient(clientName ?? registration.HttpClientName)
            .ConfigurePrimaryHttpMessageHandler(static () => new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5) })
            .SetHandlerLifetime(Timeout.InfiniteTimeSpan)
            .ConfigureHttpClient((provider, http) => http.BaseAddress = GetOptions(provider, registration).BaseAddress)
            .AddConcordResilience(registration.Name, provider => ResilienceOf(provider, registration));
    }

    /// <summary>
    /// The connector options' resilience settings, which start-up validation checks with the rest of the connector's
    /// options. When those are invalid the host stops on their messages; the client's copy (validated at start too) then
    /// takes the defaults rather than report the same failures a second time.
    /// </summary>
    private static ConnectorResilienceOptions ResilienceOf(IServiceProvider provider, ConnectorRegistration registration)
    {
        try
        {
            return GetOptions(provider, registration).Resilience;
        }
        catch (Exception ex) when (ex is OptionsValidationException or InvalidOperationException)
        {
            return new ConnectorResilienceOptions();
        }
    }
}
