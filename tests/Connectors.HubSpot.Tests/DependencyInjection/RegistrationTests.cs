using Concord.Canonical.Connectors;
using Concord.Canonical.DependencyInjection;
using Concord.Connectors.HubSpot.Api;
using Concord.Connectors.HubSpot.Tests.TestData;
using Concord.Testing.HubSpot;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Refit;

namespace Concord.Connectors.HubSpot.Tests.DependencyInjection;

public sealed class RegistrationTests
{
    [Fact]
    public async Task Named_instances_are_isolated_each_with_its_own_portal_and_token()
    {
        await using var eu = new HubSpotSimulator();
        await using var us = new HubSpotSimulator();
        var services = new ServiceCollection();
        services.AddConcord()
            .AddHubSpotConnector("hubspot-eu", o => eu.Configure(o, HubSpotAuthMode.OAuth))
            .AddHubSpotConnector("hubspot-us", o => us.Configure(o, HubSpotAuthMode.OAuth));
        await using var provider = services.BuildServiceProvider();

        var euConnector = provider.GetRequiredKeyedService<ICustomerConnector>("hubspot-eu");
        var usConnector = provider.GetRequiredKeyedService<IHubSpotConnector>("hubspot-us");
        var result = await euConnector.UpsertAsync(Customers.Request(Customers.Company("iso-1")));
        await usConnector.GetAsync("1");

        Assert.Same(provider.GetRequiredKeyedService<IHubSpotConnector>("hubspot-eu"), euConnector);
        Assert.Equal("hubspot-eu", euConnector.Name);
        Assert.True(result.IsSuccess);
        Assert.Single(eu.Companies);
        Assert.Empty(us.Companies);
        Assert.Equal(1, eu.TokenRequests);
        Assert.Equal(1, us.TokenRequests);
        Assert.Equal(2, provider.GetServices<ConnectorRegistration>().Count());
    }

    [Fact]
    public void Same_name_twice_is_refused()
    {
        var builder = new ServiceCollection().AddConcord();
        builder.AddHubSpotConnector(o => { });

        Assert.Throws<InvalidOperationException>(() => builder.AddHubSpotConnector(o => { }));
    }

    [Fact]
    public async Task Options_bind_from_a_configuration_section()
    {
        await using var sim = new HubSpotSimulator();
        sim.DefineProperty("companies", "hs_segment");
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Concord:HubSpot:BaseAddress"] = sim.BaseAddress.ToString(),
            ["Concord:HubSpot:AllowInsecureHttp"] = "true",
            ["Concord:HubSpot:AccessToken"] = sim.Options.StaticToken,
            ["Concord:HubSpot:ApiVersion"] = "2026-03",
            ["Concord:HubSpot:BatchSize"] = "50",
            ["Concord:HubSpot:TenSecondlyLimit"] = "100",
            ["Concord:HubSpot:CustomProperties:segment"] = "hs_segment",
            ["Concord:HubSpot:Resilience:MaxRetryAttempts"] = "1",
        }).Build();
        var services = new ServiceCollection();
        services.AddHubSpotConnector(configuration.GetSection("Concord:HubSpot"));
        await using var provider = services.BuildServiceProvider();

        var options = provider.GetRequiredService<IOptionsMonitor<HubSpotConnectorOptions>>().Get("hubspot");
        var connector = provider.GetRequiredKeyedService<IHubSpotConnector>("hubspot");
        await connector.UpsertManyAsync(Customers.Requests(120));

        Assert.Equal(50, options.BatchSize);
        Assert.Equal(100, options.TenSecondlyLimit);
        Assert.Equal("hs_segment", options.CustomProperties["segment"]);
        Assert.Equal(1, options.Resilience.MaxRetryAttempts);
        Assert.Equal(50, connector.Capabilities.MaxBatchSize);
        Assert.Equal(3, sim.Journal.Calls("POST", "/crm/objects/2026-03/companies/batch/upsert").Count);
    }

    [Fact]
    public void Refit_client_is_the_build_time_generated_one_not_reflection()
    {
        using var http = new HttpClient { BaseAddress = new Uri("https://api.hubapi.com/") };

        var api = RestService.ForGenerated<IHubSpotApi>(http, new RefitSettings(SystemTextJsonContentSerializer.ForContext(HubSpotJsonContext.Default)));

        Assert.Equal(typeof(IHubSpotApi).Assembly, api.GetType().Assembly);
        Assert.DoesNotContain(AppDomain.CurrentDomain.GetAssemblies(), a => a.GetName().Name == "Refit.Reflection");
    }

    [Fact]
    public async Task Capabilities_describe_hubspot_and_the_groups_it_carries()
    {
        await using var sim = new HubSpotSimulator();
        await using var hubspot = sim.CreateConnector(o => o.TaxIdProperty = "vat_number");

        var capabilities = hubspot.Connector.Capabilities;

        Assert.Equal("hubspot", capabilities.System);
        Assert.Equal(100, capabilities.MaxBatchSize);
        Assert.False(capabilities.VendorBatchPreservesOrder);
        Assert.Equal("concord_external_id", capabilities.NativeUpsertKey);
        Assert.Equal(190, capabilities.PublishedRateLimit.Permits);
        Assert.Equal(TimeSpan.FromSeconds(10), capabilities.PublishedRateLimit.Window);
        Assert.True(capabilities.Carries(Canonical.CustomerField.TaxIds));
        Assert.False(capabilities.Carries(Canonical.CustomerField.Emails));
        Assert.False(capabilities.Carries(Canonical.CustomerField.ShippingAddress));
    }
}
