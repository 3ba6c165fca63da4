using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;
using WireMock.Settings;
using Xunit;

namespace Concord.Canonical.Tests.Resilience;

/// <summary>Routine requests and retries that heal are not news: Polly's per-attempt telemetry stays below Information.</summary>
public sealed class PipelineLoggingTests
{
    [Fact]
    public async Task Routine_requests_and_a_retry_that_heals_write_no_log_line_at_Information_or_above()
    {
        using var server = WireMockServer.Start(new WireMockServerSettings { Urls = ["http://127.0.0.1:0"] });
        server.Given(Request.Create().WithPath("/flaky").UsingGet()).InScenario("flaky").WillSetStateTo("healed")
            .RespondWith(Response.Create().WithStatusCode(503));
        server.Given(Request.Create().WithPath("/flaky").UsingGet()).InScenario("flaky").WhenStateIs("healed")
            .RespondWith(Response.Create().WithStatusCode(200).WithBody("{}"));
        server.Given(Request.Create().WithPath("/ok").UsingGet()).RespondWith(Response.Create().WithStatusCode(200).WithBody("{}"));
        var logs = new FakeLogCollector();
        var services = new ServiceCollection();
        services.AddLogging(b => b.SetMinimumLevel(LogLevel.Trace).AddProvider(new FakeLoggerProvider(logs)));
        services.AddHttpClient("Concord.vendor.t")
            .ConfigureHttpClient(c => c.BaseAddress = new Uri(server.Urls[0] + "/"))
            .AddConcordResilience("vendor", _ => new Concord.Canonical.Resilience.ConnectorResilienceOptions { BaseDelay = TimeSpan.FromMilliseconds(1), UseJitter = false });
        await using var provider = services.BuildServiceProvider();
        var client = provider.GetRequiredService<IHttpClientFactory>().CreateClient("Concord.vendor.t");

        for (var i = 0; i < 5; i++)
        {
            using var ok = await client.GetAsync(new Uri("ok", UriKind.Relative));
            ok.EnsureSuccessStatusCode();
        }

        using var healed = await client.GetAsync(new Uri("flaky", UriKind.Relative));
        healed.EnsureSuccessStatusCode();

        var records = logs.GetSnapshot();
        Assert.Contains(records, r => r.Category?.StartsWith("Polly", StringComparison.Ordinal) == true); // the telemetry is there, at Debug
        Assert.All(records, r => Assert.True(r.Level < LogLevel.Information, $"{r.Level} {r.Category}: {r.Message}"));
    }
}
