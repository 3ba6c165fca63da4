using Concord.Canonical.Errors;
using Concord.Connectors.HubSpot.Tests.TestData;
using Concord.Testing.HubSpot;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;

namespace Concord.Connectors.HubSpot.Tests.Writes;

/// <summary>The unique properties are checked when the host starts, not at the first write.</summary>
public sealed class StartupCheckTests
{
    [Fact]
    public async Task The_unique_properties_are_checked_and_created_when_the_host_starts_before_any_write()
    {
        await using var sim = new HubSpotSimulator();
        using var host = Host(sim);

        await host.StartAsync();

        Assert.True(sim.PropertyIsUnique("companies", "concord_external_id"));
        Assert.True(sim.PropertyIsUnique("contacts", "concord_external_id"));
        Assert.Single(sim.Journal.Calls("POST", "/crm/properties/2026-09/companies"));
        Assert.DoesNotContain(sim.Journal.Entries, e => e.Path.Contains("/batch/", StringComparison.Ordinal));

        var connector = host.Services.GetRequiredKeyedService<IHubSpotConnector>("hubspot");
        Assert.True((await connector.UpsertAsync(Customers.Request(Customers.Company("after-start-1")))).IsSuccess);
        Assert.Single(sim.Journal.Calls("GET", "/crm/properties/2026-09/companies/concord_external_id")); // not checked again
        await host.StopAsync();
    }

    [Fact]
    public async Task A_missing_property_the_app_may_not_create_stops_the_host_naming_the_property_and_the_scope()
    {
        var options = new HubSpotSimulatorOptions();
        options.Scopes.Remove("crm.schemas.companies.write");
        await using var sim = new HubSpotSimulator(options);
        using var host = Host(sim);

        var error = await Assert.ThrowsAsync<ConcordException>(() => host.StartAsync());

        Assert.Equal(ErrorCategory.Configuration, error.Category);
        Assert.Contains("'concord_external_id'", error.Message, StringComparison.Ordinal);
        Assert.Contains("crm.schemas.companies.write", error.Message, StringComparison.Ordinal);
        Assert.Contains("Require unique values", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_property_without_unique_values_stops_the_host()
    {
        await using var sim = new HubSpotSimulator();
        sim.DefineProperty("contacts", "concord_external_id", hasUniqueValue: false);
        using var host = Host(sim);

        var error = await Assert.ThrowsAsync<ConcordException>(() => host.StartAsync());

        Assert.Equal(ErrorCategory.Configuration, error.Category);
        Assert.Contains("ContactUniqueProperty", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_outage_at_start_does_not_stop_the_host_and_the_first_write_checks_again()
    {
        await using var sim = new HubSpotSimulator();
        sim.Faults.FailNext(1, 503, r => r.Path.Contains("/properties/", StringComparison.Ordinal));
        using var host = Host(sim, o => o.Resilience.MaxRetryAttempts = 0);

        await host.StartAsync();
        var connector = host.Services.GetRequiredKeyedService<IHubSpotConnector>("hubspot");
        var result = await connector.UpsertAsync(Customers.Request(Customers.Company("outage-1")));

        Assert.True(result.IsSuccess);
        Assert.True(sim.PropertyIsUnique("companies", "concord_external_id"));
        var logs = host.Services.GetFakeLogCollector().GetSnapshot();
        Assert.Contains(logs, l => l.Level == LogLevel.Warning && l.Message.Contains("could not be checked at start (Transient)", StringComparison.Ordinal));
        await host.StopAsync();
    }

    [Theory]
    [InlineData("CustomProperties:segment", "concord_segment")]
    [InlineData("TaxIdProperty", "vat_number")]
    public async Task A_mapped_property_the_portal_lacks_stops_the_host_naming_the_option_before_any_record_fails(string option, string property)
    {
        await using var sim = new HubSpotSimulator();
        using var host = Host(sim, o =>
        {
            if (option == "TaxIdProperty")
            {
                o.TaxIdProperty = property;
            }
            else
            {
                o.CustomProperties["segment"] = property;
            }
        });

        var error = await Assert.ThrowsAsync<ConcordException>(() => host.StartAsync());

        Assert.Equal(ErrorCategory.Configuration, error.Category);
        Assert.Contains(option, error.Message, StringComparison.Ordinal);
        Assert.Contains($"'{property}'", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(sim.Journal.Entries, e => e.Path.Contains("/batch/", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_write_with_a_mapped_property_the_portal_lacks_is_a_configuration_error_not_each_record_invalid()
    {
        await using var sim = new HubSpotSimulator();
        await using var hubspot = sim.CreateConnector(o => o.CustomProperties["segment"] = "concord_segment");

        var error = await Assert.ThrowsAsync<ConcordException>(() => hubspot.Connector.UpsertManyAsync([Customers.Request(Customers.Company("cfg-1")), Customers.Request(Customers.Company("cfg-2"))]));

        Assert.Equal(ErrorCategory.Configuration, error.Category);
        Assert.Contains("Concord:HubSpot:CustomProperties:segment", error.Message, StringComparison.Ordinal);
        Assert.Empty(sim.Companies);
        Assert.DoesNotContain(sim.Journal.Entries, e => e.Path.Contains("/batch/", StringComparison.Ordinal));
    }

    private static IHost Host(HubSpotSimulator sim, Action<HubSpotConnectorOptions>? configure = null)
    {
        var builder = Microsoft.Extensions.Hosting.Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Services.AddLogging(b => b.AddFakeLogging());
        builder.Services.AddHubSpotConnector(o =>
        {
            sim.Configure(o);
            configure?.Invoke(o);
        });
        return builder.Build();
    }
}
