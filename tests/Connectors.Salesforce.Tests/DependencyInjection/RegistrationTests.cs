using Concord.Canonical.Connectors;
using Concord.Canonical.DependencyInjection;
using Concord.Connectors.Salesforce.Api;
using Concord.Connectors.Salesforce.Tests.TestData;
using Concord.Testing.Salesforce;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Refit;

namespace Concord.Connectors.Salesforce.Tests.DependencyInjection;

public sealed class RegistrationTests
{
    [Fact]
    public async Task Named_instances_are_isolated_each_with_its_own_org_and_token()
    {
        using var eu = new SalesforceSimulator();
        using var us = new SalesforceSimulator();
        var services = new ServiceCollection();
        services.AddConcord()
            .AddSalesforceConnector("sf-eu", o => eu.Configure(o))
            .AddSalesforceConnector("sf-us", o => us.Configure(o));
        await using var provider = services.BuildServiceProvider();

        var euConnector = provider.GetRequiredKeyedService<ICustomerConnector>("sf-eu");
        var usConnector = provider.GetRequiredKeyedService<ISalesforceConnector>("sf-us");
        var result = await euConnector.UpsertAsync(Customers.Request(Customers.Company("iso-1")));
        await usConnector.GetAsync("001SIM000000001AAA");

        Assert.Same(provider.GetRequiredKeyedService<ISalesforceConnector>("sf-eu"), euConnector);
        Assert.Equal("sf-eu", euConnector.Name);
        Assert.Single(eu.Accounts);
        Assert.Empty(us.Accounts);
        Assert.Equal(1, eu.TokenRequests);
        Assert.Equal(1, us.TokenRequests);
        Assert.Equal(2, provider.GetServices<ConnectorRegistration>().Count());
        Assert.True(result.IsSuccess);
    }

    [Fact]
    public void Same_name_twice_is_refused()
    {
        var builder = new ServiceCollection().AddConcord();
        builder.AddSalesforceConnector(o => { });

        Assert.Throws<InvalidOperationException>(() => builder.AddSalesforceConnector(o => { }));
    }

    [Fact]
    public async Task Options_bind_from_a_configuration_section()
    {
        using var sim = new SalesforceSimulator();
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Concord:Salesforce:BaseAddress"] = sim.MyDomainUrl.ToString(),
            ["Concord:Salesforce:AllowInsecureHttp"] = "true",
            ["Concord:Salesforce:ClientId"] = sim.Options.ConsumerKey,
            ["Concord:Salesforce:ClientSecret"] = sim.Options.ConsumerSecret,
            ["Concord:Salesforce:BatchSize"] = "50",
            ["Concord:Salesforce:DailyBudgetShare"] = "0.5",
            ["Concord:Salesforce:Resilience:MaxRetryAttempts"] = "1",
        }).Build();
        var services = new ServiceCollection();
        services.AddSalesforceConnector(configuration.GetSection("Concord:Salesforce"));
        await using var provider = services.BuildServiceProvider();

        var options = provider.GetRequiredService<IOptionsMonitor<SalesforceConnectorOptions>>().Get("salesforce");
        var connector = provider.GetRequiredKeyedService<ISalesforceConnector>("salesforce");
        await connector.UpsertManyAsync(Customers.Requests(120));

        Assert.Equal(50, options.BatchSize);
        Assert.Equal(0.5, options.DailyBudgetShare);
        Assert.Equal(1, options.Resilience.MaxRetryAttempts);
        Assert.Equal(50, connector.Capabilities.MaxBatchSize);
        Assert.Equal(3, sim.Journal.Calls("PATCH", "/services/data/v65.0/composite/sobjects/Account/Concord_Id__c").Count);
    }

    [Fact]
    public void Refit_client_is_the_build_time_generated_one_not_reflection()
    {
        using var http = new HttpClient { BaseAddress = new Uri("https://instance-url.invalid/") };

        var api = RestService.ForGenerated<ISalesforceApi>(http, new RefitSettings(SystemTextJsonContentSerializer.ForContext(SalesforceJsonContext.Default)));

        Assert.Equal(typeof(ISalesforceApi).Assembly, api.GetType().Assembly);
        Assert.DoesNotContain(AppDomain.CurrentDomain.GetAssemblies(), a => a.GetName().Name == "Refit.Reflection");
    }

    [Fact]
    public void Capabilities_describe_salesforce()
    {
        using var sim = new SalesforceSimulator();
        using var sf = sim.CreateConnector();

        var capabilities = sf.Connector.Capabilities;

        Assert.Equal("salesforce", capabilities.System);
        Assert.Equal(200, capabilities.MaxBatchSize);
        Assert.True(capabilities.VendorBatchPreservesOrder);
        Assert.Equal("Concord_Id__c", capabilities.NativeUpsertKey);
    }
}
