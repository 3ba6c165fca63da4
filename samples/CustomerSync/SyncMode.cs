using System.Diagnostics;
using Concord.Canonical;
using Concord.Canonical.Errors;
using Concord.Samples.CustomerSync;
using Concord.Samples.CustomerSync.Demo;
using Concord.Samples.CustomerSync.Reporting;
using Concord.Samples.CustomerSync.Webhooks;
using Concord.Storage.Sqlite;
using Concord.Sync.Flows;
using Concord.Sync.Outbox;
using Concord.Testing.HubSpot;
using Concord.Testing.Odoo;
using Concord.Testing.Salesforce;
using Concord.Testing.Zendesk;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Spectre.Console;

namespace Concord.Samples.CustomerSync;

/// <summary>
/// The sample's default mode, the README's first command: Salesforce accounts to Odoo and HubSpot, and to Zendesk for the
/// support team, two runs with edits in between, on embedded simulators unless <c>Concord:Salesforce</c> and
/// <c>Concord:Odoo</c> are configured. It writes to <see cref="AnsiConsole"/> and returns the process exit code.
/// </summary>
internal static class SyncMode
{
    public static async Task<int> RunAsync(HostApplicationBuilder builder, SampleSettings settings, CancellationToken cancellationToken)
    {
        var salesforceSection = builder.Configuration.GetSection("Concord:Salesforce");
        var odooSection = builder.Configuration.GetSection("Concord:Odoo");
        var hubspotSection = builder.Configuration.GetSection("Concord:HubSpot");
        var zendeskSection = builder.Configuration.GetSection("Concord:Zendesk");
        if (salesforceSection.Exists() != odooSection.Exists())
        {
            AnsiConsole.MarkupLine($"[red]Configure both Concord:Salesforce and Concord:Odoo to run against real systems, or neither for the demo; only {(salesforceSection.Exists() ? "Concord:Salesforce" : "Concord:Odoo")} is set.[/]");
            return 2;
        }

        var demoMode = !salesforceSection.Exists();
        var statePath = Path.GetFullPath(string.IsNullOrWhiteSpace(settings.StatePath)
            ? demoMode ? Path.Combine(Path.GetTempPath(), "concord-customersync", "concord-customersync.db") : "concord.db"
            : settings.StatePath);

        DemoEnvironment? demo = null;
        try
        {
            if (demoMode)
            {
                // The simulators start empty on every run, so the demo's state starts empty too.
                Directory.CreateDirectory(Path.GetDirectoryName(statePath)!);
                foreach (var file in new[] { statePath, statePath + "-wal", statePath + "-shm" })
                {
                    File.Delete(file);
                }

                var seeding = Stopwatch.StartNew();
                demo = await DemoEnvironment.StartAsync(settings.Accounts, cancellationToken);
                AnsiConsole.MarkupLine($"[bold]Concord CustomerSync[/] (demo): Salesforce simulator on [blue]{demo.Salesforce.BaseAddress}[/], Odoo simulator on [blue]{demo.Odoo.BaseAddress}[/], HubSpot simulator on [blue]{demo.HubSpot.BaseAddress}[/], Zendesk simulator on [blue]{demo.Zendesk.BaseAddress}[/]");
                AnsiConsole.MarkupLine(
                    $"Seeded {demo.Catalog.Accounts.Count} Salesforce accounts with {demo.ContactCount} contacts ({DemoCatalog.DuplicateCount} duplicates by website, {DemoCatalog.InvalidCount} with an invalid country) "
                    + $"and {demo.Catalog.OdooCustomers.Count} companies Odoo already has, with their own tax id and billing address, in {seeding.Elapsed.TotalSeconds:0.0} s.");
            }
            else
            {
                var extra = (hubspotSection.Exists() ? " and HubSpot" : string.Empty) + (zendeskSection.Exists() ? " and Zendesk" : string.Empty);
                AnsiConsole.MarkupLine($"[bold]Concord CustomerSync[/]: Salesforce and Odoo{extra} from configuration.");
            }

            string[] targets = demo is not null || hubspotSection.Exists() ? ["odoo", "hubspot"] : ["odoo"];
            builder.Services.AddSingleton<EventTally>();
            builder.Services.AddSingleton<IOutboxPublisher>(sp => sp.GetRequiredService<EventTally>());
            var withSupport = demo is not null || zendeskSection.Exists();
            builder.Services.AddConcord(concord =>
            {
                concord.UseSqlite(statePath);
                if (demo is not null)
                {
                    concord.AddSalesforceConnector(options => demo.Salesforce.Configure(options));
                    concord.AddOdooConnector(options => demo.Odoo.Configure(options));
                    concord.AddHubSpotConnector(options => demo.HubSpot.Configure(options));
                    concord.AddZendeskConnector(options =>
                    {
                        demo.Zendesk.Configure(options);
                        options.Plan = Concord.Connectors.Zendesk.ZendeskPlan.EnterprisePlus;
                    });
                }
                else
                {
                    concord.AddSalesforceConnector(salesforceSection);
                    concord.AddOdooConnector(odooSection);
                    if (hubspotSection.Exists())
                    {
                        concord.AddHubSpotConnector(hubspotSection);
                    }

                    if (withSupport)
                    {
                        concord.AddZendeskConnector(zendeskSection);
                    }
                }

                if (withSupport)
                {
                    // The support team sees the same customers, with the same canonical id (Zendesk external_id), as sales.
                    concord.AddFlow(settings.SupportFlowName, flow => flow
                        .From("salesforce")
                        .To("zendesk")
                        .Ownership(owners => owners
                            .System("salesforce", CustomerField.Name, CustomerField.Contacts, CustomerField.Website, CustomerField.BillingAddress, CustomerField.Notes))
                        .WhenTargetUnavailable(TargetPolicy.Defer)
                        .PollEvery(null));
                }

                concord.AddFlow(settings.FlowName, flow => flow
                    .From("salesforce")
                    .To(targets)
                    .Ownership(owners => owners
                        .System("salesforce", CustomerField.Name, CustomerField.Contacts)
                        .System("odoo", CustomerField.TaxIds, CustomerField.BillingAddress, CustomerField.MainAddress)
                        .SeedOwnedFieldsOnCreate(true))
                    .WhenTargetUnavailable(TargetPolicy.Defer)
                    .PollEvery(null));
            });

            using var host = builder.Build();
            await host.StartAsync(cancellationToken);
            var flow = host.Services.GetRequiredService<IFlowRunner>().GetFlow(settings.FlowName);
            var supportFlow = withSupport ? host.Services.GetRequiredService<IFlowRunner>().GetFlow(settings.SupportFlowName) : null;
            var dispatcher = host.Services.GetRequiredService<IOutboxDispatcher>();
            var events = host.Services.GetRequiredService<EventTally>();
            using var requests = new VendorRequestTally();
            requests.TakeSnapshot(); // start counting from the first run (not the simulators' seeding or start-up checks)
            var runs = new List<RunResult>();
            var supportRuns = new List<RunResult>();

            async Task RunAsync(string label, int? expected)
            {
                var summary = await WithProgressAsync(label, expected, () => flow.RunOnceAsync(cancellationToken));
                await dispatcher.DispatchAsync(cancellationToken);
                runs.Add(new RunResult(label, summary, events.TakeSnapshot(), requests.TakeSnapshot()));
                if (supportFlow is not null)
                {
                    var support = await WithProgressAsync(label + " (support)", expected, () => supportFlow.RunOnceAsync(cancellationToken));
                    await dispatcher.DispatchAsync(cancellationToken);
                    supportRuns.Add(new RunResult(label, support, events.TakeSnapshot(), requests.TakeSnapshot()));
                }
            }

            await RunAsync("1: first sync", demo?.Catalog.Accounts.Count);
            if (demo is not null)
            {
                var edited = demo.EditAccounts(settings.Edits);
                AnsiConsole.MarkupLine($"Edited {edited.Count} accounts in Salesforce ({edited.Count(a => a.Role == DemoRole.ExistsInOdoo)} of them also changed the billing street, which Odoo owns).");
                await RunAsync($"2: after {edited.Count} edits", edited.Count);
            }

            RunReport.Write($"Flow '{Markup.Escape(settings.FlowName)}': salesforce -> {string.Join(", ", targets)}", runs);
            if (supportRuns.Count > 0)
            {
                RunReport.Write($"Flow '{Markup.Escape(settings.SupportFlowName)}': salesforce -> zendesk", supportRuns);
            }

            if (demo is not null)
            {
                AnsiConsole.MarkupLine(
                    $"Odoo kept its own tax id and billing street on [bold]{demo.OdooOwnedFieldsIntact()} of {demo.Catalog.OdooCustomers.Count}[/] companies it already had; "
                    + $"companies sharing a website in Odoo: [bold]{demo.OdooCompaniesWithSharedWebsite()}[/].");
                var (companies, contacts, twice) = demo.HubSpotCounts();
                AnsiConsole.MarkupLine($"HubSpot holds [bold]{companies}[/] companies and [bold]{contacts}[/] contacts; canonical ids held twice: [bold]{twice}[/].");
                var (organizations, users, duplicates) = demo.ZendeskTally();
                AnsiConsole.MarkupLine($"Zendesk holds [bold]{organizations}[/] organizations and [bold]{users}[/] end users with a canonical id; organizations sharing one: [bold]{duplicates}[/].");
            }

            AnsiConsole.MarkupLine($"State (identity map, cursors, dead letters, outbox, audit): [blue]{Markup.Escape(statePath)}[/]");
            await host.StopAsync(CancellationToken.None);
            return 0;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            AnsiConsole.MarkupLine("[yellow]Cancelled; the state file keeps every page already committed.[/]");
            return 130;
        }
        catch (Exception exception) when (exception is ConcordException or OptionsValidationException)
        {
            AnsiConsole.MarkupLine($"[red]{Markup.Escape(exception.GetType().Name)}: {Markup.Escape(exception.Message)}[/]");
            return 1;
        }
        finally
        {
            if (demo is not null)
            {
                await demo.DisposeAsync();
            }
        }
    }

    // Runs one pass with a progress bar fed by the Concord meter (records handled so far against those expected).
    private static async Task<FlowRunSummary> WithProgressAsync(string label, int? expected, Func<Task<FlowRunSummary>> run)
    {
        using var progress = new FlowProgress();
        FlowRunSummary? summary = null;
        await AnsiConsole.Progress()
            .AutoClear(true)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn())
            .StartAsync(async context =>
            {
                var task = context.AddTask($"run {Markup.Escape(label)}", maxValue: expected ?? 1);
                task.IsIndeterminate = expected is null;
                var running = run();
                while (await Task.WhenAny(running, Task.Delay(100)) != running)
                {
                    task.Value = Math.Min(progress.Handled, task.MaxValue);
                }

                summary = await running;
                task.Value = task.MaxValue;
            });
        return summary!;
    }
}
