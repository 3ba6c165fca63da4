using Concord.Connectors.Conformance;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Concord.Connectors.HubSpot.Tests.Conformance;

/// <summary>The shared registration rules, run against <c>AddHubSpotConnector</c>.</summary>
public sealed class HubSpotRegistrationConformanceTests : ConnectorRegistrationConformanceTests<HubSpotConnectorOptions, IHubSpotConnector>
{
    protected override string DefaultName => HubSpotConnectorOptions.DefaultName;

    protected override string SectionName => HubSpotConnectorOptions.SectionName;

    // Not the default root, so that binding it is seen.
    protected override Uri ValidBaseAddress { get; } = new("https://api-eu1.hubapi.com/");

    protected override Uri? DefaultBaseAddress { get; } = new("https://api.hubapi.com/");

    protected override IReadOnlyDictionary<string, string> ValidSettings { get; } = new Dictionary<string, string>
    {
        ["AccessToken"] = "pat-na1-conformance",
    };

    protected override string RequiredSetting => "AccessToken";

    protected override void ConfigureValid(HubSpotConnectorOptions options) => options.AccessToken = "pat-na1-conformance";

    protected override void Add(IServiceCollection services, RegistrationOverload overload, string name, Action<HubSpotConnectorOptions> configure, IConfigurationSection section)
    {
        _ = overload switch
        {
            RegistrationOverload.BuilderDelegate => services.AddConcord().AddHubSpotConnector(configure),
            RegistrationOverload.BuilderSection => services.AddConcord().AddHubSpotConnector(section),
            RegistrationOverload.BuilderNamedDelegate => services.AddConcord().AddHubSpotConnector(name, configure),
            RegistrationOverload.BuilderNamedSection => services.AddConcord().AddHubSpotConnector(name, section),
            RegistrationOverload.ServicesDelegate => services.AddHubSpotConnector(configure),
            RegistrationOverload.ServicesSection => services.AddHubSpotConnector(section),
            RegistrationOverload.ServicesNamedDelegate => services.AddHubSpotConnector(name, configure),
            RegistrationOverload.ServicesNamedSection => services.AddHubSpotConnector(name, section),
            _ => throw new ArgumentOutOfRangeException(nameof(overload)),
        };
    }
}
