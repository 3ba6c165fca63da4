using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Concord.AspNetCore.Webhooks;
using Concord.Canonical;
using Concord.Samples.CustomerSync.Reporting;
using Concord.Storage.Sqlite;
using Concord.Sync.Flows;
using Concord.Sync.Inbox;
using Concord.Sync.Outbox;
using Concord.Testing.HubSpot;
using Concord.Testing.Odoo;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Spectre.Console;

namespace Concord.Samples.CustomerSync.Webhooks;

/// <summary>
/// <c>--webhooks</c>: the webhook path on embedded simulators. HubSpot companies sync to Odoo once; then companies renamed
/// in HubSpot are sent, as HubSpot sends them, as signed webhooks (<c>X-HubSpot-Signature-v3</c>, and once more as the
/// at-least-once duplicate) to the Concord endpoint on Kestrel at 127.0.0.1. The endpoint verifies and stores each event
/// in the SQLite inbox; the flow's hint loop re-reads the named companies and writes them to Odoo through the governed
/// path (identity, ownership, idempotent writes, audit, outbox) within about a second, without polling HubSpot. A last
/// poll, the safety net, finds nothing left to write.
/// </summary>
internal static class WebhookDemo
{
    public const string Switch = "--webhooks";

    private const string FlowName = "companies-to-erp";
    private const string ClientSecret = "sample-hubspot-app-client-secret";

    /// <summary>Runs the demo; the exit code is 0 when every rename reached Odoo once and the duplicates were recognised.</summary>
    public static async Task<int> RunAsync(string[] args, SampleSettings settings, CancellationToken cancellationToken)
    {
        var statePath = Path.GetFullPath(string.IsNullOrWhiteSpace(settings.StatePath)
            ? Path.Combine(Path.GetTempPath(), "concord-customersync", "concord-customersync-webhooks.db")
            : settings.StatePath);
        Directory.CreateDirectory(Path.GetDirectoryName(statePath)!);
        foreach (var file in new[] { statePath, statePath + "-wal", statePath + "-shm" })
        {
            File.Delete(file); // the simulators start empty on every run, so the state does too
        }

        await using var hubspotSim = new HubSpotSimulator();
        await using var odooSim = new OdooSimulator();
        var companies = Enumerable.Range(1, settings.WebhookCompanies)
            .Select(i => hubspotSim.SeedCompany(new Dictionary<string, string>
            {
                ["name"] = string.Create(CultureInfo.InvariantCulture, $"Webhook Company {i:D3}"),
                ["domain"] = string.Create(CultureInfo.InvariantCulture, $"webhook-{i:D3}.example"),
            }))
            .ToList();

        var endpoint = new Uri($"http://127.0.0.1:{FreePort()}/concord/webhooks/hubspot");
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory });
        builder.WebHost.UseUrls(endpoint.GetLeftPart(UriPartial.Authority));
        builder.Services.AddSingleton<EventTally>();
        builder.Services.AddSingleton<IOutboxPublisher>(sp => sp.GetRequiredService<EventTally>());
        builder.Services.AddConcord(concord => concord
            .UseSqlite(statePath)
            .AddHubSpotConnector(options => hubspotSim.Configure(options))
            .AddOdooConnector(options => odooSim.Configure(options))
            .AddFlow(FlowName, flow => flow
                .From("hubspot")
                .To("odoo")
                .OnWebhooks() // endpoint "hubspot"; the change feed is still polled every 15 minutes
                .Ownership(owners => owners.System("hubspot", CustomerField.Name, CustomerField.Website))
                .WhenTargetUnavailable(TargetPolicy.Defer)))
            .AddConcordWebhooks(options => options.Senders["hubspot"] = new WebhookSenderOptions
            {
                Kind = WebhookSenderKind.HubSpot,
                Secret = ClientSecret,
                PublicUrl = endpoint, // what the app's target URL is at HubSpot: HubSpot signs the URL it calls
            });

        await using var app = builder.Build();
        app.MapConcordWebhooks("/concord/webhooks");
        await app.StartAsync(cancellationToken);
        AnsiConsole.MarkupLine($"[bold]Concord CustomerSync --webhooks[/] (demo): HubSpot simulator on [blue]{hubspotSim.BaseAddress}[/], Odoo simulator on [blue]{odooSim.BaseAddress}[/], webhook endpoint [blue]{endpoint}[/]");
        AnsiConsole.MarkupLine($"Seeded {companies.Count} HubSpot companies; the flow '{FlowName}' (hubspot -> odoo) reacts to HubSpot webhooks.");

        var flow = app.Services.GetRequiredService<IFlowRunner>().GetFlow(FlowName);
        var inbox = app.Services.GetRequiredService<IWebhookInbox>();
        var dispatcher = app.Services.GetRequiredService<IOutboxDispatcher>();
        var events = app.Services.GetRequiredService<EventTally>();
        using var requests = new VendorRequestTally();

        // The first sync is the hosted service's first poll, at start; the hints wait for it (runs of one flow take turns).
        var firstSync = Stopwatch.StartNew();
        if (!await ArrivedAsync(
                async () => { await dispatcher.DispatchAsync(cancellationToken); return events.Received >= companies.Count; }, // committed: its events are out
                TimeSpan.FromSeconds(60),
                cancellationToken))
        {
            AnsiConsole.MarkupLine("[red]The first poll did not bring every company to Odoo within 60 s.[/]");
            return 1;
        }

        AnsiConsole.MarkupLine($"First sync (the hosted service's first poll): {companies.Count} companies in Odoo after {firstSync.Elapsed.TotalSeconds:0.0} s; events: {Markup.Escape(Describe(events.TakeSnapshot()))}.");
        requests.TakeSnapshot();

        // Renames in HubSpot, each sent by the simulator itself as HubSpot sends it (signed, and once more: at least once), then awaited in Odoo.
        var searchesBefore = FeedSearches(hubspotSim);
        hubspotSim.Webhooks.DuplicateDeliveries = true;
        hubspotSim.Webhooks.Subscribe(endpoint, ClientSecret, "company.propertyChange:name");
        var table = new Table().Border(TableBorder.Rounded).Title("Webhook deliveries: hubspot -> odoo");
        table.AddColumn("HubSpot company");
        table.AddColumn("new name");
        table.AddColumn(new TableColumn("answers (delivery, duplicate)").RightAligned());
        table.AddColumn(new TableColumn("send -> Odoo write").RightAligned());
        var latencies = new List<double>();
        var edits = Math.Min(settings.WebhookEdits, companies.Count);
        var ok = true;
        for (var i = 0; i < edits; i++)
        {
            var name = string.Create(CultureInfo.InvariantCulture, $"Webhook Company {i + 1:D3} (renamed)");
            var clock = Stopwatch.StartNew();
            hubspotSim.Edit(companies[i], new Dictionary<string, string> { ["name"] = name });
            await hubspotSim.Webhooks.WhenIdleAsync(cancellationToken);
            var delivery = hubspotSim.Webhooks.Deliveries[^1];
            var arrived = await ArrivedAsync(() => ValueTask.FromResult(odooSim.Partners.Any(p => p.IsCompany && p.Name == name)), TimeSpan.FromSeconds(30), cancellationToken);
            var elapsed = clock.Elapsed;

            // The hint is completed once the run committed its state (audit, outbox) after the write.
            arrived &= await ArrivedAsync(async () => (await inbox.ReadPendingAsync("hubspot", 1, cancellationToken)).Count == 0, TimeSpan.FromSeconds(30), cancellationToken);
            ok &= arrived && delivery.Statuses.All(s => s == 200);
            if (arrived)
            {
                latencies.Add(elapsed.TotalMilliseconds);
            }

            table.AddRow(
                Markup.Escape(companies[i]),
                Markup.Escape(name),
                string.Join(", ", delivery.Statuses),
                arrived ? string.Create(CultureInfo.InvariantCulture, $"{elapsed.TotalMilliseconds:N0} ms") : "[red]not within 30 s[/]");
        }

        await dispatcher.DispatchAsync(cancellationToken);
        var webhookEvents = events.TakeSnapshot();
        var webhookRequests = requests.TakeSnapshot();
        var feedSearches = FeedSearches(hubspotSim) - searchesBefore;
        AnsiConsole.Write(table);
        latencies.Sort();
        AnsiConsole.MarkupLine(
            $"{latencies.Count} of {edits} renames reached Odoo through the webhook path"
            + (latencies.Count > 0 ? string.Create(CultureInfo.InvariantCulture, $" (median {latencies[latencies.Count / 2]:N0} ms, slowest {latencies[^1]:N0} ms; the hint loop looks every second)") : string.Empty)
            + $"; HubSpot change-feed searches meanwhile: [bold]{feedSearches}[/]; events: {Markup.Escape(Describe(webhookEvents))}; vendor requests: {Markup.Escape(string.Join(", ", webhookRequests.Select(r => $"{r.Key} {r.Value}")))}.");

        // The safety net: a poll now finds the renamed companies and nothing left to write.
        var poll = await flow.RunOnceAsync(cancellationToken);
        await dispatcher.DispatchAsync(cancellationToken);
        RunReport.Write($"Flow '{FlowName}': hubspot -> odoo, the safety-net poll after the webhooks", [new RunResult("safety-net poll", poll, events.TakeSnapshot(), requests.TakeSnapshot())]);

        var pending = await inbox.ReadPendingAsync("hubspot", 100, cancellationToken);
        var companiesInOdoo = odooSim.Partners.Count(p => p.IsCompany);
        AnsiConsole.MarkupLine($"Odoo holds [bold]{companiesInOdoo}[/] companies for {companies.Count} in HubSpot; inbox entries still pending: [bold]{pending.Count}[/]; the safety-net poll wrote [bold]{poll.Created + poll.Updated}[/].");
        AnsiConsole.MarkupLine($"State (inbox, identity map, cursors, outbox, audit): [blue]{Markup.Escape(statePath)}[/]");
        await app.StopAsync(CancellationToken.None);
        ok &= companiesInOdoo == companies.Count && pending.Count == 0 && poll.Created + poll.Updated == 0 && feedSearches == 0;
        return ok ? 0 : 1;
    }

    private static async Task<bool> ArrivedAsync(Func<ValueTask<bool>> arrived, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        while (!await arrived())
        {
            if (clock.Elapsed > timeout)
            {
                return false;
            }

            await Task.Delay(10, cancellationToken);
        }

        return true;
    }

    // The HubSpot connector reads its change feed through CRM search; the webhook path reads by id (batch read).
    private static int FeedSearches(HubSpotSimulator hubspot) =>
        hubspot.Journal.Entries.Count(e => e.Path.EndsWith("/search", StringComparison.Ordinal));

    private static string Describe(IReadOnlyDictionary<string, int> events) =>
        events.Count == 0 ? "none" : string.Join(", ", events.Select(e => $"{e.Value} {e.Key}"));

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
