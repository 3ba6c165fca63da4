using Microsoft.Extensions.DependencyInjection.Extensions;
using Concord.Canonical.Connectors;
using Concord.Canonical.DependencyInjection;
using Concord.Connectors.Salesforce.Api;
using Concord.Connectors.Salesforce.Auth;
using Concord.Connectors.Salesforce.Internal;
using Concord.Connectors.Salesforce.Limits;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Refit;

namespace Concord.Connectors.Salesforce.DependencyInjection.Internal;

/// <summary>
/// What the shared registration core needs to know about Salesforce. Each instance gets its own token cache and API usage
/// tracker (a keyed <see cref="SalesforceSession"/>) and two named clients behind Concord's resilience pipeline:
/// <c>Concord.salesforce.{name}.OAuth</c> for the token endpoint on the My Domain, and <c>Concord.salesforce.{name}</c>
/// for the API, whose requests the authentication handler sends to the token's <c>instance_url</c>.
/// </summary>
internal sealed class SalesforceConnectorDefinition : ConnectorDefinition<SalesforceConnectorOptions, ISalesforceConnector>
{
    public static readonly SalesforceConnectorDefinition Instance = new();

    /// <summary>Where the API client's requests start; the authentication handler replaces the host with the token's <c>instance_url</c>.</summary>
    internal static readonly Uri PlaceholderBaseAddress = new("https://instance-url.invalid/");

    private SalesforceConnectorDefinition()
        : base(SalesforceConnectorOptions.DefaultName, SalesforceConnectorOptions.SectionName, "https://acme.my.salesforce.com")
    {
    }

    // On the concrete type, so the configuration binder's source generator writes the binding.
    protected override void Bind(IConfigurationSection section, SalesforceConnectorOptions options) => section.Bind(options);

    protected override IEnumerable<string> Validate(string path, SalesforceConnectorOptions options) => SalesforceConnectorOptionsValidator.Validate(path, options);

    protected override void AddServices(IServiceCollection services, ConnectorRegistration registration)
    {
        var name = registration.Name;
        var tokenClientName = registration.HttpClientName + ".OAuth";
        AddHttpClient(services, registration, tokenClientName);

        // Rotated refresh tokens go here (in memory unless the host registers a durable store, shared with HubSpot and Zendesk).
        services.TryAddSingleton<IConnectorTokenStore, InMemoryConnectorTokenStore>();

        // The Account each Contact was read under, so a move made while the host was down still brings back the Account left.
        services.TryAddSingleton<IConnectorStateStore, InMemoryConnectorStateStore>();
        services.AddKeyedSingleton(name, (sp, _) => CreateSession(sp, registration, tokenClientName));

        AddHttpClient(services, registration)
            .ConfigureHttpClient(client => client.BaseAddress = PlaceholderBaseAddress)
            .AddHttpMessageHandler(sp => new SalesforceAuthenticationHandler(sp.GetRequiredKeyedService<SalesforceSession>(name).Tokens, name, Logger(sp)))
            .AddHttpMessageHandler(() => new SalesforceConcurrencyLimitHandler())
            .AddHttpMessageHandler(sp => new SalesforceLimitInfoHandler(sp.GetRequiredKeyedService<SalesforceSession>(name).Usage));
    }

    protected override ISalesforceConnector Create(IServiceProvider services, ConnectorRegistration registration, SalesforceConnectorOptions options)
    {
        var http = services.GetRequiredService<IHttpClientFactory>().CreateClient(registration.HttpClientName);
        var settings = new RefitSettings(SystemTextJsonContentSerializer.ForContext(SalesforceJsonContext.Default));
        var api = RestService.ForGenerated<ISalesforceApi>(http, settings);
        return new SalesforceConnector(registration.Name, options, api, services.GetRequiredKeyedService<SalesforceSession>(registration.Name).Usage, services.GetRequiredService<IConnectorStateStore>(), services.GetRequiredService<TimeProvider>(), Logger(services));
    }

    private static SalesforceSession CreateSession(IServiceProvider sp, ConnectorRegistration registration, string tokenClientName)
    {
        var options = GetOptions(sp, registration);
        var time = sp.GetRequiredService<TimeProvider>();
        var tokenClient = new SalesforceTokenClient(sp.GetRequiredService<IHttpClientFactory>().CreateClient(tokenClientName), options, registration.Name, sp.GetRequiredService<IConnectorTokenStore>(), time, Logger(sp));
        return new SalesforceSession(new SalesforceTokenCache(tokenClient.RequestAsync, time), new SalesforceApiUsageTracker(registration.Name, options, time));
    }

    private static ILogger Logger(IServiceProvider sp) =>
        sp.GetService<ILoggerFactory>()?.CreateLogger("Concord.Connectors.Salesforce") ?? NullLogger.Instance;
}
