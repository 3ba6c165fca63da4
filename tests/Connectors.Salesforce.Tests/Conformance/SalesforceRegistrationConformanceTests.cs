using Concord.Connectors.Conformance;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Concord.Connectors.Salesforce.Tests.Conformance;

/// <summary>The shared registration rules, run against <c>AddSalesforceConnector</c>.</summary>
public sealed class SalesforceRegistrationConformanceTests : ConnectorRegistrationConformanceTests<SalesforceConnectorOptions, ISalesforceConnector>
{
    protected override string DefaultName => SalesforceConnectorOptions.DefaultName;

    protected override string SectionName => SalesforceConnectorOptions.SectionName;

    protected override Uri ValidBaseAddress { get; } = new("https://acme.my.salesforce.com/");

    protected override IReadOnlyDictionary<string, string> ValidSettings { get; } = new Dictionary<string, string>
    {
        ["ClientId"] = "consumer-key",
        ["ClientSecret"] = "consumer-secret",
    };

    protected override string RequiredSetting => "ClientId";

    protected override void ConfigureValid(SalesforceConnectorOptions options)
    {
        options.ClientId = "consumer-key";
        options.ClientSecret = "consumer-secret";
    }

    protected override void Add(IServiceCollection services, RegistrationOverload overload, string name, Action<SalesforceConnectorOptions> configure, IConfigurationSection section)
    {
        _ = overload switch
        {
            RegistrationOverload.BuilderDelegate => services.AddConcord().AddSalesforceConnector(configure),
            RegistrationOverload.BuilderSection => services.AddConcord().AddSalesforceConnector(section),
            RegistrationOverload.BuilderNamedDelegate => services.AddConcord().AddSalesforceConnector(name, configure),
            RegistrationOverload.BuilderNamedSection => services.AddConcord().AddSalesforceConnector(name, section),
            RegistrationOverload.ServicesDelegate => services.AddSalesforceConnector(configure),
            RegistrationOverload.ServicesSection => services.AddSalesforceConnector(section),
            RegistrationOverload.ServicesNamedDelegate => services.AddSalesforceConnector(name, configure),
            RegistrationOverload.ServicesNamedSection => services.AddSalesforceConnector(name, section),
            _ => throw new ArgumentOutOfRangeException(nameof(overload)),
        };
    }
}
