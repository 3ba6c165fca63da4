using System.Globalization;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using Concord.Sync.Inbox;
using Concord.AspNetCore.Webhooks.Quarantine;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;

namespace Concord.AspNetCore.Tests.Webhooks.Endpoints;

/// <summary>A web host on the test server with one sender of each kind, a fake clock, the metric and the stores at hand.</summary>
internal sealed class WebhookHost : IAsyncDisposable
{
    public const string HubSpotSecret = "hubspot-client-secret-0000";
    public const string ZendeskSecret = "zendesk-signing-secret-0000";
    public const string StandardSecret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
    public const string OdooSecret = "odoo-url-secret-0123456789abcdef0123";
    public const string OrganizationId = "00D000000000001AAA";
    public const string HubSpotUrl = "https://sync.example.com/concord/webhooks/hubspot";

    private readonly WebApplication _app;

    private WebhookHost(WebApplication app, HttpClient client, FakeTimeProvider time)
    {
        _app = app;
        Client = client;
        Time = time;
        Metric = new MetricCollector<long>(app.Services.GetRequiredService<System.Diagnostics.Metrics.IMeterFactory>(), "Concord", "concord.webhooks.deliveries");
    }

    public HttpClient Client { get; }

    public FakeTimeProvider Time { get; }

    public MetricCollector<long> Metric { get; }

    public IWebhookInbox Inbox => _app.Services.GetRequiredService<IWebhookInbox>();

    public IServiceProvider Services => _app.Services;

    public IWebhookQuarantine Quarantine => _app.Services.GetRequiredService<IWebhookQuarantine>();

    public static Dictionary<string, string?> DefaultSettings() => new()
    {
        ["Concord:Webhooks:Senders:hubspot:Kind"] = "HubSpot",
        ["Concord:Webhooks:Senders:hubspot:Secret"] = HubSpotSecret,
        ["Concord:Webhooks:Senders:hubspot:PublicUrl"] = HubSpotUrl,
        ["Concord:Webhooks:Senders:zendesk:Kind"] = "Zendesk",
        ["Concord:Webhooks:Senders:zendesk:Secret"] = ZendeskSecret,
        ["Concord:Webhooks:Senders:billing:Kind"] = "StandardWebhooks",
        ["Concord:Webhooks:Senders:billing:Secret"] = StandardSecret,
        ["Concord:Webhooks:Senders:odoo:Kind"] = "Odoo",
        ["Concord:Webhooks:Senders:odoo:Secret"] = OdooSecret,
        ["Concord:Webhooks:Senders:salesforce:Kind"] = "SalesforceOutboundMessage",
        ["Concord:Webhooks:Senders:salesforce:OrganizationId"] = OrganizationId,
        ["Concord:Webhooks:MaxBodyBytes"] = "65536",
    };

    public static async Task<WebhookHost> StartAsync(Dictionary<string, string?>? settings = null, Action<IServiceCollection>? services = null, Action<Concord.Canonical.DependencyInjection.IConcordBuilder>? concord = null, bool runFlowsInBackground = true, FakeTimeProvider? time = null)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseTestServer();
        builder.Logging.ClearProviders();
        builder.Configuration.AddInMemoryCollection(settings ?? DefaultSettings());
        time ??= NewClock();
        builder.Services.AddSingleton<TimeProvider>(time);
        services?.Invoke(builder.Services);
        var concordBuilder = builder.Services.AddConcord();
        concord?.Invoke(concordBuilder);
        concordBuilder.AddConcordWebhooks(builder.Configuration.GetSection("Concord:Webhooks"));
        if (!runFlowsInBackground)
        {
            // Concord.Sync's hosted service polls and drains hints on its own; a test that runs its flows itself removes it.
            var loops = builder.Services.Where(d => d.ServiceType == typeof(IHostedService) && d.ImplementationType?.Name == "FlowHostedService").ToList();
            Assert.Single(loops);
            builder.Services.Remove(loops[0]);
        }

        var app = builder.Build();
        app.MapConcordWebhooks("/concord/webhooks");
        await app.StartAsync();
        return new WebhookHost(app, app.GetTestClient(), time);
    }

    /// <summary>The clock a host starts with; a simulator that sends deliveries to the host shares it.</summary>
    public static FakeTimeProvider NewClock() => new(new DateTimeOffset(2026, 12, 3, 12, 0, 0, TimeSpan.Zero));

    public static string HubSpotBatch(params (long EventId, long ObjectId, string? Property)[] events) =>
        "[" + string.Join(",", events.Select(e =>
            $$"""{"eventId":{{e.EventId}},"subscriptionId":7,"portalId":62515,"appId":54321,"occurredAt":1796300000000,"subscriptionType":"company.propertyChange","attemptNumber":0,"objectId":{{e.ObjectId}},"propertyName":"{{e.Property ?? "name"}}","propertyValue":"x","changeSource":"CRM"}""")) + "]";

    public HttpRequestMessage HubSpot(string body, string? signature = null, DateTimeOffset? at = null, string url = HubSpotUrl)
    {
        var timestamp = (at ?? Time.GetUtcNow()).ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture);
        var request = Json("/concord/webhooks/hubspot" + (url.Contains('?', StringComparison.Ordinal) ? url[url.IndexOf('?', StringComparison.Ordinal)..] : string.Empty), body);
        request.Headers.Add("X-HubSpot-Request-Timestamp", timestamp);
        request.Headers.Add("X-HubSpot-Signature-v3", signature ?? Convert.ToBase64String(HMACSHA256.HashData(Encoding.UTF8.GetBytes(HubSpotSecret), Encoding.UTF8.GetBytes("POST" + url + body + timestamp))));
        return request;
    }

    public HttpRequestMessage Zendesk(string body, DateTimeOffset? at = null)
    {
        var timestamp = (at ?? Time.GetUtcNow()).UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);
        var request = Json("/concord/webhooks/zendesk", body);
        request.Headers.Add("X-Zendesk-Webhook-Signature-Timestamp", timestamp);
        request.Headers.Add("X-Zendesk-Webhook-Signature", Convert.ToBase64String(HMACSHA256.HashData(Encoding.UTF8.GetBytes(ZendeskSecret), Encoding.UTF8.GetBytes(timestamp + body))));
        return request;
    }

    public HttpRequestMessage Standard(string id, string body, DateTimeOffset? at = null)
    {
        var timestamp = (at ?? Time.GetUtcNow()).ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        var request = Json("/concord/webhooks/billing", body);
        request.Headers.Add("webhook-id", id);
        request.Headers.Add("webhook-timestamp", timestamp);
        request.Headers.Add("webhook-signature", "v1," + Convert.ToBase64String(HMACSHA256.HashData(Convert.FromBase64String(StandardSecret["whsec_".Length..]), Encoding.UTF8.GetBytes(id + "." + timestamp + "." + body))));
        return request;
    }

    public static HttpRequestMessage Json(string path, string body, string contentType = "application/json") =>
        new(HttpMethod.Post, path) { Content = new StringContent(body, Encoding.UTF8, MediaTypeHeaderValue.Parse(contentType)) };

    public async ValueTask DisposeAsync()
    {
        Metric.Dispose();
        Client.Dispose();
        await _app.DisposeAsync();
    }
}
