using Concord.Canonical.Connectors;
using Concord.Canonical.DependencyInjection;
using Concord.Connectors.HubSpot.Api;
using Concord.Connectors.HubSpot.Auth;
using Concord.Connectors.HubSpot.Internal;
using Concord.Connectors.HubSpot.Limits;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Refit;

namespace Concord.Connectors.HubSpot.DependencyInjection.Internal;

/// <summary>
/// What the shared registration core needs to know about HubSpot. Each instance gets a keyed token cache and two named
/// clients behind Concord's resilience pipeline: <c>Concord.hubspot.{name}.OAuth</c> for token refreshes and
/// <c>Concord.hubspot.{name}</c> for the API, with the authentication handler and the (portal, app) rate-limit handler
/// inside the pipeline, so every attempt passes them. Instances that reach the same portal with the same credentials share
/// one set of limits (<see cref="PortalLimitsRegistry"/>). Rotated tokens go to the host's <see cref="IConnectorTokenStore"/>,
/// or an in-memory one. A hosted service checks each instance's unique properties when the host starts.
/// </summary>
internal sealed class HubSpotConnectorDefinition : ConnectorDefinition<HubSpotConnectorOptions, IHubSpotConnector>
{
    public static readonly HubSpotConnectorDefinition Instance = new();

    private HubSpotConnectorDefinition()
        : base(HubSpotConnectorOptions.DefaultName, HubSpotConnectorOptions.SectionName, "https://api.hubapi.com")
    {
    }

    // On the concrete type, so the configuration binder's source generator writes the binding.
    protected override void Bind(IConfigurationSection section, HubSpotConnectorOptions options) => section.Bind(options);

    protected override IEnumerable<string> Validate(string path, HubSpotConnectorOptions options) => HubSpotConnectorOptionsValidator.Validate(path, options);

    protected override void AddServices(IServiceCollection services, ConnectorRegistration registration)
    {
        var name = registration.Name;
        var tokenClientName = registration.HttpClientName + ".OAuth";
        services.TryAddSingleton<IConnectorTokenStore, InMemoryConnectorTokenStore>();
        services.TryAddSingleton<PortalLimitsRegistry>();
        services.AddSingleton<IHostedService>(sp => new HubSpotStartupCheck(sp.GetRequiredKeyedService<IHubSpotConnector>(name), name, sp.GetRequiredService<TimeProvider>(), Logger(sp)));

        AddHttpClient(services, registration, tokenClientName);
        services.AddKeyedSingleton(name, (sp, _) => CreateTokens(sp, registration, tokenClientName));
        services.AddKeyedSingleton(name, (sp, _) => Limits(sp, registration));
        AddHttpClient(services, registration)
            .AddHttpMessageHandler(sp => new HubSpotAuthenticationHandler(sp.GetRequiredKeyedService<HubSpotTokenCache>(name), name, Logger(sp)))
            .AddHttpMessageHandler(sp => new HubSpotRateLimitHandler(sp.GetRequiredKeyedService<PortalLimits>(name), name, sp.GetRequiredService<TimeProvider>(), Logger(sp)));
    }

    protected override IHubSpotConnector Create(IServiceProvider services, ConnectorRegistration registration, HubSpotConnectorOptions options)
    {
        var http = services.GetRequiredService<IHttpClientFactory>().CreateClient(registration.HttpClientName);
        var settings = new RefitSettings(SystemTextJsonContentSerializer.ForContext(HubSpotJsonContext.Default));
        var api = RestService.ForGenerated<IHubSpotApi>(http, settings);
        return new HubSpotConnector(
            registration.Name,
            options,
            api,
            services.GetRequiredKeyedService<PortalLimits>(registration.Name),
            services.GetRequiredService<TimeProvider>(),
            Logger(services));
    }

    private static HubSpotTokenCache CreateTokens(IServiceProvider sp, ConnectorRegistration registration, string tokenClientName)
    {
        var options = GetOptions(sp, registration);
        var time = sp.GetRequiredService<TimeProvider>();
        if (options.AuthMode == HubSpotAuthMode.StaticToken)
        {
            return HubSpotTokenCache.ForStatic(options.AccessToken!, time);
        }

        var client = new HubSpotTokenClient(
            sp.GetRequiredService<IHttpClientFactory>().CreateClient(tokenClientName),
            options,
            ApiPaths.For(options.ApiVersion),
            sp.GetRequiredService<IConnectorTokenStore>(),
            registration.Name,
            time,
            Logger(sp));
        return HubSpotTokenCache.ForOAuth(client.RefreshAsync, options.RefreshAhead, time);
    }

    private static PortalLimits Limits(IServiceProvider sp, ConnectorRegistration registration)
    {
        var options = GetOptions(sp, registration);
        var zone = TimeZoneInfo.FindSystemTimeZoneById(options.PortalTimeZone);
        return sp.GetRequiredService<PortalLimitsRegistry>().For(options, zone, sp.GetRequiredService<TimeProvider>());
    }

    private static ILogger Logger(IServiceProvider sp) =>
        sp.GetService<ILoggerFactory>()?.CreateLogger("Concord.Connectors.HubSpot") ?? NullLogger.Instance;
}
