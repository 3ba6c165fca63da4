using System.Net;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using Concord.Testing.Salesforce;
using Xunit;

namespace Concord.Testing.Tests.Salesforce;

/// <summary>
/// Open query cursors (the <c>nextRecordsUrl</c> of an unfinished query): kept by default, as Salesforce does since API
/// v56; bounded by <see cref="SalesforceSimulatorOptions.MaxOpenQueryCursors"/>, the one used longest ago closing first.
/// </summary>
public sealed class QueryCursorTests
{
    private const string Soql = "SELECT Id FROM Account ORDER BY Id";

    [Fact]
    public async Task Opening_a_cursor_past_the_bound_closes_the_one_used_longest_ago()
    {
        await using var sim = Seeded(new SalesforceSimulatorOptions { DailyApiAllocation = 1_000, MaxOpenQueryCursors = 2 });
        using var http = await ClientAsync(sim);

        var first = await FirstPageAsync(http);
        var second = await FirstPageAsync(http);
        var firstPage2 = await GetAsync(http, first);      // the first cursor is now the one used last
        var third = await FirstPageAsync(http);            // closes the second

        var secondPage2 = await GetAsync(http, second);
        Assert.Equal(HttpStatusCode.OK, firstPage2.Status);
        Assert.Equal(HttpStatusCode.BadRequest, secondPage2.Status);
        Assert.Equal("INVALID_QUERY_LOCATOR", secondPage2.Body.AsArray()[0]!["errorCode"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.OK, (await GetAsync(http, third)).Status);
    }

    [Fact]
    public async Task Without_a_bound_every_cursor_stays_open()
    {
        await using var sim = Seeded(new SalesforceSimulatorOptions { DailyApiAllocation = 1_000 });
        using var http = await ClientAsync(sim);

        var cursors = new List<string>();
        for (var i = 0; i < 12; i++)
        {
            cursors.Add(await FirstPageAsync(http));
        }

        foreach (var cursor in cursors)
        {
            Assert.Equal(HttpStatusCode.OK, (await GetAsync(http, cursor)).Status);
        }
    }

    [Fact]
    public void A_bound_below_one_is_refused_naming_the_option()
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => new SalesforceSimulator(new SalesforceSimulatorOptions { MaxOpenQueryCursors = 0 }));
        Assert.Contains(nameof(SalesforceSimulatorOptions.MaxOpenQueryCursors), error.Message, StringComparison.Ordinal);
    }

    private static SalesforceSimulator Seeded(SalesforceSimulatorOptions options)
    {
        var sim = new SalesforceSimulator(options);
        for (var i = 0; i < 250; i++)
        {
            sim.SeedAccount(null, $"Account {i}");
        }

        return sim;
    }

    private static async Task<HttpClient> ClientAsync(SalesforceSimulator sim)
    {
        var http = new HttpClient { BaseAddress = sim.MyDomainUrl };
        using var token = await http.PostAsync("/services/oauth2/token", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "client_credentials",
            ["client_id"] = sim.Options.ConsumerKey,
            ["client_secret"] = sim.Options.ConsumerSecret,
        }));
        var accessToken = JsonNode.Parse(await token.Content.ReadAsStringAsync())!["access_token"]!.GetValue<string>();
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", accessToken);
        http.DefaultRequestHeaders.Add("Sforce-Query-Options", "batchSize=200");
        return http;
    }

    /// <summary>Runs the query; returns its <c>nextRecordsUrl</c> (250 rows in pages of 200: the cursor stays open).</summary>
    private static async Task<string> FirstPageAsync(HttpClient http)
    {
        var page = await GetAsync(http, "/services/data/v65.0/query?q=" + Uri.EscapeDataString(Soql));
        Assert.Equal(HttpStatusCode.OK, page.Status);
        return page.Body["nextRecordsUrl"]!.GetValue<string>();
    }

    private static async Task<(HttpStatusCode Status, JsonNode Body)> GetAsync(HttpClient http, string url)
    {
        using var response = await http.GetAsync(url);
        return (response.StatusCode, JsonNode.Parse(await response.Content.ReadAsStringAsync())!);
    }
}
