using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using Concord.Testing.Salesforce;
using Microsoft.Extensions.Time.Testing;
using Xunit;

namespace Concord.Testing.Tests.Salesforce;

/// <summary>The API allocation counted over a configurable rolling window, refused as Salesforce does: 403 <c>REQUEST_LIMIT_EXCEEDED</c>.</summary>
public sealed class ApiUsageWindowTests
{
    [Fact]
    public async Task Calls_past_the_allocation_in_the_window_get_403_REQUEST_LIMIT_EXCEEDED_and_are_counted()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 12, 4, 12, 0, 0, TimeSpan.Zero));
        await using var sim = new SalesforceSimulator(new SalesforceSimulatorOptions
        {
            DailyApiAllocation = 3,
            DailyApiOverage = 0,
            ApiUsageWindow = TimeSpan.FromSeconds(10),
            TimeProvider = clock,
        });
        using var http = new HttpClient { BaseAddress = sim.MyDomainUrl };
        var token = await SalesforceHttp.TokenAsync(http, sim);
        sim.FailNextApiCalls(1, 403, "REQUEST_LIMIT_EXCEEDED", "ConcurrentRequests (Concurrent API Requests) Limit exceeded.");
        var (injected, _) = await QueryAsync(http, token);

        var answers = new List<(int Status, JsonNode? Body)>();
        for (var i = 0; i < 4; i++)
        {
            answers.Add(await QueryAsync(http, token));
        }

        clock.Advance(TimeSpan.FromSeconds(10));
        var (recovered, _) = await QueryAsync(http, token);

        Assert.Equal(403, injected);                                          // injected, yet counted toward usage as Salesforce counts refused calls
        Assert.Equal([200, 200, 403, 403], answers.Select(a => a.Status));
        Assert.Equal("REQUEST_LIMIT_EXCEEDED", answers[3].Body![0]!["errorCode"]!.GetValue<string>());
        Assert.Equal("TotalRequests Limit exceeded.", answers[3].Body![0]!["message"]!.GetValue<string>());
        Assert.Equal(200, recovered);
        Assert.Equal(2, sim.RateLimitExceeded);
    }

    private static async Task<(int Status, JsonNode? Body)> QueryAsync(HttpClient http, string accessToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/services/data/v65.0/query?q=" + Uri.EscapeDataString("SELECT Id FROM Account"));
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", accessToken);
        using var response = await http.SendAsync(request);
        return ((int)response.StatusCode, JsonNode.Parse(await response.Content.ReadAsStringAsync()));
    }
}
