using Concord.Samples.CustomerSync;
using Concord.Samples.CustomerSync.Webhooks;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;

// Concord CustomerSync: Salesforce accounts (with their contacts) become Odoo companies and HubSpot companies with their
// contacts, governed by field ownership, and Zendesk organizations (with their contacts as end users) for the support
// team, with durable state in SQLite. Without configuration it runs against embedded simulators; with Concord:Salesforce
// and Concord:Odoo configured (appsettings.json or Concord__Salesforce__... environment variables) against real systems,
// with HubSpot when Concord:HubSpot is set and Zendesk when Concord:Zendesk is set.
using var cancellation = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    cancellation.Cancel();
};

var webhooks = args.Contains(WebhookDemo.Switch, StringComparer.Ordinal);
args = [.. args.Where(a => a != WebhookDemo.Switch)];
var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { Args = args, ContentRootPath = AppContext.BaseDirectory });
var settings = builder.Configuration.GetSection(SampleSettings.SectionName).Get<SampleSettings>() ?? new SampleSettings();
if (webhooks)
{
    // The webhook path on embedded HubSpot and Odoo simulators (samples/CustomerSync/Webhooks/WebhookDemo.cs).
    try
    {
        return await WebhookDemo.RunAsync(args, settings, cancellation.Token);
    }
    catch (OperationCanceledException) when (cancellation.IsCancellationRequested)
    {
        return 130;
    }
}

// The default mode (the demo on embedded simulators, or real systems from configuration): samples/CustomerSync/SyncMode.cs.
return await SyncMode.RunAsync(builder, settings, cancellation.Token);
