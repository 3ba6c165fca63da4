using System.Text;
using Concord.Testing.Odoo;
using Microsoft.Extensions.Time.Testing;
using Xunit;

namespace Concord.Testing.Tests.Odoo;

/// <summary>Odoo core has no request limiter; the simulator's optional one answers as a reverse proxy in front of it would.</summary>
public sealed class OdooRateLimitTests
{
    private const string Version = """{"jsonrpc":"2.0","method":"call","params":{"service":"common","method":"version","args":[]},"id":1}""";

    [Fact]
    public async Task Without_a_limit_every_call_is_served_as_by_Odoo_core()
    {
        await using var sim = new OdooSimulator();
        using var http = sim.CreateClient();

        var statuses = new List<int>();
        for (var i = 0; i < 20; i++)
        {
            statuses.Add(await CallAsync(http));
        }

        Assert.All(statuses, s => Assert.Equal(200, s));
        Assert.Equal(0, sim.RateLimitExceeded);
    }

    [Fact]
    public async Task Calls_past_the_limit_in_the_window_get_the_proxy_429_and_are_counted()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 12, 4, 12, 0, 0, TimeSpan.Zero));
        await using var sim = new OdooSimulator(new OdooSimulatorOptions { RateLimit = 2, RateLimitWindow = TimeSpan.FromSeconds(1), TimeProvider = clock });
        using var http = sim.CreateClient();

        var statuses = new List<int>();
        for (var i = 0; i < 3; i++)
        {
            statuses.Add(await CallAsync(http));
        }

        using var refused = await http.PostAsync("jsonrpc", new StringContent(Version, Encoding.UTF8, "application/json"));
        clock.Advance(TimeSpan.FromSeconds(1));
        var recovered = await CallAsync(http);

        Assert.Equal([200, 200, 429], statuses);
        Assert.Equal(429, (int)refused.StatusCode);
        Assert.StartsWith("text/html", refused.Content.Headers.ContentType?.ToString(), StringComparison.Ordinal);
        Assert.Contains("429 Too Many Requests", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Null(refused.Headers.RetryAfter);
        Assert.Equal(200, recovered);
        Assert.Equal(2, sim.RateLimitExceeded);
    }

    private static async Task<int> CallAsync(HttpClient http)
    {
        using var response = await http.PostAsync("jsonrpc", new StringContent(Version, Encoding.UTF8, "application/json"));
        return (int)response.StatusCode;
    }
}
