using Concord.Canonical.Connectors;
using Concord.Canonical.DependencyInjection;
using Concord.Connectors.Salesforce;
using Concord.Connectors.Salesforce.Api;
using Concord.Connectors.Salesforce.Auth;
using Concord.Connectors.Salesforce.DependencyInjection.Internal;
using Concord.Connectors.Salesforce.Internal;
using Concord.Connectors.Salesforce.Limits;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Refit;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>
/// Registers Salesforce connectors. Each call adds one named instance (default name <c>salesforce</c>) resolvable as a
/// keyed <see cref="ICustomerConnector"/> and <see cref="ISalesforceConnector"/>, with its own validated options, token
/// cache, API usage tracker and named <see cref="HttpClient"/>s (<c>Concord.salesforce.{name}</c> for the API, and
/// <c>…​.OAuth</c> for the token endpoint), both behind Concord's resilience pipeline.
/// </summary>
public static class SalesforceServiceCollectionExtensions
{
    /// <summary>Where the authentication handler's requests start; it replaces the host with the token's <c>instance_url</c>.</summary>
    internal static readonly Uri PlaceholderBaseAddress = new("https://instance-url.invalid/");

    /// <summary>Adds the Salesforce connector named <c>salesforce</c>, configured by <paramref name="configure"/>.</summary>
    /// <param name="services">The service collection.</param>
    /// <param name="configure">Sets the options.</param>
    /// <returns>The Concord builder.</returns>
    public static IConcordBuilder AddSalesforceConnector(this IServiceCollection services, Action<SalesforceConnectorOptions> configure) =>
        services.AddConcord().AddSalesforceConnector(SalesforceConnectorOptions.DefaultName, configure);

    /// <summary>Adds the Salesforce connector named <paramref name="name"/>, configured by <paramref name="configure"/>.</summary>
    /// <param name="services">The service collection.</param>
    /// <param name="name">The connector name (unique across connectors), for example <c>salesforce-eu</c>.</param>
    /// <param name="configure">Sets the options.</param>
    /// <returns>The Concord builder.</returns>
    public static IConcordBuilder AddSalesforceConnector(this IServiceCollection services, string name, Action<SalesforceConnectorOptions> configure) =>
        services.AddConcord().AddSalesforceConnector(name, configure);

    /// <summary>Adds the Salesforce connector named <c>salesforce</c>, bound to <paramref name="section"/> (for example <c>Concord:Salesforce</c>).</summary>
    /// <param name="services">The service collection.</param>
    /// <param name="section">The configuration section.</param>
    /// <returns>The Concord builder.</returns>
    public static IConcordBuilder AddSalesforceConnector(this IServiceCollection services, IConfigurationSection section) =>
        services.AddConcord().AddSalesforceConnector(SalesforceConnectorOptions.DefaultName, section);

    /// <summary>Adds the Salesforce connector named <paramref name="name"/>, bound to <paramref name="section"/>.</summary>
    /// <param name="services">The service collection.</param>
    /// <param name="name">The connector name.</param>
    /// <param name="section">The configuration section.</param>
    /// <returns>The Concord builder.</returns>
    public static IConcordBuilder AddSalesforceConnector(this IServiceCollection services, string name, IConfigurationSection section) =>
        services.AddConcord().AddSalesforceConnector(name, section);

    /// <summary>Adds the Salesforce connector named <c>salesforce</c>, configured by <paramref name="configure"/>.</summary>
    /// <param name="builder">The Concord builder.</param>
    /// <param name="configure">Sets the options.</param>
    /// <returns>The builder.</returns>
    public static IConcordBuilder AddSalesforceConnector(this IConcordBuilder builder, Action<SalesforceConnectorOptions> configure) =>
        builder.AddSalesforceConnector(SalesforceConnectorOptions.DefaultName, configure);

    /// <summary>Adds the Salesforce connector named <c>salesforce</c>, bound to <paramref name="section"/>.</summary>
    /// <param name="builder">The Concord builder.</param>
    /// <param name="section">The configuration section.</param>
    /// <returns>The builder.</returns>
    public static IConcordBuilder AddSalesforceConnector(this IConcordBuilder builder, IConfigurationSection section) =>
        builder.AddSalesforceConnector(SalesforceConnectorOptions.DefaultName, section);

    /// <summary>Adds the Salesforce connector named <paramref name="name"/>, bound to <paramref name="section"/>.</summary>
    /// <param name="builder">The Concord builder.</param>
    /// <param name="name">The connector name.</param>
    /// <param name="section">The configuration section.</param>
    /// <returns>The builder.</returns>
    public static IConcordBuilder AddSalesforceConnector(this IConcordBuilder builder, string name, IConfigurationSection section)
    {
        ArgumentNullException.ThrowIfNull(section);
        return builder.AddSalesforceConnector(name, options => section.Bind(options));
    }

    /// <summary>
    /// Adds the Salesforce connector named <paramref name="name"/>, configured by <paramref name="configure"/>. The options
    /// are validated when the host starts.
    /// </summary>
    /// <param name="builder">The Concord builder.</param>
    /// <param name="name">The connector name (unique across connectors).</param>
    /// <param name="configure">Sets the options.</param>
    /// <returns>The builder.</returns>
    /// <exception cref="InvalidOperationException">A connector with that name is already registered.</exception>
    public static IConcordBuilder AddSalesforceConnector(this IConcordBuilder builder, string name, Action<SalesforceConnectorOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(configure);

        var registration = new ConnectorRegistration(name, SalesforceConnectorOptions.DefaultName);
        var services = builder.Services;
        services.TryAddSingleton(TimeProvider.System);
        services.AddOptions<SalesforceConnectorOptions>(name).Configure(configure).ValidateOnStart();
        services.AddSingleton<IValidateOptions<SalesforceConnectorOptions>>(new SalesforceConnectorOptionsValidator(name));

        var tokenClientName = registration.HttpClientName + ".OAuth";
        // AddConcordResilience also removes the factory's default loggers, which would keep the bearer token raw in their
        // structured state; the connector logs its own calls.
        services.AddHttpClient(tokenClientName)
            .AddConcordResilience(name, sp => Options(sp, name).Resilience);

        services.AddKeyedSingleton(name, (sp, _) => CreateSession(sp, name, tokenClientName));

        services.AddHttpClient(registration.HttpClientName, client => client.BaseAddress = PlaceholderBaseAddress)
            .AddConcordResilience(name, sp => Options(sp, name).Resilience)
            .AddHttpMessageHandler(sp => new SalesforceAuthenticationHandler(
                sp.GetRequiredKeyedService<SalesforceSession>(name).Tokens, name, Logger(sp)))
            .AddHttpMessageHandler(() => new SalesforceConcurrencyLimitHandler())
            .AddHttpMessageHandler(sp => new SalesforceLimitInfoHandler(sp.GetRequiredKeyedService<SalesforceSession>(name).Usage));

        services.AddKeyedSingleton<ISalesforceConnector>(name, (sp, _) =>
        {
            var http = sp.GetRequiredService<IHttpClientFactory>().CreateClient(registration.HttpClientName);
            var settings = new RefitSettings(SystemTextJsonContentSerializer.ForContext(SalesforceJsonContext.Default));
            var api = RestService.ForGenerated<ISalesforceApi>(http, settings);
            return new SalesforceConnector(name, Options(sp, name), api, sp.GetRequiredKeyedService<SalesforceSession>(name).Usage, Logger(sp));
        });

        return builder.AddConnector(registration, (sp, r) => sp.GetRequiredKeyedService<ISalesforceConnector>(r.Name));
    }

    private static SalesforceSession CreateSession(IServiceProvider sp, string name, string tokenClientName)
    {
        var options = Options(sp, name);
        var time = sp.GetRequiredService<TimeProvider>();
        var factory = sp.GetRequiredService<IHttpClientFactory>();
        var tokenClient = new SalesforceTokenClient(factory.CreateClient(tokenClientName), options, name, time, Logger(sp));
        return new SalesforceSession(new SalesforceTokenCache(tokenClient.RequestAsync, time), new SalesforceApiUsageTracker(name, options, time));
    }

    private static SalesforceConnectorOptions Options(IServiceProvider sp, string name) =>
        sp.GetRequiredService<IOptionsMonitor<SalesforceConnectorOptions>>().Get(name);

    private static ILogger Logger(IServiceProvider sp) =>
        sp.GetService<ILoggerFactory>()?.CreateLogger("Concord.Connectors.Salesforce") ?? NullLogger.Instance;
}
