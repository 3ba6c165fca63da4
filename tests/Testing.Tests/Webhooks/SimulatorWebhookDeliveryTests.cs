using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Concord.Testing.HubSpot;
using Concord.Testing.Odoo;
using Concord.Testing.Zendesk;
using Microsoft.Extensions.Time.Testing;
using WireMock;
using WireMock.Logging;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;
using Xunit;

namespace Concord.Testing.Tests.Webhooks;

/// <summary>What the simulators send on their own, checked against the facts pages' formulas on a 127.0.0.1 receiver.</summary>
public sealed class SimulatorWebhookDeliveryTests : IDisposable
{
    private readonly WireMockServer _receiver = WireMockServer.Start();
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 12, 3, 12, 0, 0, TimeSpan.Zero));

    public SimulatorWebhookDeliveryTests() =>
        _receiver.Given(Request.Create().UsingPost()).RespondWith(Response.Create().WithStatusCode(204));

    private Uri Url(string path) => new(_receiver.Urls[0] + path);

    [Fact]
    public async Task A_hubspot_edit_sends_one_signed_v3_array_with_an_event_per_changed_property()
    {
        await using var sim = new HubSpotSimulator(new HubSpotSimulatorOptions { TimeProvider = _clock, PortalId = 62515 });
        var acme = sim.SeedCompany(new Dictionary<string, string> { ["name"] = "Acme", ["domain"] = "acme.example", ["city"] = "Berlin" });
        sim.Webhooks.Subscribe(Url("/hubspot?source=crm"), "client-secret", "company.propertyChange");

        sim.Edit(acme, new Dictionary<string, string> { ["name"] = "Acme GmbH", ["domain"] = "acme.example", ["city"] = "" });
        await sim.Webhooks.WhenIdleAsync();

        var request = Assert.Single(_receiver.LogEntries).RequestMessage!;
        var body = request.Body!;
        var timestamp = Header(request, "X-HubSpot-Request-Timestamp");
        Assert.Equal(_clock.GetUtcNow().ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture), timestamp);
        Assert.Equal(Hmac("client-secret", "POST" + Url("/hubspot?source=crm").OriginalString + body + timestamp), Header(request, "X-HubSpot-Signature-v3"));
        var events = JsonNode.Parse(body)!.AsArray();
        Assert.Equal([("name", "Acme GmbH"), ("city", "")], events.Select(e => ((string)e!["propertyName"]!, (string)e["propertyValue"]!))); // domain did not change
        Assert.All(events, e =>
        {
            Assert.Equal(("company.propertyChange", long.Parse(acme, CultureInfo.InvariantCulture), 62515L, 0, "CRM"), ((string?)e!["subscriptionType"], (long)e["objectId"]!, (long)e["portalId"]!, (int)e["attemptNumber"]!, (string?)e["changeSource"]));
            Assert.Equal(_clock.GetUtcNow().ToUnixTimeMilliseconds(), (long)e["occurredAt"]!);
        });
        Assert.NotEqual((long)events[0]!["eventId"]!, (long)events[1]!["eventId"]!);
    }

    [Fact]
    public async Task A_hubspot_merge_and_archive_send_merge_and_deletion_events_only_to_subscribed_types()
    {
        await using var sim = new HubSpotSimulator(new HubSpotSimulatorOptions { TimeProvider = _clock });
        var ada = sim.SeedContact(new Dictionary<string, string> { ["email"] = "ada@acme.example" });
        var twin = sim.SeedContact(new Dictionary<string, string> { ["email"] = "ada.king@acme.example" });
        var other = sim.SeedContact(new Dictionary<string, string> { ["email"] = "bob@acme.example" });
        sim.Webhooks.Subscribe(Url("/hubspot"), "client-secret", "contact.merge", "contact.deletion");

        sim.Merge(ada, twin);
        sim.Archive(other);
        sim.Edit(ada, new Dictionary<string, string> { ["firstname"] = "Ada" }); // not subscribed
        await sim.Webhooks.WhenIdleAsync();

        Assert.Equal(2, _receiver.LogEntries.Count);
        var merge = sim.Webhooks.Deliveries.Single(d => d.EventTypes[0] == "contact.merge");
        var e = JsonNode.Parse(merge.Body)!.AsArray().Single()!;
        Assert.Equal((ada, ada, twin, ada), (e["objectId"]!.ToString(), e["primaryObjectId"]!.ToString(), e["mergedObjectIds"]!.AsArray().Single()!.ToString(), e["newObjectId"]!.ToString()));
        var deletion = JsonNode.Parse(sim.Webhooks.Deliveries.Single(d => d.EventTypes[0] == "contact.deletion").Body)!.AsArray().Single()!;
        Assert.Equal(other, deletion["objectId"]!.ToString());
    }

    [Fact]
    public async Task A_zendesk_organization_rename_sends_a_signed_event_with_zendesks_headers()
    {
        await using var sim = new ZendeskSimulator(new ZendeskSimulatorOptions { TimeProvider = _clock });
        var acme = sim.SeedOrganization("Acme", "acme-1");
        sim.Webhooks.AccountId = 42;
        sim.Webhooks.Subscribe(Url("/zendesk"), "signing-secret", "organization.name_changed");

        sim.EditOrganization(acme, new JsonObject { ["name"] = "Acme GmbH", ["notes"] = "no event for notes" });
        await sim.Webhooks.WhenIdleAsync();

        var request = Assert.Single(_receiver.LogEntries).RequestMessage!;
        var timestamp = Header(request, "X-Zendesk-Webhook-Signature-Timestamp");
        Assert.Equal("2026-12-03T12:00:00Z", timestamp);
        Assert.Equal(Hmac("signing-secret", timestamp + request.Body), Header(request, "X-Zendesk-Webhook-Signature"));
        Assert.Equal("42", Header(request, "X-Zendesk-Account-Id"));
        Assert.Equal(26, Header(request, "X-Zendesk-Webhook-Id").Length);
        Assert.False(string.IsNullOrEmpty(Header(request, "X-Zendesk-Webhook-Invocation-Id")));
        var e = JsonNode.Parse(request.Body!)!;
        Assert.Equal(("zen:event-type:organization.name_changed", 42L, "2022-06-20", $"zen:organization:{acme}"), ((string?)e["type"], (long)e["account_id"]!, (string?)e["zendesk_event_version"], (string?)e["subject"]));
        Assert.Equal((acme.ToString(CultureInfo.InvariantCulture), "Acme GmbH", "acme-1", "0"), ((string?)e["detail"]!["id"], (string?)e["detail"]!["name"], (string?)e["detail"]!["external_id"], (string?)e["detail"]!["group_id"]));
        Assert.Equal("""{"current":"Acme GmbH","previous":"Acme"}""", e["event"]!.ToJsonString());
    }

    [Fact]
    public async Task Odoo_sends_each_written_or_deleted_partner_unsigned_with_the_secret_in_the_url()
    {
        await using var sim = new OdooSimulator(new OdooSimulatorOptions { TimeProvider = _clock });
        var acme = sim.CreatePartner(new OdooPartnerSeed { Name = "Acme", IsCompany = true });
        sim.Webhooks.Subscribe(Url("/odoo"), "s3cret", "on_write", "on_unlink");

        sim.RenamePartner(acme, "Acme GmbH");
        sim.DeletePartner(acme);
        await sim.Webhooks.WhenIdleAsync();

        var requests = _receiver.LogEntries.Select(l => l.RequestMessage!).ToList();
        Assert.Equal(["/odoo/s3cret", "/odoo/s3cret"], requests.Select(r => r.Path));
        Assert.All(requests, r => Assert.DoesNotContain(r.Headers!.Keys, k => k.StartsWith("X-", StringComparison.OrdinalIgnoreCase)));
        Assert.Equal(["on_write", "on_unlink"], sim.Webhooks.Deliveries.Select(d => d.EventTypes[0]));
        var written = JsonNode.Parse(requests[0].Body!)!;
        Assert.Equal(("Send Webhook Notification(#7)", acme, "res.partner", "Acme GmbH", false), ((string?)written["_action"], (long)written["_id"]!, (string?)written["_model"], (string?)written["name"], (bool)written["parent_id"]!));
        Assert.Equal("2026-12-03 12:00:00", (string?)written["write_date"]);
    }

    [Fact]
    public async Task An_odoo_write_through_the_api_sends_once_and_a_call_that_fails_and_is_rolled_back_sends_nothing()
    {
        await using var sim = new OdooSimulator(new OdooSimulatorOptions { TimeProvider = _clock, ServerVersion = "19.0" });
        using var http = sim.CreateClient();
        var acme = sim.CreatePartner(new OdooPartnerSeed { Name = "Acme", IsCompany = true });
        sim.Webhooks.Subscribe(Url("/odoo"), "s3cret", "on_write");

        var written = await ExecuteAsync(http, sim, "write", new JsonArray(acme), new JsonObject { ["name"] = "Acme GmbH" });
        var refused = await ExecuteAsync(http, sim, "write", new JsonArray(acme, 999_999), new JsonObject { ["name"] = "Never" }); // the missing record undoes the call
        await sim.Webhooks.WhenIdleAsync();

        Assert.Equal((true, true), (written["result"] is not null, refused["error"] is not null));
        var delivery = Assert.Single(sim.Webhooks.Deliveries);
        Assert.Equal("Acme GmbH", (string?)JsonNode.Parse(delivery.Body)!["name"]);
    }

    [Fact]
    public async Task A_delivery_waiting_for_its_retry_gives_up_when_the_simulator_is_disposed()
    {
        _receiver.Given(Request.Create().UsingPost().WithPath("/failing")).AtPriority(-1).RespondWith(Response.Create().WithStatusCode(500));
        var sim = new HubSpotSimulator(new HubSpotSimulatorOptions { TimeProvider = _clock });
        sim.Webhooks.Subscribe(Url("/failing"), "client-secret", "company.creation");
        sim.SeedCompany(new Dictionary<string, string> { ["name"] = "Acme" });
        await sim.Webhooks.WhenIdleAsync();
        var delivery = Assert.Single(sim.Webhooks.Deliveries);
        Assert.Equal([500], delivery.Statuses);
        Assert.False(delivery.Completed);

        await sim.DisposeAsync();
        await sim.Webhooks.WhenIdleAsync();
        _clock.Advance(TimeSpan.FromDays(1));
        await sim.Webhooks.WhenIdleAsync();

        Assert.Equal([500], delivery.Statuses); // no retry after the simulator stopped
        Assert.True(delivery.Completed);
    }

    private static async Task<JsonObject> ExecuteAsync(HttpClient http, OdooSimulator sim, string method, params JsonNode[] args)
    {
        var body = new JsonObject
        {
            ["jsonrpc"] = "2.0",
            ["method"] = "call",
            ["id"] = 1,
            ["params"] = new JsonObject
            {
                ["service"] = "object",
                ["method"] = "execute_kw",
                ["args"] = new JsonArray(sim.Options.Database, sim.Options.Uid, sim.Options.ApiKey, "res.partner", method, new JsonArray(args), new JsonObject()),
            },
        };
        using var content = new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json");
        using var response = await http.PostAsync(new Uri("/jsonrpc", UriKind.Relative), content);
        return JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsObject();
    }

    public void Dispose()
    {
        _receiver.Stop();
        _receiver.Dispose();
    }

    private static string Header(IRequestMessage request, string name) =>
        request.Headers!.First(h => string.Equals(h.Key, name, StringComparison.OrdinalIgnoreCase)).Value.Single();

    private static string Hmac(string key, string content) =>
        Convert.ToBase64String(HMACSHA256.HashData(Encoding.UTF8.GetBytes(key), Encoding.UTF8.GetBytes(content)));
}
