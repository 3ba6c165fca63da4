using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Concord.Testing.Salesforce;
using Xunit;

namespace Concord.Testing.Tests.Salesforce;

/// <summary>SOQL <c>IN</c> on text compares as Salesforce does: case-insensitively, and a 15-character id names its 18-character record.</summary>
public sealed class SoqlInTests : IDisposable
{
    private readonly SalesforceSimulator _sim = new(new SalesforceSimulatorOptions { DailyApiAllocation = 1_000 });
    private readonly HttpClient _http;

    public SoqlInTests() => _http = new HttpClient { BaseAddress = _sim.MyDomainUrl };

    public void Dispose()
    {
        _http.Dispose();
        _sim.Dispose();
    }

    [Fact]
    public async Task In_matches_text_without_regard_to_case_and_ids_by_their_15_character_form()
    {
        var acme = _sim.SeedAccount(null, "Acme", new Dictionary<string, object?> { ["AccountNumber"] = "R-1" });
        var globex = _sim.SeedAccount(null, "Globex", new Dictionary<string, object?> { ["AccountNumber"] = "r-2" });
        var initech = _sim.SeedAccount(null, "Initech", new Dictionary<string, object?> { ["AccountNumber"] = "R-3" });

        var byNumber = await QueryAsync("SELECT Id FROM Account WHERE AccountNumber IN ('r-1', 'R-2', 'R-9')");
        var byId = await QueryAsync($"SELECT Id FROM Account WHERE Id IN ('{globex[..15]}', '{initech.ToLowerInvariant()}')");

        Assert.Equal([acme, globex], byNumber);
        Assert.Equal([globex, initech], byId);
    }

    private async Task<List<string>> QueryAsync(string soql)
    {
        using var token = await _http.PostAsync("/services/oauth2/token", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "client_credentials",
            ["client_id"] = _sim.Options.ConsumerKey,
            ["client_secret"] = _sim.Options.ConsumerSecret,
        }));
        var accessToken = JsonNode.Parse(await token.Content.ReadAsStringAsync())!["access_token"]!.GetValue<string>();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/services/data/v65.0/query?q=" + Uri.EscapeDataString(soql));
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", accessToken);
        using var response = await _http.SendAsync(request);
        var page = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        return [.. page["records"]!.AsArray().Select(r => r!["Id"]!.GetValue<string>()).Order(StringComparer.Ordinal)];
    }
}
