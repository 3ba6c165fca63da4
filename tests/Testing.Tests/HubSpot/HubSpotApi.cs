using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Concord.Testing.HubSpot;

namespace Concord.Testing.Tests.HubSpot;

/// <summary>A bare HTTP client for the simulator, authenticated with its static token, as a test of the wire format.</summary>
internal sealed class HubSpotApi(HubSpotSimulator sim, string? token = null) : IDisposable
{
    private readonly HttpClient _http = sim.CreateClient();

    public string Bearer { get; set; } = token ?? sim.Options.StaticToken;

    public Task<Answer> Get(string path) => Send(HttpMethod.Get, path, null);

    public Task<Answer> Post(string path, string json) => Send(HttpMethod.Post, path, json);

    public Task<Answer> Patch(string path, string json) => Send(HttpMethod.Patch, path, json);

    public async Task<Answer> Send(HttpMethod method, string path, string? json)
    {
        using var request = new HttpRequestMessage(method, path.TrimStart('/'));
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", Bearer);
        if (json is not null)
        {
            request.Content = new StringContent(json, Encoding.UTF8, "application/json");
        }

        using var response = await _http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        var headers = response.Headers.ToDictionary(h => h.Key, h => string.Join(",", h.Value), StringComparer.OrdinalIgnoreCase);
        return new Answer((int)response.StatusCode, string.IsNullOrEmpty(text) ? null : JsonNode.Parse(text), headers);
    }

    public async Task<Answer> RequestToken(IDictionary<string, string> form, string path = "/oauth/v1/token")
    {
        using var content = new FormUrlEncodedContent(form);
        using var response = await _http.PostAsync(path.TrimStart('/'), content);
        var text = await response.Content.ReadAsStringAsync();
        return new Answer((int)response.StatusCode, JsonNode.Parse(text), new Dictionary<string, string>());
    }

    public void Dispose() => _http.Dispose();

    internal sealed record Answer(int Status, JsonNode? Body, IReadOnlyDictionary<string, string> Headers)
    {
        public string? Header(string name) => Headers.TryGetValue(name, out var value) ? value : null;

        public JsonArray Results => Body?["results"] as JsonArray ?? [];

        public JsonArray Errors => Body?["errors"] as JsonArray ?? [];
    }
}
