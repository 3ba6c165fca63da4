using Concord.Canonical.Connectors;
using Concord.Canonical.DependencyInjection;
using Concord.Connectors.HubSpot;
using Concord.Connectors.HubSpot.Api;
using Concord.Connectors.HubSpot.Auth;
using Concord.Connectors.HubSpot.DependencyInjection.Internal;
using Concord.Connectors.HubSpot.Internal;
using Concord.Connectors.HubSpot.Limits;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Refit;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>
/// Registers HubSpot connectors. Each call adds one named instance (default name <c>hubspot</c>) resolvable as a keyed
/// <see cref="ICustomerConnector"/> and <see cref="IHubSpotConnector"/>, with its own validated options, token cache and
/// named <see cref="HttpClient"/>s (<c>Concord.hubspot.{name}</c> for the API, <c>…​.OAuth</c> for token refreshes), both
/// behind Concord's resilience pipeline. Instances that reach the same portal with the same credentials share one set of
/// limits (the 10-second window, search's per-second limit and the daily guard). Rotated OAuth refresh tokens go to the
/// <see cref="IHubSpotTokenStore"/> registered in the container (an in-memory one unless the host adds its own).
/// </summary>
public static class HubSpotServiceCollectionExtensions
{
    /// <summary>Adds the HubSpot connector named <c>hubspot</c>, configured by <paramref name="configure"/>.</summary>
    /// <param name="services">The service collection.</param>
    /// <param name="configure">Sets the options.</param>
    /// <returns>The Concord builder.</returns>
    public static IConcordBuilder AddHubSpotConnector(this IServiceCollection services, Action<HubSpotConnectorOptions> configure) =>
        services.AddConcord().AddHubSpotConnector(HubSpotConnectorOptions.DefaultName, configure);

    /// <summary>Adds the HubSpot connector named <paramref name="name"/>, configured by <paramref name="configure"/>.</summary>
    /// <param name="services">The service collection.</param>
    /// <param name="name">The connector name (unique across connectors), for example <c>hubspot-eu</c>.</param>
    /// <param name="configure">Sets the options.</param>
    /// <returns>The Concord builder.</returns>
    public static IConcordBuilder AddHubSpotConnector(this IServiceCollection services, string name, Action<HubSpotConnectorOptions> configure) =>
        services.AddConcord().AddHubSpotConnector(name, configure);

    /// <summary>Adds the HubSpot connector named <c>hubspot</c>, bound to <paramref name="section"/> (for example <c>Concord:HubSpot</c>).</summary>
    /// <param name="services">The service collection.</param>
    /// <param name="section">The configuration section.</param>
    /// <returns>The Concord builder.</returns>
    public static IConcordBuilder AddHubSpotConnector(this IServiceCollection services, IConfigurationSection section) =>
        services.AddConcord().AddHubSpotConnector(HubSpotConnectorOptions.DefaultName, section);

    /// <summary>Adds the HubSpot connector named <paramref name="name"/>, bound to <paramref name="section"/>.</summary>
    /// <param name="services">The service collection.</param>
    /// <param name="name">The connector name.</param>
    /// <param name="section">The configuration section.</param>
    /// <returns>The Concord builder.</returns>
    public static IConcordBuilder AddHubSpotConnector(this IServiceCollection services, string name, IConfigurationSection section) =>
        services.AddConcord().AddHubSpotConnector(name, section);

    /// <summary>Adds the HubSpot connector named <c>hubspot</c>, configured by <paramref name="configure"/>.</summary>
    /// <param name="builder">The Concord builder.</param>
    /// <param name="configure">Sets the options.</param>
    /// <returns>The builder.</returns>
    public static IConcordBuilder AddHubSpotConnector(this IConcordBuilder builder, Action<HubSpotConnectorOptions> configure) =>
        builder.AddHubSpotConnector(HubSpotConnectorOptions.DefaultName, configure);

    /// <summary>Adds the HubSpot connector named <c>hubspot</c>, bound to <paramref name="section"/>.</summary>
    /// <param name="builder">The Concord builder.</param>
    /// <param name="section">The configuration section.</param>
    /// <returns>The builder.</returns>
    public static IConcordBuilder AddHubSpotConnector(this IConcordBuilder builder, IConfigurationSection section) =>
        builder.AddHubSpotConnector(HubSpotConnectorOptions.DefaultName, section);

    /// <summary>Adds the HubSpot connector named <paramref name="name"/>, bound to <paramref name="section"/> through the standard binder.</summary>
    /// <param name="builder">The Concord builder.</param>
    /// <param name="name">The connector name.</param>
    /// <param name="section">The configuration section.</param>
    /// <returns>The builder.</returns>
    public static IConcordBuilder AddHubSpotConnector(this IConcordBuilder builder, string name, IConfigurationSection section)
    {
        ArgumentNullException.ThrowIfNull(section);
        return builder.AddHubSpotConnector(name, options => section.Bind(options));
    }

    /// <summary>
    /// Adds the HubSpot connector named <paramref name="name"/>, configured by <paramref name="configure"/>. The options
    /// are validated when the host starts.
    /// </summary>
    /// <param name="builder">The Concord builder.</param>
    /// <param name="name">The connector name (unique across connectors).</param>
    /// <param name="configure">Sets the options.</param>
    /// <returns>The builder.</returns>
    /// <exception cref="InvalidOperationException">A connector with that name is already registered.</exception>
    public static IConcordBuilder AddHubSpotConnector(this IConcordBuilder builder, string name, Action<HubSpotConnectorOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(configure);

        var registration = new ConnectorRegistration(name, HubSpotConnectorOptions.DefaultName);
        var services = builder.Services;
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<IHubSpotTokenStore, InMemoryHubSpotTokenStore>();
        services.TryAddSingleton<PortalLimitsRegistry>();
        services.AddOptions<HubSpotConnectorOptions>(name).Configure(configure).ValidateOnStart();
        services.AddSingleton<IValidateOptions<HubSpotConnectorOptions>>(new HubSpotConnectorOptionsValidator(name));

        // AddConcordResilience also removes the factory's default loggers, which would keep the bearer token raw in their
        // structured state; the connector logs its own calls.
        var tokenClientName = registration.HttpClientName + ".OAuth";
        services.AddHttpClient(tokenClientName).AddConcordResilience(name, sp => Options(sp, name).Resilience);
        services.AddKeyedSingleton(name, (sp, _) => CreateTokens(sp, name, tokenClientName));
        services.AddKeyedSingleton(name, (sp, _) => Limits(sp, name));

        services.AddHttpClient(registration.HttpClientName, (sp, client) => client.BaseAddress = Options(sp, name).BaseUrl)
            .AddConcordResilience(name, sp => Options(sp, name).Resilience)
            .AddHttpMessageHandler(sp => new HubSpotAuthenticationHandler(sp.GetRequiredKeyedService<HubSpotTokenCache>(name), name, Logger(sp)))
            .AddHttpMessageHandler(sp => new HubSpotRateLimitHandler(sp.GetRequiredKeyedService<PortalLimits>(name), name, sp.GetRequiredService<TimeProvider>(), Logger(sp)));

        services.AddKeyedSingleton<IHubSpotConnector>(name, (sp, _) =>
        {
            var http = sp.GetRequiredService<IHttpClientFactory>().CreateClient(registration.HttpClientName);
            var settings = new RefitSettings(SystemTextJsonContentSerializer.ForContext(HubSpotJsonContext.Default));
            var api = RestService.ForGenerated<IHubSpotApi>(http, settings);
            return new HubSpotConnector(name, Options(sp, name), api, sp.GetRequiredKeyedService<PortalLimits>(name), sp.GetRequiredService<TimeProvider>(), Logger(sp));
        });

        return builder.AddConnector(registration, (sp, r) => sp.GetRequiredKeyedService<IHubSpotConnector>(r.Name));
    }

    private static HubSpotTokenCache CreateTokens(IServiceProvider sp, string name, string tokenClientName)
    {
        var options = Options(sp, name);
        var time = sp.GetRequiredService<TimeProvider>();
        if (options.AuthMode == HubSpotAuthMode.StaticToken)
        {
            return HubSpotTokenCache.ForStatic(options.AccessToken!, time);
        }

        var client = new HubSpotTokenClient(
            sp.GetRequiredService<IHttpClientFactory>().CreateClient(tokenClientName),
            options,
            ApiPaths.For(options.ApiVersion),
            sp.GetRequiredService<IHubSpotTokenStore>(),
            name,
            time,
            Logger(sp));
        return HubSpotTokenCache.ForOAuth(client.RefreshAsync, options.RefreshAhead, time);
    }

    private static PortalLimits Limits(IServiceProvider sp, string name)
    {
        var options = Options(sp, name);
        var zone = TimeZoneInfo.FindSystemTimeZoneById(options.PortalTimeZone);
        return sp.GetRequiredService<PortalLimitsRegistry>().For(options, zone, sp.GetRequiredService<TimeProvider>());
    }

    private static HubSpotConnectorOptions Options(IServiceProvider sp, string name) =>
        sp.GetRequiredService<IOptionsMonitor<HubSpotConnectorOptions>>().Get(name);

    private static ILogger Logger(IServiceProvider sp) =>
        sp.GetService<ILoggerFactory>()?.CreateLogger("Concord.Connectors.HubSpot") ?? NullLogger.Instance;
}
