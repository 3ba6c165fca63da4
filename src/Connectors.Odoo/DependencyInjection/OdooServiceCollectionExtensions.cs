using Concord.Canonical.Connectors;
using Concord.Canonical.DependencyInjection;
using Concord.Connectors.Odoo;
using Concord.Connectors.Odoo.Api;
using Concord.Connectors.Odoo.DependencyInjection.Internal;
using Concord.Connectors.Odoo.Internal;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Refit;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers Odoo connectors: <c>services.AddOdooConnector(o =&gt; ...)</c>, or named instances such as <c>AddOdooConnector("eu", ...)</c>.</summary>
public static class OdooServiceCollectionExtensions
{
    /// <summary>The registration name of the default instance, and the prefix of named ones (<c>odoo-eu</c>).</summary>
    public const string DefaultName = "odoo";

    /// <summary>Adds Concord and the default Odoo connector (named <c>odoo</c>), configured by <paramref name="configure"/>.</summary>
    /// <param name="services">The service collection.</param>
    /// <param name="configure">Sets the options.</param>
    /// <returns>The Concord builder.</returns>
    public static IConcordBuilder AddOdooConnector(this IServiceCollection services, Action<OdooConnectorOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(services);
        return services.AddConcord().AddOdooConnector(configure);
    }

    /// <summary>Adds Concord and an Odoo connector instance named <c>odoo-<paramref name="name"/></c>.</summary>
    /// <param name="services">The service collection.</param>
    /// <param name="name">The instance name (<c>eu</c>); the connector's <see cref="ICustomerConnector.Name"/> is <c>odoo-eu</c>.</param>
    /// <param name="configure">Sets the options.</param>
    /// <returns>The Concord builder.</returns>
    public static IConcordBuilder AddOdooConnector(this IServiceCollection services, string name, Action<OdooConnectorOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(services);
        return services.AddConcord().AddOdooConnector(name, configure);
    }

    /// <summary>Adds Concord and the default Odoo connector, its options bound from <paramref name="section"/> (such as <c>Concord:Odoo</c>).</summary>
    /// <param name="services">The service collection.</param>
    /// <param name="section">The configuration section.</param>
    /// <returns>The Concord builder.</returns>
    public static IConcordBuilder AddOdooConnector(this IServiceCollection services, IConfigurationSection section)
    {
        ArgumentNullException.ThrowIfNull(services);
        return services.AddConcord().AddOdooConnector(section);
    }

    /// <summary>Adds Concord and an Odoo connector instance named <c>odoo-<paramref name="name"/></c>, bound from <paramref name="section"/>.</summary>
    /// <param name="services">The service collection.</param>
    /// <param name="name">The instance name.</param>
    /// <param name="section">The configuration section (such as <c>Concord:Odoo:eu</c>).</param>
    /// <returns>The Concord builder.</returns>
    public static IConcordBuilder AddOdooConnector(this IServiceCollection services, string name, IConfigurationSection section)
    {
        ArgumentNullException.ThrowIfNull(services);
        return services.AddConcord().AddOdooConnector(name, section);
    }

    /// <summary>Adds the default Odoo connector (named <c>odoo</c>).</summary>
    /// <param name="builder">The Concord builder.</param>
    /// <param name="configure">Sets the options.</param>
    /// <returns>The builder.</returns>
    public static IConcordBuilder AddOdooConnector(this IConcordBuilder builder, Action<OdooConnectorOptions> configure) =>
        AddCore(builder, DefaultName, configure);

    /// <summary>Adds an Odoo connector instance named <c>odoo-<paramref name="name"/></c>, with its own options (<c>IOptionsMonitor&lt;OdooConnectorOptions&gt;.Get("odoo-eu")</c>).</summary>
    /// <param name="builder">The Concord builder.</param>
    /// <param name="name">The instance name.</param>
    /// <param name="configure">Sets the options.</param>
    /// <returns>The builder.</returns>
    public static IConcordBuilder AddOdooConnector(this IConcordBuilder builder, string name, Action<OdooConnectorOptions> configure)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        return AddCore(builder, InstanceName(name), configure);
    }

    /// <summary>Adds the default Odoo connector, its options bound from <paramref name="section"/>.</summary>
    /// <param name="builder">The Concord builder.</param>
    /// <param name="section">The configuration section.</param>
    /// <returns>The builder.</returns>
    public static IConcordBuilder AddOdooConnector(this IConcordBuilder builder, IConfigurationSection section)
    {
        ArgumentNullException.ThrowIfNull(section);
        return AddCore(builder, DefaultName, options => Bind(section, options));
    }

    /// <summary>Adds an Odoo connector instance named <c>odoo-<paramref name="name"/></c>, its options bound from <paramref name="section"/>.</summary>
    /// <param name="builder">The Concord builder.</param>
    /// <param name="name">The instance name.</param>
    /// <param name="section">The configuration section.</param>
    /// <returns>The builder.</returns>
    public static IConcordBuilder AddOdooConnector(this IConcordBuilder builder, string name, IConfigurationSection section)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(section);
        return AddCore(builder, InstanceName(name), options => Bind(section, options));
    }

    private static string InstanceName(string name) =>
        name.StartsWith(DefaultName + "-", StringComparison.Ordinal) || name == DefaultName ? name : $"{DefaultName}-{name}";

    private static void Bind(IConfigurationSection section, OdooConnectorOptions options)
    {
        // Explicit binding keeps the package trimming- and AOT-safe (no reflection binder).
        if (section["BaseAddress"] is { Length: > 0 } baseAddress)
        {
            options.BaseAddress = new Uri(baseAddress, UriKind.RelativeOrAbsolute);
        }

        options.Database = section["Database"] ?? options.Database;
        options.Login = section["Login"] ?? options.Login;
        options.ApiKey = section["ApiKey"] ?? options.ApiKey;
        options.ExternalIdPrefix = section["ExternalIdPrefix"] ?? options.ExternalIdPrefix;
        options.SourceSystem = section["SourceSystem"] ?? options.SourceSystem;
        options.Language = section["Language"] ?? options.Language;
        if (section["ApiFlavor"] is { Length: > 0 } flavor)
        {
            options.ApiFlavor = Enum.Parse<OdooApiFlavor>(flavor, ignoreCase: true);
        }

        options.AllowInsecureHttp = ReadBool(section, "AllowInsecureHttp") ?? options.AllowInsecureHttp;
        options.AdoptExistingPartners = ReadBool(section, "AdoptExistingPartners") ?? options.AdoptExistingPartners;
        options.BatchSize = ReadInt(section, "BatchSize") ?? options.BatchSize;
        options.PageSize = ReadInt(section, "PageSize") ?? options.PageSize;
        options.DeleteCheckEveryPolls = ReadInt(section, "DeleteCheckEveryPolls") ?? options.DeleteCheckEveryPolls;
        if (section["ChangeOverlap"] is { Length: > 0 } overlap)
        {
            options.ChangeOverlap = TimeSpan.Parse(overlap, System.Globalization.CultureInfo.InvariantCulture);
        }

        foreach (var company in section.GetSection("CompanyIds").GetChildren())
        {
            if (int.TryParse(company.Value, System.Globalization.CultureInfo.InvariantCulture, out var id) && !options.CompanyIds.Contains(id))
            {
                options.CompanyIds.Add(id);
            }
        }

        var resilience = section.GetSection("Resilience");
        options.Resilience.MaxRetryAttempts = ReadInt(resilience, "MaxRetryAttempts") ?? options.Resilience.MaxRetryAttempts;
        options.Resilience.PermitLimit = ReadInt(resilience, "PermitLimit") ?? options.Resilience.PermitLimit;
        options.Resilience.QueueLimit = ReadInt(resilience, "QueueLimit") ?? options.Resilience.QueueLimit;
        options.Resilience.AttemptTimeout = ReadTime(resilience, "AttemptTimeout") ?? options.Resilience.AttemptTimeout;
        options.Resilience.TotalRequestTimeout = ReadTime(resilience, "TotalRequestTimeout") ?? options.Resilience.TotalRequestTimeout;
        options.Resilience.BaseDelay = ReadTime(resilience, "BaseDelay") ?? options.Resilience.BaseDelay;
        options.Resilience.MaxDelay = ReadTime(resilience, "MaxDelay") ?? options.Resilience.MaxDelay;
    }

    private static bool? ReadBool(IConfigurationSection section, string key) => bool.TryParse(section[key], out var value) ? value : null;

    private static int? ReadInt(IConfigurationSection section, string key) =>
        int.TryParse(section[key], System.Globalization.CultureInfo.InvariantCulture, out var value) ? value : null;

    private static TimeSpan? ReadTime(IConfigurationSection section, string key) =>
        TimeSpan.TryParse(section[key], System.Globalization.CultureInfo.InvariantCulture, out var value) ? value : null;

    private static IConcordBuilder AddCore(IConcordBuilder builder, string name, Action<OdooConnectorOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(configure);
        var services = builder.Services;
        var registration = new ConnectorRegistration(name, DefaultName);

        services.AddOptions<OdooConnectorOptions>(name).Configure(configure).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<OdooConnectorOptions>, OdooConnectorOptionsValidator>());
        // The connector is a singleton holding its HttpClient: pooled connections are recycled by the primary handler
        // instead of by handler rotation, so DNS changes are still seen.
        services.AddHttpClient(registration.HttpClientName)
            .ConfigurePrimaryHttpMessageHandler(static () => new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5) })
            .SetHandlerLifetime(Timeout.InfiniteTimeSpan)
            .ConfigureHttpClient((provider, http) => http.BaseAddress = provider.GetRequiredService<IOptionsMonitor<OdooConnectorOptions>>().Get(name).BaseAddress)
            .AddConcordResilience(name, provider => provider.GetRequiredService<IOptionsMonitor<OdooConnectorOptions>>().Get(name).Resilience);

        builder.AddConnector(registration, static (provider, registration) => Create(provider, registration));
        services.AddKeyedSingleton<IOdooConnector>(name, static (provider, key) => (IOdooConnector)provider.GetRequiredKeyedService<ICustomerConnector>(key));
        return builder;
    }

    private static OdooConnector Create(IServiceProvider provider, ConnectorRegistration registration)
    {
        var options = provider.GetRequiredService<IOptionsMonitor<OdooConnectorOptions>>().Get(registration.Name);
        var http = provider.GetRequiredService<IHttpClientFactory>().CreateClient(registration.HttpClientName);

        // Source-generated end to end: the Refit client comes from Refit's generator (ForGenerated never falls back to
        // reflection) and its content serializer only knows OdooJsonContext (ForContext refuses reflection metadata).
        var settings = new RefitSettings(SystemTextJsonContentSerializer.ForContext(OdooJsonContext.Default));
        var rpc = RestService.ForGenerated<IOdooJsonRpcApi>(http, settings);
        var json2 = RestService.ForGenerated<IOdooJson2Api>(http, settings);
        var logger = provider.GetService<ILoggerFactory>()?.CreateLogger("Concord.Connectors.Odoo") ?? NullLogger.Instance;
        return new OdooConnector(registration.Name, options, new OdooClient(registration.Name, options, rpc, json2, logger), logger);
    }
}
