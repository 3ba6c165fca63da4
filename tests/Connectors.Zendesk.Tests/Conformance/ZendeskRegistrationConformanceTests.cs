using Concord.Connectors.Conformance;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Concord.Connectors.Zendesk.Tests.Conformance;

/// <summary>The shared registration rules, run against <c>AddZendeskConnector</c>.</summary>
public sealed class ZendeskRegistrationConformanceTests : ConnectorRegistrationConformanceTests<ZendeskConnectorOptions, IZendeskConnector>
{
    protected override string DefaultName => ZendeskConnectorOptions.DefaultName;

    protected override string SectionName => ZendeskConnectorOptions.SectionName;

    protected override Uri ValidBaseAddress { get; } = new("https://acme.zendesk.com/");

    protected override IReadOnlyDictionary<string, string> ValidSettings { get; } = new Dictionary<string, string>
    {
        ["ClientId"] = "concord",
        ["ClientSecret"] = "client-secret",
        ["RefreshToken"] = "refresh-token",
    };

    protected override string RequiredSetting => "ClientId";

    protected override void ConfigureValid(ZendeskConnectorOptions options)
    {
        options.ClientId = "concord";
        options.ClientSecret = "client-secret";
        options.RefreshToken = "refresh-token";
    }

    protected override void Add(IServiceCollection services, RegistrationOverload overload, string name, Action<ZendeskConnectorOptions> configure, IConfigurationSection section)
    {
        _ = overload switch
        {
            RegistrationOverload.BuilderDelegate => services.AddConcord().AddZendeskConnector(configure),
            RegistrationOverload.BuilderSection => services.AddConcord().AddZendeskConnector(section),
            RegistrationOverload.BuilderNamedDelegate => services.AddConcord().AddZendeskConnector(name, configure),
            RegistrationOverload.BuilderNamedSection => services.AddConcord().AddZendeskConnector(name, section),
            RegistrationOverload.ServicesDelegate => services.AddZendeskConnector(configure),
            RegistrationOverload.ServicesSection => services.AddZendeskConnector(section),
            RegistrationOverload.ServicesNamedDelegate => services.AddZendeskConnector(name, configure),
            RegistrationOverload.ServicesNamedSection => services.AddZendeskConnector(name, section),
            _ => throw new ArgumentOutOfRangeException(nameof(overload)),
        };
    }
}
