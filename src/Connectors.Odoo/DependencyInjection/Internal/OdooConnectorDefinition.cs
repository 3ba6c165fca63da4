using Concord.Canonical.DependencyInjection;
using Concord.Connectors.Odoo.Api;
using Concord.Connectors.Odoo.Internal;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Refit;

namespace Concord.Connectors.Odoo.DependencyInjection.Internal;

/// <summary>What the shared registration core needs to know about Odoo: its options' binding and rules, its HTTP client, and how to build the connector.</summary>
internal sealed class OdooConnectorDefinition : ConnectorDefinition<OdooConnectorOptions, IOdooConnector>
{
    public static readonly OdooConnectorDefinition Instance = new();

    private OdooConnectorDefinition()
        : base(OdooConnectorOptions.DefaultName, OdooConnectorOptions.SectionName, "https://acme.odoo.com")
    {
    }

    // On the concrete type, so the configuration binder's source generator writes the binding.
    protected override void Bind(IConfigurationSection section, OdooConnectorOptions options) => section.Bind(options);

    protected override IEnumerable<string> Validate(string path, OdooConnectorOptions options) => OdooConnectorOptionsValidator.Validate(path, options);

    protected override void AddServices(IServiceCollection services, ConnectorRegistration registration) => AddHttpClient(services, registration);

    protected override IOdooConnector Create(IServiceProvider services, ConnectorRegistration registration, OdooConnectorOptions options)
    {
        var http = services.GetRequiredService<IHttpClientFactory>().CreateClient(registration.HttpClientName);

        // Source-generated end to end: the Refit client comes from Refit's generator (ForGenerated never falls back to
        // reflection) and its content serializer only knows OdooJsonContext (ForContext refuses reflection metadata).
        var settings = new RefitSettings(SystemTextJsonContentSerializer.ForContext(OdooJsonContext.Default));
        var rpc = RestService.ForGenerated<IOdooJsonRpcApi>(http, settings);
        var json2 = RestService.ForGenerated<IOdooJson2Api>(http, settings);
        var logger = services.GetService<ILoggerFactory>()?.CreateLogger("Concord.Connectors.Odoo") ?? NullLogger.Instance;
        return new OdooConnector(registration.Name, options, new OdooClient(registration.Name, options, rpc, json2, logger), logger);
    }
}
