using Concord.AspNetCore.Tests.Webhooks.Verification;
using Concord.Sync.Inbox;
using System.Text.Json.Nodes;
using Concord.Testing.HubSpot;
using Concord.Testing.Odoo;
using Concord.Testing.Webhooks;
using Concord.Testing.Zendesk;
using Microsoft.Extensions.DependencyInjection;

namespace Concord.AspNetCore.Tests.Webhooks.Endpoints;

/// <summary>The Testing package's signed senders against the endpoints: what a host team runs to test its own endpoint.</summary>
public sealed class SimulatedDeliveryTests
{
    [Fact]
    public async Task Signed_simulated_deliveries_of_each_vendor_are_accepted_and_their_duplicates_add_nothing()
    {
        await using var host = await WebhookHost.StartAsync();
        var sender = new SimulatedWebhookSender(host.Client, host.Time) { DuplicateDeliveries = true };

        var hubspot = await sender.SendHubSpotAsync(new Uri(WebhookHost.HubSpotUrl), WebhookHost.HubSpotSecret, WebhookHost.HubSpotBatch((9, 901, "name")));
        var zendesk = await sender.SendZendeskAsync(new Uri("http://localhost/concord/webhooks/zendesk"), WebhookHost.ZendeskSecret, Vectors.ZendeskBody);
        var odoo = await sender.SendOdooAsync(new Uri("http://localhost/concord/webhooks/odoo/" + WebhookHost.OdooSecret), """{"_action":"Notify(#3)","_id":14,"_model":"res.partner","id":14}""");
        var standard = await sender.SendStandardAsync(new Uri("http://localhost/concord/webhooks/billing"), WebhookHost.StandardSecret, "msg_9", """{"type":"invoice.paid"}""");

        Assert.Equal([200, 200], hubspot.Statuses);
        Assert.Equal([200, 200], zendesk.Statuses);
        Assert.Equal([200, 200], odoo.Statuses);
        Assert.Equal([200, 200], standard.Statuses);
        foreach (var name in new[] { "hubspot", "zendesk", "odoo", "billing" })
        {
            Assert.Single(await host.Inbox.ReadPendingAsync(name, 10));
        }

        Assert.Equal(4, host.Metric.GetMeasurementSnapshot().Count(m => (string?)m.Tags["concord.outcome"] == "duplicate"));
    }

    [Fact]
    public async Task A_hubspot_delivery_answered_503_is_retried_re_signed_with_its_attempt_number_and_stored_once()
    {
        var inbox = new FlakyInbox(failures: 2);
        await using var host = await WebhookHost.StartAsync(services: s => s.AddSingleton<IWebhookInbox>(inbox));
        var sender = new SimulatedWebhookSender(host.Client, host.Time);

        var result = await sender.SendHubSpotAsync(new Uri(WebhookHost.HubSpotUrl), WebhookHost.HubSpotSecret, WebhookHost.HubSpotBatch((9, 901, "name")));

        Assert.Equal([503, 503, 200], result.Statuses);
        var entry = Assert.Single(inbox.Entries);
        Assert.Contains("\"attemptNumber\":2", entry.Payload, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_delivery_signed_with_another_secret_is_refused_on_every_attempt()
    {
        await using var host = await WebhookHost.StartAsync();
        var sender = new SimulatedWebhookSender(host.Client, host.Time) { HubSpotMaxAttempts = 3 };

        var result = await sender.SendHubSpotAsync(new Uri(WebhookHost.HubSpotUrl), "another-secret", WebhookHost.HubSpotBatch((9, 901, "name")));

        Assert.Equal([401, 401, 401], result.Statuses);
        Assert.False(result.Delivered);
        Assert.Empty(await host.Inbox.ReadPendingAsync("hubspot", 10));
    }

    [Fact]
    public async Task The_hubspot_simulator_retries_a_failed_delivery_on_its_clock_after_a_minute_with_the_next_attempt_number()
    {
        var clock = WebhookHost.NewClock();
        var inbox = new FlakyInbox(failures: 1);
        await using var hubspotSim = new HubSpotSimulator(new HubSpotSimulatorOptions { TimeProvider = clock });
        await using var host = await WebhookHost.StartAsync(services: s => s.AddSingleton<IWebhookInbox>(inbox), time: clock);
        hubspotSim.Webhooks.Client = host.Client;
        hubspotSim.Webhooks.Subscribe(new Uri(WebhookHost.HubSpotUrl), WebhookHost.HubSpotSecret, "contact.creation");

        var ada = hubspotSim.SeedContact(new Dictionary<string, string> { ["email"] = "ada@acme.example" });
        await hubspotSim.Webhooks.WhenIdleAsync();
        var delivery = Assert.Single(hubspotSim.Webhooks.Deliveries);
        Assert.Equal([503], delivery.Statuses);
        Assert.False(delivery.Completed); // waiting for its retry
        clock.Advance(TimeSpan.FromSeconds(59));
        await hubspotSim.Webhooks.WhenIdleAsync();
        Assert.Equal([503], delivery.Statuses);
        clock.Advance(TimeSpan.FromSeconds(1));
        await hubspotSim.Webhooks.WhenIdleAsync();

        Assert.Equal([503, 200], delivery.Statuses);
        Assert.True(delivery.Completed);
        var stored = JsonNode.Parse(Assert.Single(inbox.Entries).Payload)!; // the event, one entry per event
        Assert.Equal(("contact.creation", ada, "NEW", 1), ((string?)stored["subscriptionType"], stored["objectId"]!.ToString(), (string?)stored["changeFlag"], (int)stored["attemptNumber"]!));
    }

    [Fact]
    public async Task Zendesk_retries_a_503_three_times_on_its_schedule_and_odoo_never_retries()
    {
        var clock = WebhookHost.NewClock();
        await using var zendeskSim = new ZendeskSimulator(new ZendeskSimulatorOptions { TimeProvider = clock });
        await using var odooSim = new OdooSimulator(new OdooSimulatorOptions { TimeProvider = clock });
        await using var host = await WebhookHost.StartAsync(services: s => s.AddSingleton<IWebhookInbox>(new FlakyInbox(failures: 100)), time: clock);
        zendeskSim.Webhooks.Client = host.Client;
        odooSim.Webhooks.Client = host.Client;
        zendeskSim.Webhooks.Subscribe(new Uri("http://localhost/concord/webhooks/zendesk"), WebhookHost.ZendeskSecret);
        odooSim.Webhooks.Subscribe(new Uri("http://localhost/concord/webhooks/odoo"), WebhookHost.OdooSecret);

        zendeskSim.SeedOrganization("Acme GmbH", "acme-1");
        odooSim.CreatePartner(new OdooPartnerSeed { Name = "Acme GmbH", IsCompany = true });
        foreach (var wait in ZendeskSimulatedWebhooks.VendorRetryDelays)
        {
            await zendeskSim.Webhooks.WhenIdleAsync();
            await odooSim.Webhooks.WhenIdleAsync();
            clock.Advance(wait);
        }

        await zendeskSim.Webhooks.WhenIdleAsync();
        Assert.Equal([503, 503, 503, 503], Assert.Single(zendeskSim.Webhooks.Deliveries).Statuses);
        Assert.Equal([503], Assert.Single(odooSim.Webhooks.Deliveries).Statuses);
        Assert.All(zendeskSim.Webhooks.Deliveries.Concat(odooSim.Webhooks.Deliveries), d => Assert.True(d.Completed));
    }

    private sealed class FlakyInbox(int failures) : IWebhookInbox
    {
        private int _failures = failures;

        public List<WebhookInboxEntry> Entries { get; } = [];

        public ValueTask<int> AddAsync(IReadOnlyList<WebhookInboxEntry> entries, CancellationToken cancellationToken = default)
        {
            if (Interlocked.Decrement(ref _failures) >= 0)
            {
                throw new IOException("database is locked");
            }

            Entries.AddRange(entries);
            return ValueTask.FromResult(entries.Count);
        }

        public ValueTask<IReadOnlyList<WebhookInboxEntry>> ReadPendingAsync(string sender, int max, CancellationToken cancellationToken = default) =>
            ValueTask.FromResult<IReadOnlyList<WebhookInboxEntry>>([.. Entries.Where(e => e.Sender == sender).Take(max)]);

        public ValueTask CompleteAsync(string sender, IEnumerable<string> keys, CancellationToken cancellationToken = default) => ValueTask.CompletedTask;
    }
}
