using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Concord.AspNetCore.Webhooks;
using Concord.Canonical.DependencyInjection;
using Concord.Sync.Flows;
using Concord.Testing.HubSpot;
using Concord.Testing.Odoo;
using Concord.Testing.Webhooks;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Concord.Benchmarks.Webhooks;

/// <summary>
/// The webhook path's latency, end to end on the simulators: a company renamed in the HubSpot simulator, its signed
/// delivery sent to the endpoint on Kestrel at 127.0.0.1, the inbox, the flow's hint loop (hosted service, every
/// <see cref="FlowOptions.WebhookInterval"/>), the HubSpot batch re-read and the Odoo write, each vendor call with 50 ms
/// latency. Reports p50, p95 and max from the send to the rename showing in the Odoo simulator (issue 15 target: p95
/// under 2 s), for the default 1 s hint interval and for 250 ms. Edits go one after another, so each lands at a random
/// phase of the hint timer.
/// </summary>
public sealed class WebhookLatencyScenario : IScenario
{
    private const string Secret = "benchmark-client-secret-0000";

    public string Name => "webhook-latency";

    public async Task RunAsync(bool smoke, TextWriter output, CancellationToken cancellationToken)
    {
        var edits = smoke ? 3 : 60;
        var latency = TimeSpan.FromMilliseconds(smoke ? 5 : 50);
        foreach (var interval in new[] { TimeSpan.FromSeconds(1), TimeSpan.FromMilliseconds(250) })
        {
            await RunOnceAsync(edits, latency, interval, output, cancellationToken).ConfigureAwait(false);
        }
    }

    private static async Task RunOnceAsync(int edits, TimeSpan latency, TimeSpan interval, TextWriter output, CancellationToken cancellationToken)
    {
        await using var hubspotSim = new HubSpotSimulator();
        await using var odooSim = new OdooSimulator();
        await using var hubspot = hubspotSim.CreateConnector();
        await using var odoo = odooSim.CreateConnector();
        var companies = Enumerable.Range(1, edits)
            .Select(i => hubspotSim.SeedCompany(new Dictionary<string, string> { ["name"] = $"Company {i}", ["domain"] = $"c{i}.example" }))
            .ToList();

        var url = new Uri($"http://127.0.0.1:{FreePort()}/concord/webhooks/hubspot");
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls(url.GetLeftPart(UriPartial.Authority));
        builder.Logging.ClearProviders();
        builder.Services.AddConcord()
            .AddConnector(new ConnectorRegistration("hubspot", "hubspot"), (_, _) => hubspot.Connector)
            .AddConnector(new ConnectorRegistration("odoo", "odoo"), (_, _) => odoo.Connector)
            .AddFlow("hubspot-to-odoo", f => f.From("hubspot").To("odoo").OnWebhooks().Configure(o => o.WebhookInterval = interval))
            .AddConcordWebhooks(o => o.Senders["hubspot"] = new WebhookSenderOptions { Kind = WebhookSenderKind.HubSpot, Secret = Secret, PublicUrl = url });
        await using var app = builder.Build();
        app.MapConcordWebhooks("/concord/webhooks");
        await app.StartAsync(cancellationToken).ConfigureAwait(false);

        // The first sync (the hosted service's first poll, or this one: runs of a flow are serialised).
        await app.Services.GetRequiredService<IFlowRunner>().GetFlow("hubspot-to-odoo").RunOnceAsync(cancellationToken).ConfigureAwait(false);
        if (odooSim.Partners.Count(p => p.IsCompany) != edits)
        {
            throw new InvalidOperationException("The first sync did not bring every company to Odoo.");
        }

        // Only now the vendors slow down: the measured path pays 50 ms per call.
        hubspotSim.Faults.AddLatency(latency);
        odooSim.Faults.AddLatency(latency);

        using var client = new HttpClient();
        var sender = new SimulatedWebhookSender(client);
        var latencies = new List<double>(edits);
        for (var i = 0; i < edits; i++)
        {
            var name = $"Company {i + 1} renamed";
            hubspotSim.Edit(companies[i], new Dictionary<string, string> { ["name"] = name });
            var events = $$"""[{"eventId":{{i + 1}},"subscriptionId":7,"portalId":62515,"appId":54321,"occurredAt":{{DateTimeOffset.UtcNow.ToUnixTimeMilliseconds()}},"subscriptionType":"company.propertyChange","attemptNumber":0,"objectId":{{companies[i]}},"propertyName":"name","propertyValue":"x","changeSource":"CRM"}]""";
            var clock = Stopwatch.StartNew();
            var result = await sender.SendHubSpotAsync(url, Secret, events, cancellationToken).ConfigureAwait(false);
            if (!result.Delivered)
            {
                throw new InvalidOperationException($"The delivery was refused: {string.Join(", ", result.Statuses)}.");
            }

            while (!odooSim.Partners.Any(p => p.Name == name))
            {
                if (clock.Elapsed > TimeSpan.FromSeconds(30))
                {
                    throw new InvalidOperationException($"Edit {i + 1} did not reach Odoo within 30 s.");
                }

                await Task.Delay(5, cancellationToken).ConfigureAwait(false);
            }

            latencies.Add(clock.Elapsed.TotalMilliseconds);
        }

        await app.StopAsync(cancellationToken).ConfigureAwait(false);
        latencies.Sort();
        var inv = CultureInfo.InvariantCulture;
        output.WriteLine(string.Create(inv,
            $"hint interval={interval.TotalMilliseconds} ms edits={edits} vendor latency={latency.TotalMilliseconds} ms per call: send→Odoo write p50={Percentile(latencies, 0.50):F0} ms p95={Percentile(latencies, 0.95):F0} ms max={latencies[^1]:F0} ms"));
    }

    private static double Percentile(List<double> sorted, double p) => sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Count) - 1, 0, sorted.Count - 1)];

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
