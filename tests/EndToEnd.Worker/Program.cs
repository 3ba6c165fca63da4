using System.Globalization;
using Concord.EndToEnd.Worker;
using Concord.Sync.Flows;
using Concord.Sync.Outbox;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

// The crash-safety tests' child process. Configuration comes from environment variables (Concord__Salesforce__...,
// Concord__Odoo__..., EndToEnd__StatePath, EndToEnd__FlowName, EndToEnd__EventsPath or
// EndToEnd__RabbitMq and EndToEnd__RabbitMqExchange); the simulators live in the test process.
// Prints "handled N" after every record and "settled P" when the flow has settled after P passes; the test kills it whenever it likes.
var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { Args = args, ContentRootPath = AppContext.BaseDirectory });
builder.Logging.ClearProviders();
builder.Logging.AddSimpleConsole().SetMinimumLevel(LogLevel.Error);
var flowName = EndToEndFlow.Add(builder.Services, builder.Configuration);
if (string.IsNullOrEmpty(builder.Configuration[EndToEndFlow.RabbitMqKey]))
{
    // Without a broker, the events this process published go to a file of its own.
    var eventsPath = builder.Configuration["EndToEnd:EventsPath"] ?? throw new InvalidOperationException("EndToEnd:EventsPath is not set.");
    builder.Services.AddSingleton<IOutboxPublisher>(new FileEventPublisher(eventsPath));
}

using var host = builder.Build();

var output = Console.Out;
using var progress = new EndToEndFlow.Progress(flowName, handled =>
{
    lock (output)
    {
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"handled {handled}"));
        output.Flush();
    }
});

var flow = host.Services.GetRequiredService<IFlowRunner>().GetFlow(flowName);
var dispatcher = host.Services.GetRequiredService<IOutboxDispatcher>();
var passes = await EndToEndFlow.RunUntilSettledAsync(flow, _ => dispatcher.DispatchAsync());
lock (output)
{
    output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"settled {passes}"));
    output.Flush();
}

return 0;
