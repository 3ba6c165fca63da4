using Xunit;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Concord.Testing.Zendesk;

namespace Concord.Testing.Tests.Zendesk;

/// <summary>A raw HTTP client for the simulator's tests: a bearer token from the refresh grant, JSON in and out.</summary>
internal sealed class ZendeskClient : IDisposable
{
    private readonly HttpClient _http;

    private ZendeskClient(HttpClient http) => _http = http;

    public static async Task<ZendeskClient> ConnectAsync(ZendeskSimulator sim)
    {
        var http = sim.CreateClient();
        var token = await RefreshAsync(http, sim.Options, sim.CurrentRefreshToken);
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token["access_token"]!.ToString());
        return new ZendeskClient(http);
    }

    public static ZendeskClient WithApiToken(ZendeskSimulator sim, string? token = null)
    {
        var http = sim.CreateClient();
        var basic = Convert.ToBase64String(Encoding.UTF8.GetBytes($"{sim.Options.AgentEmail}/token:{token ?? sim.Options.ApiToken}"));
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic", basic);
        return new ZendeskClient(http);
    }

    public static async Task<JsonObject> RefreshAsync(HttpClient http, ZendeskSimulatorOptions options, string refreshToken)
    {
        var (status, body, _) = await SendAsync(http, HttpMethod.Post, "oauth/tokens", new JsonObject
        {
            ["grant_type"] = "refresh_token",
            ["refresh_token"] = refreshToken,
            ["client_id"] = options.ClientId,
            ["client_secret"] = options.ClientSecret,
        });
        Assert.True(status == 200, body?.ToJsonString());
        return (JsonObject)body!;
    }

    public Task<(int Status, JsonNode? Body, HttpResponseMessage Response)> GetAsync(string path) => SendAsync(_http, HttpMethod.Get, path, null);

    public Task<(int Status, JsonNode? Body, HttpResponseMessage Response)> PostAsync(string path, JsonNode body) => SendAsync(_http, HttpMethod.Post, path, body);

    public Task<(int Status, JsonNode? Body, HttpResponseMessage Response)> PutAsync(string path, JsonNode body) => SendAsync(_http, HttpMethod.Put, path, body);

    public Task<(int Status, JsonNode? Body, HttpResponseMessage Response)> DeleteAsync(string path) => SendAsync(_http, HttpMethod.Delete, path, null);

    public static async Task<(int Status, JsonNode? Body, HttpResponseMessage Response)> SendAsync(HttpClient http, HttpMethod method, string path, JsonNode? body)
    {
        using var request = new HttpRequestMessage(method, path);
        if (body is not null)
        {
            request.Content = new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json");
        }

        var response = await http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        JsonNode? json = null;
        if (text.Length > 0 && response.Content.Headers.ContentType?.MediaType == "application/json")
        {
            json = JsonNode.Parse(text);
        }

        return ((int)response.StatusCode, json, response);
    }

    public void Dispose() => _http.Dispose();
}
