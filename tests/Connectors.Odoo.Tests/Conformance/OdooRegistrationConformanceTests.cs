using Concord.Connectors.Conformance;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Concord.Connectors.Odoo.Tests.Conformance;

/// <summary>The shared registration rules, run against <c>AddOdooConnector</c>.</summary>
public sealed class OdooRegistrationConformanceTests : ConnectorRegistrationConformanceTests<OdooConnectorOptions, IOdooConnector>
{
    protected override string DefaultName => OdooConnectorOptions.DefaultName;

    protected override string SectionName => OdooConnectorOptions.SectionName;

    protected override Uri ValidBaseAddress { get; } = new("https://acme.odoo.com/");

    protected override IReadOnlyDictionary<string, string> ValidSettings { get; } = new Dictionary<string, string>
    {
        ["Database"] = "acme",
        ["Login"] = "bot@acme.example",
        ["ApiKey"] = "key",
    };

    protected override string RequiredSetting => "Database";

    protected override void ConfigureValid(OdooConnectorOptions options)
    {
        options.Database = "acme";
        options.Login = "bot@acme.example";
        options.ApiKey = "key";
    }

    protected override void Add(IServiceCollection services, RegistrationOverload overload, string name, Action<OdooConnectorOptions> configure, IConfigurationSection section)
    {
        _ = overload switch
        {
            RegistrationOverload.BuilderDelegate => services.AddConcord().AddOdooConnector(configure),
            RegistrationOverload.BuilderSection => services.AddConcord().AddOdooConnector(section),
            RegistrationOverload.BuilderNamedDelegate => services.AddConcord().AddOdooConnector(name, configure),
            RegistrationOverload.BuilderNamedSection => services.AddConcord().AddOdooConnector(name, section),
            RegistrationOverload.ServicesDelegate => services.AddOdooConnector(configure),
            RegistrationOverload.ServicesSection => services.AddOdooConnector(section),
            RegistrationOverload.ServicesNamedDelegate => services.AddOdooConnector(name, configure),
            RegistrationOverload.ServicesNamedSection => services.AddOdooConnector(name, section),
            _ => throw new ArgumentOutOfRangeException(nameof(overload)),
        };
    }
}
