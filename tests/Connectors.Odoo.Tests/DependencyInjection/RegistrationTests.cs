using Concord.Canonical.Connectors;
using Concord.Connectors.Odoo.Tests.Support;
using Concord.Testing.Odoo;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Concord.Connectors.Odoo.Tests.DependencyInjection;

public sealed class RegistrationTests
{
    [Fact]
    public async Task Named_instances_have_their_own_options_and_connectors()
    {
        using var eu = new OdooSimulator();
        using var us = new OdooSimulator(new OdooSimulatorOptions { Database = "us-db" });
        var services = new ServiceCollection();
        services.AddOdooConnector("eu", eu.Configure);
        services.AddOdooConnector("us", us.Configure);
        await using var provider = services.BuildServiceProvider();

        var euConnector = provider.GetRequiredKeyedService<ICustomerConnector>("eu");
        var usConnector = provider.GetRequiredKeyedService<IOdooConnector>("us");
        await euConnector.UpsertAsync(Customers.Request(Customers.Company("named-1")));

        Assert.Equal("eu", euConnector.Name);
        Assert.Equal("us", usConnector.Name);
        Assert.Equal("us-db", provider.GetRequiredService<IOptionsMonitor<OdooConnectorOptions>>().Get("us").Database);
        Assert.Single(eu.Partners, p => p.IsCompany);
        Assert.Empty(us.Partners);
    }

    [Fact]
    public async Task Options_bind_from_a_configuration_section()
    {
        using var sim = new OdooSimulator();
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Concord:Odoo:BaseAddress"] = sim.BaseAddress.ToString(),
            ["Concord:Odoo:AllowInsecureHttp"] = "true",
            ["Concord:Odoo:Database"] = sim.Options.Database,
            ["Concord:Odoo:Login"] = sim.Options.Login,
            ["Concord:Odoo:ApiKey"] = sim.Options.ApiKey,
            ["Concord:Odoo:BatchSize"] = "50",
            ["Concord:Odoo:ApiFlavor"] = "JsonRpc",
            ["Concord:Odoo:CompanyIds:0"] = "1",
            ["Concord:Odoo:SourceSystem"] = "Sales Force",
        }).Build();
        var services = new ServiceCollection();
        services.AddOdooConnector(configuration.GetSection("Concord:Odoo"));
        await using var provider = services.BuildServiceProvider();

        var options = provider.GetRequiredService<IOptionsMonitor<OdooConnectorOptions>>().Get("odoo");
        var connector = provider.GetRequiredKeyedService<ICustomerConnector>("odoo");

        Assert.Equal(50, options.BatchSize);
        Assert.Equal(OdooApiFlavor.JsonRpc, options.ApiFlavor);
        Assert.Equal([1], options.CompanyIds);
        Assert.Equal("__concord_sales_force__", options.EffectiveExternalIdPrefix());
        Assert.Equal(50, connector.Capabilities.MaxBatchSize);
        Assert.Null(await connector.GetAsync("999"));
    }

    [Theory]
    [InlineData("Database", "Concord:Odoo:Database is required")]
    [InlineData("ApiKey", "Concord:Odoo:ApiKey is required")]
    [InlineData("Http", "Concord:Odoo:BaseAddress (http://odoo.example.com/) uses http://")]
    [InlineData("Prefix", "Concord:Odoo:ExternalIdPrefix (base) must look like __name__")]
    [InlineData("Batch", "Concord:Odoo:BatchSize (0) must be between 1 and 5000")]
    public void Validation_at_start_names_the_bad_option(string broken, string expected)
    {
        var services = new ServiceCollection();
        services.AddOdooConnector(o =>
        {
            o.BaseAddress = new Uri(broken == "Http" ? "http://odoo.example.com" : "https://odoo.example.com");
            o.Database = broken == "Database" ? null : "db";
            o.Login = "bot";
            o.ApiKey = broken == "ApiKey" ? " " : "key";
            o.ExternalIdPrefix = broken == "Prefix" ? "base" : null;
            o.BatchSize = broken == "Batch" ? 0 : 200;
        });
        using var provider = services.BuildServiceProvider();

        var error = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IOptionsMonitor<OdooConnectorOptions>>().Get("odoo"));

        Assert.Contains(error.Failures, f => f.StartsWith(expected, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("ApiFlavor", "Json3", "OdooApiFlavor")]
    [InlineData("ChangeOverlap", "5min", "System.TimeSpan")]
    [InlineData("CompanyIds:0", "main", "System.Int32")]
    public void A_value_the_binder_cannot_convert_names_its_configuration_path(string key, string value, string type)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Concord:Odoo:eu:BaseAddress"] = "https://odoo.example.com",
            ["Concord:Odoo:eu:Database"] = "db",
            ["Concord:Odoo:eu:Login"] = "bot",
            ["Concord:Odoo:eu:ApiKey"] = "key",
            ["Concord:Odoo:eu:" + key] = value,
        }).Build();
        var services = new ServiceCollection();
        services.AddOdooConnector("eu", configuration.GetSection("Concord:Odoo:eu"));
        using var provider = services.BuildServiceProvider();

        var error = Assert.Throws<InvalidOperationException>(() => provider.GetRequiredService<IOptionsMonitor<OdooConnectorOptions>>().Get("eu"));

        Assert.Contains($"'{value}' at 'Concord:Odoo:eu:{key}'", error.Message, StringComparison.Ordinal);
        Assert.Contains(type, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_undefined_ApiFlavor_number_is_refused_with_its_path()
    {
        var services = new ServiceCollection();
        services.AddOdooConnector(o =>
        {
            o.BaseAddress = new Uri("https://odoo.example.com");
            o.Database = "db";
            o.Login = "bot";
            o.ApiKey = "key";
            o.ApiFlavor = (OdooApiFlavor)7;
        });
        using var provider = services.BuildServiceProvider();

        var error = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IOptionsMonitor<OdooConnectorOptions>>().Get("odoo"));

        Assert.Contains("Concord:Odoo:ApiFlavor (7) must be one of Auto, JsonRpc, Json2.", error.Failures);
    }

    [Fact]
    public void Two_connectors_with_one_name_are_refused()
    {
        var services = new ServiceCollection();
        services.AddOdooConnector("eu", o => { });

        Assert.Throws<InvalidOperationException>(() => services.AddOdooConnector("eu", o => { }));
    }

    [Fact]
    public void Refit_clients_are_the_source_generated_ones()
    {
        // ForGenerated throws when Refit's generator did not produce an implementation: no reflection fallback.
        var rpc = Refit.RestService.ForGenerated<Concord.Connectors.Odoo.Api.IOdooJsonRpcApi>(new HttpClient { BaseAddress = new Uri("https://odoo.example.com") });
        var json2 = Refit.RestService.ForGenerated<Concord.Connectors.Odoo.Api.IOdooJson2Api>(new HttpClient { BaseAddress = new Uri("https://odoo.example.com") });

        Assert.Equal("Concord.Connectors.Odoo", rpc.GetType().Assembly.GetName().Name);
        Assert.Equal("Concord.Connectors.Odoo", json2.GetType().Assembly.GetName().Name);
    }
}

public sealed class ConcordBuilderRegistrationTests
{
    [Fact]
    public async Task AddOdooConnector_on_the_Concord_builder_registers_the_same_connector()
    {
        using var sim = new OdooSimulator(new OdooSimulatorOptions { ServerVersion = "19.0" });
        var services = new ServiceCollection();
        services.AddConcord(concord => concord.AddOdooConnector("hq", o =>
        {
            sim.Configure(o);
            o.Login = null; // JSON-2 needs no login
            o.ApiFlavor = OdooApiFlavor.Json2;
        }));
        await using var provider = services.BuildServiceProvider();

        var connector = provider.GetRequiredKeyedService<ICustomerConnector>("hq");
        var result = await connector.UpsertAsync(Customers.Request(Customers.Person("hq-1")));

        Assert.True(result.IsSuccess, result.Error?.Message);
        Assert.Empty(sim.Journal.Calls("/jsonrpc"));
        Assert.Same(connector, provider.GetRequiredKeyedService<IOdooConnector>("hq"));
    }
}
