using System.Globalization;
using System.Text.Json.Nodes;
using Concord.AspNetCore.Tests.Webhooks.Endpoints;
using Concord.Canonical.DependencyInjection;
using Concord.Sync.Flows;
using Concord.Testing.HubSpot;
using Concord.Testing.Odoo;
using Concord.Testing.Webhooks;
using Concord.Testing.Zendesk;
using Microsoft.Extensions.DependencyInjection;

namespace Concord.AspNetCore.Tests.Webhooks.Flows;

/// <summary>Webhooks that name a contact, not a customer: the flow re-reads the customer the contact belongs to (ResolveCustomerIdsAsync).</summary>
public sealed class HintResolutionEndToEndTests
{
    [Fact]
    public async Task A_zendesk_user_event_brings_the_users_organization_with_the_change_to_odoo_without_a_poll()
    {
        await using var zendeskSim = new ZendeskSimulator();
        await using var odooSim = new OdooSimulator();
        await using var zendesk = zendeskSim.CreateConnector();
        await using var odoo = odooSim.CreateConnector();
        var acme = zendeskSim.SeedOrganization("Acme GmbH", "acme-1", ["acme.example"]);
        var ada = zendeskSim.SeedUser("Ada Lovelace", "ada@acme.example", "c-1", acme);
        await using var host = await WebhookHost.StartAsync(concord: c => c
            .AddConnector(new ConnectorRegistration("zendesk", "zendesk"), (_, _) => zendesk.Connector)
            .AddConnector(new ConnectorRegistration("odoo", "odoo"), (_, _) => odoo.Connector)
            .AddFlow("support-to-erp", f => f.From("zendesk").To("odoo").OnWebhooks()),
            runFlowsInBackground: false);
        var flow = host.Services.GetRequiredService<IFlowRunner>().GetFlow("support-to-erp");

        zendeskSim.EditUser(ada, new JsonObject { ["name"] = "Ada King" });
        var userId = ada.ToString(CultureInfo.InvariantCulture);
        var sender = new SimulatedWebhookSender(host.Client, host.Time);
        var delivery = await sender.SendZendeskAsync(
            new Uri("http://localhost/concord/webhooks/zendesk"),
            WebhookHost.ZendeskSecret,
            $$$"""{"type":"zen:event-type:user.name_changed","account_id":1,"id":"evt-ada-1","time":"2026-12-03T12:00:00Z","zendesk_event_version":"2022-06-20","subject":"zen:user:{{{userId}}}","detail":{"id":"{{{userId}}}","organization_id":"{{{acme}}}"},"event":{"current":"Ada King","previous":"Ada Lovelace"}}""");
        var summary = await flow.RunWebhooksAsync();

        Assert.Equal([200], delivery.Statuses);
        Assert.Equal((1, 1), (summary.Read, summary.Created)); // the organization, read once with its users
        var company = Assert.Single(odooSim.Partners, p => p.IsCompany);
        Assert.Equal("Acme GmbH", company.Name);
        Assert.Equal("Ada King", Assert.Single(odooSim.Partners, p => !p.IsCompany).Name);
        Assert.Empty(await host.Inbox.ReadPendingAsync("zendesk", 10));
    }

    [Fact]
    public async Task An_odoo_child_contact_event_brings_its_company_to_hubspot_without_a_poll()
    {
        await using var odooSim = new OdooSimulator();
        await using var hubspotSim = new HubSpotSimulator();
        await using var odoo = odooSim.CreateConnector();
        await using var hubspot = hubspotSim.CreateConnector();
        var acme = odooSim.CreatePartner(new OdooPartnerSeed { Name = "Acme GmbH", IsCompany = true, Website = "https://acme.example" });
        var ada = odooSim.CreatePartner(new OdooPartnerSeed { Name = "Ada Lovelace", ParentId = acme, Email = "ada@acme.example" });
        await using var host = await WebhookHost.StartAsync(concord: c => c
            .AddConnector(new ConnectorRegistration("odoo", "odoo"), (_, _) => odoo.Connector)
            .AddConnector(new ConnectorRegistration("hubspot", "hubspot"), (_, _) => hubspot.Connector)
            .AddFlow("erp-to-crm", f => f.From("odoo").To("hubspot").OnWebhooks()),
            runFlowsInBackground: false);
        var flow = host.Services.GetRequiredService<IFlowRunner>().GetFlow("erp-to-crm");

        // What an automation rule's "Send Webhook Notification" posts for the contact, with parent_id among its fields.
        var sender = new SimulatedWebhookSender(host.Client, host.Time);
        var delivery = await sender.SendOdooAsync(
            new Uri("http://localhost/concord/webhooks/odoo/" + WebhookHost.OdooSecret),
            $$"""{"_action":"Send Webhook Notification(#7)","_id":{{ada}},"_model":"res.partner","id":{{ada}},"parent_id":{{acme}}}""");
        var summary = await flow.RunWebhooksAsync();

        Assert.Equal([200], delivery.Statuses);
        Assert.Equal((1, 1), (summary.Read, summary.Created)); // the company, read once with its contact
        Assert.Equal("Acme GmbH", Assert.Single(hubspotSim.Companies).Properties["name"]);
        Assert.Equal("ada@acme.example", Assert.Single(hubspotSim.Contacts).Properties["email"]);
        Assert.Empty(await host.Inbox.ReadPendingAsync("odoo", 10));
    }
}
