using System.Net;
using System.Security.Cryptography;
using System.Text;
using Concord.AspNetCore.Tests.Webhooks.Verification;
using Concord.AspNetCore.Webhooks;
using Concord.Sync.Inbox;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Concord.AspNetCore.Tests.Webhooks.Endpoints;

public sealed class WebhookEndpointTests
{
    [Fact]
    public async Task A_signed_hubspot_batch_is_stored_one_entry_per_event_keyed_on_the_composite_before_the_200()
    {
        await using var host = await WebhookHost.StartAsync();
        var response = await host.Client.SendAsync(host.HubSpot(WebhookHost.HubSpotBatch((1, 101, "name"), (1, 102, "name"))));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var entries = await host.Inbox.ReadPendingAsync("hubspot", 10);
        Assert.Equal(["62515:7:1:101:1796300000000:name", "62515:7:1:102:1796300000000:name"], entries.Select(e => e.Key));
        Assert.All(entries, e => Assert.Equal(("company", "CRM", "company.propertyChange"), (e.ObjectType, e.ChangeSource, e.EventType)));
        Assert.Equal("101", entries[0].ObjectId);
        Assert.Equal("accepted", Assert.Single(host.Metric.GetMeasurementSnapshot()).Tags["concord.outcome"]);
    }

    [Fact]
    public async Task A_retry_of_stored_events_is_acknowledged_and_adds_nothing_while_a_new_event_of_the_same_event_id_is_stored()
    {
        await using var host = await WebhookHost.StartAsync();
        Assert.Equal(HttpStatusCode.OK, (await host.Client.SendAsync(host.HubSpot(WebhookHost.HubSpotBatch((1, 101, "name"))))).StatusCode);
        host.Time.Advance(TimeSpan.FromMinutes(30)); // HubSpot's retry: new timestamp, new signature, same events

        Assert.Equal(HttpStatusCode.OK, (await host.Client.SendAsync(host.HubSpot(WebhookHost.HubSpotBatch((1, 101, "name"))))).StatusCode);
        Assert.Single(await host.Inbox.ReadPendingAsync("hubspot", 10));

        // HubSpot's eventId is not unique: the same id on another property is another event.
        Assert.Equal(HttpStatusCode.OK, (await host.Client.SendAsync(host.HubSpot(WebhookHost.HubSpotBatch((1, 101, "domain"))))).StatusCode);
        Assert.Equal(2, (await host.Inbox.ReadPendingAsync("hubspot", 10)).Count);
        Assert.Equal(["accepted", "duplicate", "accepted"], host.Metric.GetMeasurementSnapshot().Select(m => (string)m.Tags["concord.outcome"]!));
    }

    [Fact]
    public async Task A_forged_delivery_gets_a_bare_401_is_counted_by_reason_and_quarantined_with_headers_and_hash_but_no_secret()
    {
        await using var host = await WebhookHost.StartAsync();
        var body = WebhookHost.HubSpotBatch((1, 101, null));
        var request = host.HubSpot(body, signature: Convert.ToBase64String(new byte[32]));
        request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", "caller-credential");
        request.Headers.Add("X-Echo", WebhookHost.HubSpotSecret);

        var response = await host.Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Empty(await response.Content.ReadAsByteArrayAsync());
        Assert.Empty(await host.Inbox.ReadPendingAsync("hubspot", 10));
        var measurement = Assert.Single(host.Metric.GetMeasurementSnapshot());
        Assert.Equal(("refused", "invalid-signature", "hubspot"), ((string)measurement.Tags["concord.outcome"]!, (string)measurement.Tags["concord.webhook.reason"]!, (string)measurement.Tags["concord.system"]!));
        var quarantined = Assert.Single(await host.Quarantine.ListAsync(10));
        Assert.Equal(WebhookRefusalReason.InvalidSignature, quarantined.Reason);
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(body))), quarantined.BodySha256);
        Assert.True(quarantined.Headers.ContainsKey("X-HubSpot-Signature-v3"));
        Assert.False(quarantined.Headers.ContainsKey("Authorization"));
        Assert.DoesNotContain(quarantined.Headers.Values, v => v.Contains(WebhookHost.HubSpotSecret, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Stale_wrong_type_oversized_and_malformed_deliveries_are_refused_each_with_its_reason()
    {
        await using var host = await WebhookHost.StartAsync();
        var now = host.Time.GetUtcNow();
        var valid = WebhookHost.HubSpotBatch((1, 101, null));

        Assert.Equal(HttpStatusCode.Unauthorized, (await host.Client.SendAsync(host.HubSpot(valid, at: now.AddMinutes(-6)))).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await host.Client.SendAsync(host.HubSpot(valid, at: now.AddMinutes(6)))).StatusCode);
        var text = WebhookHost.Json("/concord/webhooks/hubspot", valid, "text/plain");
        Assert.Equal(HttpStatusCode.BadRequest, (await host.Client.SendAsync(text)).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await host.Client.SendAsync(host.HubSpot("[" + new string(' ', 70_000) + "]"))).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await host.Client.SendAsync(host.HubSpot("""[{"eventId":1}]"""))).StatusCode); // signed, but not HubSpot's payload
        Assert.Equal(HttpStatusCode.BadRequest, (await host.Client.SendAsync(host.HubSpot("{not json"))).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await host.Client.SendAsync(WebhookHost.Json("/concord/webhooks/hubspot", valid))).StatusCode); // unsigned

        Assert.Equal(
            ["stale-timestamp", "stale-timestamp", "unsupported-content-type", "body-too-large", "malformed-body", "malformed-body", "missing-signature"],
            host.Metric.GetMeasurementSnapshot().Select(m => (string)m.Tags["concord.webhook.reason"]!));
        Assert.Equal(7, (await host.Quarantine.ListAsync(100)).Count);
        Assert.Empty(await host.Inbox.ReadPendingAsync("hubspot", 10));
    }

    [Fact]
    public async Task Zendesk_and_standard_webhooks_deliveries_are_stored_under_their_event_and_message_ids()
    {
        await using var host = await WebhookHost.StartAsync();
        var zendesk = Vectors.ZendeskBody;

        Assert.Equal(HttpStatusCode.OK, (await host.Client.SendAsync(host.Zendesk(zendesk))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await host.Client.SendAsync(host.Standard("msg_1", """{"type":"invoice.paid","data":{"id":"in_1"}}"""))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await host.Client.SendAsync(host.Standard("msg_1", """{"type":"invoice.paid","data":{"id":"in_1"}}"""))).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await host.Client.SendAsync(host.Zendesk(zendesk, at: host.Time.GetUtcNow().AddMinutes(-10)))).StatusCode);

        var z = Assert.Single(await host.Inbox.ReadPendingAsync("zendesk", 10));
        Assert.Equal(("evt-1", "organization", "42"), (z.Key, z.ObjectType, z.ObjectId));
        var s = Assert.Single(await host.Inbox.ReadPendingAsync("billing", 10));
        Assert.Equal(("msg_1", "invoice.paid", "in_1"), (s.Key, s.EventType, s.ObjectId));
    }

    [Fact]
    public async Task Odoo_needs_the_secret_in_the_url()
    {
        await using var host = await WebhookHost.StartAsync();
        const string body = """{"_action":"Send to Concord(#12)","_id":14,"_model":"res.partner","id":14,"name":"Acme"}""";

        Assert.Equal(HttpStatusCode.OK, (await host.Client.SendAsync(WebhookHost.Json("/concord/webhooks/odoo/" + WebhookHost.OdooSecret, body))).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await host.Client.SendAsync(WebhookHost.Json("/concord/webhooks/odoo/" + WebhookHost.OdooSecret[..^1] + "x", body))).StatusCode);

        var entry = Assert.Single(await host.Inbox.ReadPendingAsync("odoo", 10));
        Assert.Equal(("res.partner", "14"), (entry.ObjectType, entry.ObjectId));
        Assert.DoesNotContain((await host.Quarantine.ListAsync(10)).Single().Headers.Values, v => v.Contains(WebhookHost.OdooSecret[..20], StringComparison.Ordinal));
    }

    [Fact]
    public async Task An_address_outside_the_allow_list_is_refused()
    {
        var settings = WebhookHost.DefaultSettings();
        settings["Concord:Webhooks:Senders:odoo:AllowedAddresses:0"] = "203.0.113.0/24";
        await using var host = await WebhookHost.StartAsync(settings);

        var response = await host.Client.SendAsync(WebhookHost.Json("/concord/webhooks/odoo/" + WebhookHost.OdooSecret, """{"_model":"res.partner","_id":1}"""));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode); // the test server's caller has no address in the range
        Assert.Equal(WebhookRefusalReason.AddressNotAllowed, (await host.Quarantine.ListAsync(1)).Single().Reason);
    }

    [Fact]
    public async Task A_salesforce_outbound_message_is_acknowledged_in_soap_and_another_organization_is_refused()
    {
        await using var host = await WebhookHost.StartAsync();
        var message = Salesforce.Message(WebhookHost.OrganizationId, ("04l000000000001AAA", "001000000000001AAA"), ("04l000000000002AAA", "001000000000002AAA"));

        var response = await host.Client.SendAsync(WebhookHost.Json("/concord/webhooks/salesforce", message, "text/xml"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("<Ack>true</Ack>", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(["001000000000001AAA", "001000000000002AAA"], (await host.Inbox.ReadPendingAsync("salesforce", 10)).Select(e => e.ObjectId));
        var other = Salesforce.Message("00D000000000009AAA", ("04l000000000003AAA", "001000000000003AAA"));
        Assert.Equal(HttpStatusCode.Unauthorized, (await host.Client.SendAsync(WebhookHost.Json("/concord/webhooks/salesforce", other, "text/xml"))).StatusCode);
    }

    [Fact]
    public async Task A_delivery_the_inbox_cannot_store_is_answered_503_so_the_sender_retries()
    {
        await using var host = await WebhookHost.StartAsync(services: s => s.AddSingleton<IWebhookInbox, BrokenInbox>());

        var response = await host.Client.SendAsync(host.HubSpot(WebhookHost.HubSpotBatch((1, 101, null))));

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal("failed", Assert.Single(host.Metric.GetMeasurementSnapshot()).Tags["concord.outcome"]);
    }

    [Fact]
    public async Task Bad_options_stop_the_host_with_messages_naming_the_configuration_path_and_never_the_secret()
    {
        var settings = WebhookHost.DefaultSettings();
        settings.Remove("Concord:Webhooks:Senders:hubspot:PublicUrl");
        settings["Concord:Webhooks:Senders:odoo:Secret"] = "short-secret-value";
        settings["Concord:Webhooks:Senders:zendesk:Secret"] = "dGhpc19zZWNyZXRfaXNfZm9yX3Rlc3Rpbmdfb25seQ==";
        settings["Concord:Webhooks:Senders:salesforce:OrganizationId"] = "00D";
        settings["Concord:Webhooks:Senders:billing:AllowedAddresses:0"] = "not-an-address";
        settings["Concord:Webhooks:TimestampTolerance"] = "00:00:00";

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => WebhookHost.StartAsync(settings));

        Assert.Contains("Concord:Webhooks:Senders:hubspot:PublicUrl is required", error.Message, StringComparison.Ordinal);
        Assert.Contains("Concord:Webhooks:Senders:odoo:Secret must be at least 32 characters", error.Message, StringComparison.Ordinal);
        Assert.Contains("Concord:Webhooks:Senders:zendesk:Secret is Zendesk's test-only signing secret", error.Message, StringComparison.Ordinal);
        Assert.Contains("Concord:Webhooks:Senders:salesforce:OrganizationId is required", error.Message, StringComparison.Ordinal);
        Assert.Contains("Concord:Webhooks:Senders:billing:AllowedAddresses:0", error.Message, StringComparison.Ordinal);
        Assert.Contains("Concord:Webhooks:TimestampTolerance", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("short-secret-value", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("dGhpc19", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task With_the_sqlite_inbox_an_acknowledged_delivery_is_on_disk_and_survives_a_restart_and_its_retry_adds_nothing()
    {
        var folder = Directory.CreateTempSubdirectory("concord-webhooks-");
        try
        {
            var path = Path.Combine(folder.FullName, "concord.db");
            var body = WebhookHost.HubSpotBatch((1, 101, "name"));
            await using (var first = await WebhookHost.StartAsync(concord: c => c.UseSqlite(path)))
            {
                Assert.Equal(HttpStatusCode.OK, (await first.Client.SendAsync(first.HubSpot(body))).StatusCode);
            }

            await using var second = await WebhookHost.StartAsync(concord: c => c.UseSqlite(path));
            Assert.Equal(HttpStatusCode.OK, (await second.Client.SendAsync(second.HubSpot(body))).StatusCode);

            var entry = Assert.Single(await second.Inbox.ReadPendingAsync("hubspot", 10));
            Assert.Equal("62515:7:1:101:1796300000000:name", entry.Key);
            Assert.Equal("duplicate", Assert.Single(second.Metric.GetMeasurementSnapshot()).Tags["concord.outcome"]);
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            folder.Delete(recursive: true);
        }
    }

    private sealed class BrokenInbox : IWebhookInbox
    {
        public ValueTask<int> AddAsync(IReadOnlyList<WebhookInboxEntry> entries, CancellationToken cancellationToken = default) => throw new IOException("disk full");

        public ValueTask<IReadOnlyList<WebhookInboxEntry>> ReadPendingAsync(string sender, int max, CancellationToken cancellationToken = default) => throw new NotSupportedException();

        public ValueTask CompleteAsync(string sender, IEnumerable<string> keys, CancellationToken cancellationToken = default) => throw new NotSupportedException();
    }
}
