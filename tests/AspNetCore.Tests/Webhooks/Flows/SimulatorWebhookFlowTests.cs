using System.Text.Json.Nodes;
using Concord.AspNetCore.Tests.Webhooks.Endpoints;
using Concord.Canonical.DependencyInjection;
using Concord.Sync.Flows;
using Concord.Testing.HubSpot;
using Concord.Testing.Odoo;
using Concord.Testing.Zendesk;
using Microsoft.Extensions.DependencyInjection;

namespace Concord.AspNetCore.Tests.Webhooks.Flows;

/// <summary>The Zendesk and Odoo simulators' own deliveries: an edit there is accepted by the endpoint and its hint brings the right record across.</summary>
public sealed class SimulatorWebhookFlowTests
{
    [Fact]
    public async Task A_user_renamed_in_zendesk_sends_an_event_that_brings_the_users_organization_to_odoo()
    {
        var clock = WebhookHost.NewClock();
        await using var zendeskSim = new ZendeskSimulator(new ZendeskSimulatorOptions { TimeProvider = clock });
        await using var odooSim = new OdooSimulator();
        await using var zendesk = zendeskSim.CreateConnector();
        await using var odoo = odooSim.CreateConnector();
        var acme = zendeskSim.SeedOrganization("Acme GmbH", "acme-1", ["acme.example"]);
        var ada = zendeskSim.SeedUser("Ada Lovelace", "ada@acme.example", "c-1", acme);
        zendeskSim.SeedOrganization("Other Ltd", "other-1"); // a second organization the hint must not bring
        await using var host = await WebhookHost.StartAsync(
            concord: c => c
                .AddConnector(new ConnectorRegistration("zendesk", "zendesk"), (_, _) => zendesk.Connector)
                .AddConnector(new ConnectorRegistration("odoo", "odoo"), (_, _) => odoo.Connector)
                .AddFlow("support-to-erp", f => f.From("zendesk").To("odoo").OnWebhooks()),
            runFlowsInBackground: false,
            time: clock);
        var flow = host.Services.GetRequiredService<IFlowRunner>().GetFlow("support-to-erp");
        zendeskSim.Webhooks.Client = host.Client;
        zendeskSim.Webhooks.Subscribe(new Uri("http://localhost/concord/webhooks/zendesk"), WebhookHost.ZendeskSecret, "zen:event-type:user.name_changed");

        zendeskSim.EditUser(ada, new JsonObject { ["name"] = "Ada King" });
        await zendeskSim.Webhooks.WhenIdleAsync();
        var summary = await flow.RunWebhooksAsync();

        var delivery = Assert.Single(zendeskSim.Webhooks.Deliveries);
        Assert.Equal([200], delivery.Statuses);
        Assert.Equal(["zen:event-type:user.name_changed"], delivery.EventTypes);
        var body = JsonNode.Parse(delivery.Body)!;
        Assert.Equal($"zen:user:{ada}", (string?)body["subject"]);
        Assert.Equal(new JsonObject { ["current"] = "Ada King", ["previous"] = "Ada Lovelace" }.ToJsonString(), body["event"]!.ToJsonString());
        Assert.Equal((1, 1), (summary.Read, summary.Created)); // the organization, read once with its users
        Assert.Equal("Acme GmbH", Assert.Single(odooSim.Partners, p => p.IsCompany).Name);
        Assert.Equal("Ada King", Assert.Single(odooSim.Partners, p => !p.IsCompany).Name);
        Assert.Empty(await host.Inbox.ReadPendingAsync("zendesk", 10));
    }

    [Fact]
    public async Task A_child_contact_renamed_in_odoo_sends_its_record_that_brings_its_company_to_hubspot()
    {
        await using var odooSim = new OdooSimulator();
        await using var hubspotSim = new HubSpotSimulator();
        await using var odoo = odooSim.CreateConnector();
        await using var hubspot = hubspotSim.CreateConnector();
        var acme = odooSim.CreatePartner(new OdooPartnerSeed { Name = "Acme GmbH", IsCompany = true, Website = "https://acme.example" });
        var ada = odooSim.CreatePartner(new OdooPartnerSeed { Name = "Ada Lovelace", ParentId = acme, Email = "ada@acme.example" });
        odooSim.CreatePartner(new OdooPartnerSeed { Name = "Other Ltd", IsCompany = true }); // a second company the hint must not bring
        await using var host = await WebhookHost.StartAsync(
            concord: c => c
                .AddConnector(new ConnectorRegistration("odoo", "odoo"), (_, _) => odoo.Connector)
                .AddConnector(new ConnectorRegistration("hubspot", "hubspot"), (_, _) => hubspot.Connector)
                .AddFlow("erp-to-crm", f => f.From("odoo").To("hubspot").OnWebhooks()),
            runFlowsInBackground: false);
        var flow = host.Services.GetRequiredService<IFlowRunner>().GetFlow("erp-to-crm");
        odooSim.Webhooks.Client = host.Client;
        odooSim.Webhooks.Subscribe(new Uri("http://localhost/concord/webhooks/odoo"), WebhookHost.OdooSecret, "on_write");

        odooSim.RenamePartner(ada, "Ada King");
        await odooSim.Webhooks.WhenIdleAsync();
        var summary = await flow.RunWebhooksAsync();

        var delivery = Assert.Single(odooSim.Webhooks.Deliveries);
        Assert.Equal([200], delivery.Statuses);
        Assert.Equal(new Uri("http://localhost/concord/webhooks/odoo/" + WebhookHost.OdooSecret), delivery.TargetUrl);
        var body = JsonNode.Parse(delivery.Body)!.AsObject();
        Assert.Equal(["_action", "_id", "_model", "active", "email", "id", "is_company", "name", "parent_id", "write_date"], body.Select(p => p.Key));
        Assert.Equal((ada, "res.partner", acme, "Ada King"), ((long)body["_id"]!, (string?)body["_model"], (long)body["parent_id"]!, (string?)body["name"]));
        Assert.Equal((1, 1), (summary.Read, summary.Created)); // the company, read once with its contact
        Assert.Equal("Acme GmbH", Assert.Single(hubspotSim.Companies).Properties["name"]);
        Assert.Equal("ada@acme.example", Assert.Single(hubspotSim.Contacts).Properties["email"]);
        Assert.Empty(await host.Inbox.ReadPendingAsync("odoo", 10));
    }
}
