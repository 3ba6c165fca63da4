using System.Net.Http.Headers;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;
using WireMock.Settings;
using Xunit;

namespace Concord.Canonical.Tests.Resilience;

public sealed class CredentialLoggingTests
{
    private const string Token = "tok-3f9c2a7d1e";

    [Fact]
    public async Task A_bearer_token_never_reaches_a_log_record_even_at_trace_level()
    {
        using var server = WireMockServer.Start(new WireMockServerSettings { Urls = ["http://127.0.0.1:0"] });
        server.Given(Request.Create().UsingAnyMethod()).RespondWith(Response.Create().WithStatusCode(200).WithBody("{}"));
        var logs = new FakeLogCollector();
        var services = new ServiceCollection();
        services.AddLogging(b => b.SetMinimumLevel(LogLevel.Trace).AddProvider(new FakeLoggerProvider(logs)));
        services.AddHttpClient("Concord.vendor.t")
            .ConfigureHttpClient(c => c.BaseAddress = new Uri(server.Urls[0] + "/"))
            .AddConcordResilience("vendor", _ => new Concord.Canonical.Resilience.ConnectorResilienceOptions());
        await using var provider = services.BuildServiceProvider();
        var client = provider.GetRequiredService<IHttpClientFactory>().CreateClient("Concord.vendor.t");

        using var request = new HttpRequestMessage(HttpMethod.Get, "records/1");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", Token);
        using var response = await client.SendAsync(request);

        response.EnsureSuccessStatusCode();
        foreach (var record in logs.GetSnapshot())
        {
            Assert.DoesNotContain(Token, record.Message, StringComparison.Ordinal);
            foreach (var (key, value) in record.StructuredState ?? [])
            {
                Assert.DoesNotContain(Token, key + "=" + value, StringComparison.Ordinal);
            }
        }
    }
}
