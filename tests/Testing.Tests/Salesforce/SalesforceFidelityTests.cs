using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Concord.Testing.Salesforce;
using Xunit;

namespace Concord.Testing.Tests.Salesforce;

/// <summary>
/// Where the Salesforce simulator disagrees with a careless client as Salesforce would (issue 17, "The simulator"): field
/// names come back as the schema spells them, saves check lengths, email format and restricted picklists, an id repeated
/// in one call fails, failed collection results carry <c>created</c>, and injected faults look like Salesforce's.
/// </summary>
public sealed class SalesforceFidelityTests : IAsyncLifetime
{
    private readonly SalesforceSimulator _sim;
    private readonly HttpClient _http;
    private string _token = string.Empty;

    public SalesforceFidelityTests()
    {
        var options = new SalesforceSimulatorOptions();
        options.RestrictedPicklists["Account.Industry"] = ["Banking", "Retail"];
        _sim = new SalesforceSimulator(options);
        _http = new HttpClient { BaseAddress = _sim.MyDomainUrl };
    }

    public async Task InitializeAsync() => _token = await SalesforceHttp.TokenAsync(_http, _sim);

    [Fact]
    public async Task A_query_answers_each_field_under_the_schemas_spelling_not_the_querys()
    {
        _sim.SeedAccount("a-1", "Acme");

        var (status, body) = await SendAsync(HttpMethod.Get, "/services/data/v65.0/query?q=" + Uri.EscapeDataString("SELECT id, name, concord_id__c FROM account"));

        Assert.Equal(200, status);
        var row = body!["records"]![0]!.AsObject();
        Assert.Equal(["attributes", "Id", "Name", "Concord_Id__c"], row.Select(p => p.Key));
    }

    [Fact]
    public async Task Saves_check_lengths_email_format_and_restricted_picklists_and_failed_collection_results_carry_created()
    {
        var account = _sim.SeedAccount("a-1", "Acme");
        var results = await UpsertAsync("Account", new JsonArray(
            Record("Account", "a-2", new JsonObject { ["Name"] = new string('x', 256) }),
            Record("Account", "a-3", new JsonObject { ["Name"] = "Beta", ["Industry"] = "Mining" }),
            Record("Account", "a-4", new JsonObject { ["Name"] = "Gamma", ["Industry"] = "Retail" })));
        var contacts = await UpsertAsync("Contact", new JsonArray(
            Record("Contact", "c-1", new JsonObject { ["LastName"] = "Lovelace", ["Email"] = "ada at example.org", ["AccountId"] = account })));

        Assert.Equal(["STRING_TOO_LONG", "INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST"], results.Take(2).Select(r => r!["errors"]![0]!["statusCode"]!.GetValue<string>()));
        Assert.Equal(["Name", "Industry"], results.Take(2).Select(r => r!["errors"]![0]!["fields"]![0]!.GetValue<string>()));
        Assert.All(results.Take(2), r => Assert.False(r!["created"]!.GetValue<bool>()));
        Assert.True(results[2]!["success"]!.GetValue<bool>());
        Assert.Equal("INVALID_EMAIL_ADDRESS", contacts[0]!["errors"]![0]!["statusCode"]!.GetValue<string>());
        Assert.False(contacts[0]!["created"]!.GetValue<bool>());
    }

    [Fact]
    public async Task An_id_repeated_in_one_collections_update_fails_with_DUPLICATE_VALUE()
    {
        var account = _sim.SeedAccount("a-1", "Acme");
        var records = new JsonArray(
            new JsonObject { ["attributes"] = new JsonObject { ["type"] = "Account" }, ["id"] = account, ["Name"] = "Acme 1" },
            new JsonObject { ["attributes"] = new JsonObject { ["type"] = "Account" }, ["id"] = account, ["Name"] = "Acme 2" });

        var (_, body) = await SendAsync(HttpMethod.Patch, "/services/data/v65.0/composite/sobjects", new JsonObject { ["allOrNone"] = false, ["records"] = records });

        Assert.True(body![0]!["success"]!.GetValue<bool>());
        Assert.Equal("DUPLICATE_VALUE", body[1]!["errors"]![0]!["statusCode"]!.GetValue<string>());
        Assert.Equal("Acme 1", _sim.Accounts.Single()["Name"]);
    }

    [Fact]
    public async Task Injected_server_faults_and_throttles_answer_in_salesforces_error_shape_with_its_headers()
    {
        _sim.Faults.FailNext(1, 503).ThrottleNext(1, TimeSpan.FromSeconds(7));
        var query = "/services/data/v65.0/query?q=" + Uri.EscapeDataString("SELECT Id FROM Account");

        var (unavailable, unavailableBody, unavailableHeaders) = await SendWithHeadersAsync(query);
        var (throttled, throttledBody, throttledHeaders) = await SendWithHeadersAsync(query);

        Assert.Equal(503, unavailable);
        Assert.Equal("SERVER_UNAVAILABLE", unavailableBody![0]!["errorCode"]!.GetValue<string>());
        Assert.NotNull(unavailableBody[0]!["message"]);
        Assert.True(unavailableHeaders.Contains("Sforce-Limit-Info"));
        Assert.Equal(429, throttled);
        Assert.Equal("REQUEST_LIMIT_EXCEEDED", throttledBody![0]!["errorCode"]!.GetValue<string>());
        Assert.Equal("7", Assert.Single(throttledHeaders.GetValues("Retry-After")));
        Assert.Null(unavailableBody[0]!["error"]);
    }

    public async Task DisposeAsync()
    {
        _http.Dispose();
        await _sim.DisposeAsync();
    }

    private static JsonObject Record(string type, string key, JsonObject fields)
    {
        fields["attributes"] = new JsonObject { ["type"] = type };
        fields["Concord_Id__c"] = key;
        return fields;
    }

    private async Task<JsonArray> UpsertAsync(string type, JsonArray records)
    {
        var (status, body) = await SendAsync(HttpMethod.Patch, $"/services/data/v65.0/composite/sobjects/{type}/Concord_Id__c", new JsonObject { ["allOrNone"] = false, ["records"] = records });
        Assert.Equal(200, status);
        return body!.AsArray();
    }

    private async Task<(int Status, JsonNode? Body)> SendAsync(HttpMethod method, string path, JsonObject? content = null)
    {
        using var request = new HttpRequestMessage(method, path) { Content = content is null ? null : JsonContent.Create(content) };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", _token);
        using var response = await _http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        return ((int)response.StatusCode, text.Length == 0 ? null : JsonNode.Parse(text));
    }

    private async Task<(int Status, JsonNode? Body, HttpResponseHeaders Headers)> SendWithHeadersAsync(string path)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", _token);
        var response = await _http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        return ((int)response.StatusCode, JsonNode.Parse(text), response.Headers);
    }
}
