using Concord.AspNetCore.Tests.Webhooks.Endpoints;
using Concord.Canonical.DependencyInjection;
using Concord.Sync.Flows;
using Concord.Testing.HubSpot;
using Concord.Testing.Odoo;
using Microsoft.Extensions.DependencyInjection;

namespace Concord.AspNetCore.Tests.Webhooks.Flows;

/// <summary>The whole webhook path on the simulators: a HubSpot edit, the simulator's own signed delivery, the inbox, the flow, Odoo.</summary>
public sealed class WebhookPathEndToEndTests
{
    [Fact]
    public async Task An_edit_in_hubspot_reaches_odoo_through_the_webhook_path_without_a_poll()
    {
        var clock = WebhookHost.NewClock();
        await using var hubspotSim = new HubSpotSimulator(new HubSpotSimulatorOptions { TimeProvider = clock });
        await using var odooSim = new OdooSimulator();
        await using var hubspot = hubspotSim.CreateConnector();
        await using var odoo = odooSim.CreateConnector();
        var companyId = hubspotSim.SeedCompany(new Dictionary<string, string> { ["name"] = "Acme GmbH", ["domain"] = "acme.example" });
        await using var host = await WebhookHost.StartAsync(
            concord: c => c
                .AddConnector(new ConnectorRegistration("hubspot", "hubspot"), (_, _) => hubspot.Connector)
                .AddConnector(new ConnectorRegistration("odoo", "odoo"), (_, _) => odoo.Connector)
                .AddFlow("hubspot-to-odoo", f => f.From("hubspot").To("odoo").OnWebhooks()),
            runFlowsInBackground: false, // this test runs the flow itself: the background loops would race it for the hint
            time: clock);
        var flow = host.Services.GetRequiredService<IFlowRunner>().GetFlow("hubspot-to-odoo");
        await flow.RunOnceAsync(); // the first sync: Acme exists in both
        Assert.Equal("Acme GmbH", Assert.Single(odooSim.Partners, p => p.IsCompany).Name);
        var searches = hubspotSim.Journal.Entries.Count(e => e.Path.EndsWith("/search", StringComparison.Ordinal));
        hubspotSim.Webhooks.Client = host.Client;
        hubspotSim.Webhooks.DuplicateDeliveries = true; // HubSpot delivers at least once
        hubspotSim.Webhooks.Subscribe(new Uri(WebhookHost.HubSpotUrl), WebhookHost.HubSpotSecret, "company.propertyChange:name");

        hubspotSim.Edit(companyId, new Dictionary<string, string> { ["name"] = "Acme Renamed GmbH" });
        await hubspotSim.Webhooks.WhenIdleAsync();
        var summary = await flow.RunWebhooksAsync();

        var delivery = Assert.Single(hubspotSim.Webhooks.Deliveries);
        Assert.Equal([200, 200], delivery.Statuses);
        Assert.Equal(1, host.Metric.GetMeasurementSnapshot().Count(m => (string?)m.Tags["concord.outcome"] == "duplicate"));
        Assert.Equal((1, 1), (summary.Read, summary.Updated));
        Assert.Equal("Acme Renamed GmbH", Assert.Single(odooSim.Partners, p => p.IsCompany).Name);
        Assert.Equal(searches, hubspotSim.Journal.Entries.Count(e => e.Path.EndsWith("/search", StringComparison.Ordinal))); // no feed read
        Assert.Empty(await host.Inbox.ReadPendingAsync("hubspot", 10));
    }
}
