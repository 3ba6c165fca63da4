using Concord.Canonical.Connectors;
using Concord.Canonical.DependencyInjection;
using Concord.Connectors.Zendesk.Api;
using Concord.Connectors.Zendesk.Auth;
using Concord.Connectors.Zendesk.Diagnostics;
using Concord.Connectors.Zendesk.Internal;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Concord.Connectors.Zendesk.DependencyInjection.Internal;

/// <summary>
/// What the shared registration core needs to know about Zendesk. Each instance gets its own session (token manager,
/// request gates, job slots: a keyed <see cref="ZendeskSession"/>) and two named clients behind Concord's resilience
/// pipeline: <c>Concord.zendesk.{name}.OAuth</c> for <c>/oauth/tokens</c> and <c>Concord.zendesk.{name}</c> for the API,
/// with the authentication handler and the rate-limit header reader inside the pipeline. The token store is the host's
/// <see cref="IConnectorTokenStore"/>, or an in-memory one.
/// </summary>
internal sealed class ZendeskConnectorDefinition : ConnectorDefinition<ZendeskConnectorOptions, IZendeskConnector>
{
    public static readonly ZendeskConnectorDefinition Instance = new();

    private ZendeskConnectorDefinition()
        : base(ZendeskConnectorOptions.DefaultName, ZendeskConnectorOptions.SectionName, "https://acme.zendesk.com")
    {
    }

    // On the concrete type, so the configuration binder's source generator writes the binding.
    protected override void Bind(IConfigurationSection section, ZendeskConnectorOptions options) => section.Bind(options);

    protected override IEnumerable<string> Validate(string path, ZendeskConnectorOptions options) => ZendeskConnectorOptionsValidator.Validate(path, options);

    protected override void AddServices(IServiceCollection services, ConnectorRegistration registration)
    {
        var name = registration.Name;
        var tokenClientName = registration.HttpClientName + ".OAuth";
        services.TryAddSingleton<IConnectorTokenStore, InMemoryConnectorTokenStore>();
        services.TryAddSingleton<IConnectorStateStore, InMemoryConnectorStateStore>();

        // Builds the instance when the host starts, so its start-up messages (the API-token retirement warning) come then.
        services.AddSingleton<IHostedService>(sp => new ZendeskStartup(() => sp.GetRequiredKeyedService<IZendeskConnector>(name)));
        AddHttpClient(services, registration, tokenClientName);
        services.AddKeyedSingleton(name, (sp, _) => CreateSession(sp, registration, tokenClientName));
        AddHttpClient(services, registration)
            .AddHttpMessageHandler(sp => new ZendeskAuthenticationHandler(GetOptions(sp, registration), sp.GetRequiredKeyedService<ZendeskSession>(name).Tokens))
            .AddHttpMessageHandler(sp => new ZendeskLimitsHandler(sp.GetRequiredKeyedService<ZendeskSession>(name)));
    }

    protected override IZendeskConnector Create(IServiceProvider services, ConnectorRegistration registration, ZendeskConnectorOptions options)
    {
        var logger = Logger(services);
        var session = services.GetRequiredKeyedService<ZendeskSession>(registration.Name);
        var http = services.GetRequiredService<IHttpClientFactory>().CreateClient(registration.HttpClientName);
        var path = string.Equals(registration.Name, System, StringComparison.Ordinal) ? SectionName : $"{SectionName}:{registration.Name}";
        if (options.AuthMode == ZendeskAuthMode.ApiToken)
        {
            Log.ApiTokenRetirement(logger, registration.Name);
        }

        return new ZendeskConnector(registration.Name, options, new ZendeskApiClient(http, session, registration.Name, logger), services.GetRequiredService<IConnectorStateStore>(), path, logger);
    }

    private static ZendeskSession CreateSession(IServiceProvider sp, ConnectorRegistration registration, string tokenClientName)
    {
        var options = GetOptions(sp, registration);
        var time = sp.GetRequiredService<TimeProvider>();
        var tokens = options.AuthMode == ZendeskAuthMode.OAuth
            ? new ZendeskTokenManager(
                sp.GetRequiredService<IHttpClientFactory>().CreateClient(tokenClientName),
                options,
                sp.GetRequiredService<IConnectorTokenStore>(),
                registration.Name,
                time,
                Logger(sp))
            : null;
        return new ZendeskSession(options, time, tokens);
    }

    /// <summary>Resolves one instance when the host starts (its constructor logs what a host should know at start).</summary>
    private sealed class ZendeskStartup(Func<IZendeskConnector> resolve) : IHostedService
    {
        public Task StartAsync(CancellationToken cancellationToken)
        {
            _ = resolve();
            return Task.CompletedTask;
        }

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }

    private static ILogger Logger(IServiceProvider sp) =>
        sp.GetService<ILoggerFactory>()?.CreateLogger("Concord.Connectors.Zendesk") ?? NullLogger.Instance;
}
