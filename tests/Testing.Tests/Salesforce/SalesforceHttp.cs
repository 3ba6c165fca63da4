using System.Text.Json.Nodes;
using Concord.Testing.Salesforce;

namespace Concord.Testing.Tests.Salesforce;

/// <summary>Talking to the Salesforce simulator over HTTP as a client would.</summary>
internal static class SalesforceHttp
{
    /// <summary>An access token from the client-credentials grant.</summary>
    public static async Task<string> TokenAsync(HttpClient http, SalesforceSimulator sim)
    {
        using var token = await http.PostAsync("/services/oauth2/token", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "client_credentials",
            ["client_id"] = sim.Options.ConsumerKey,
            ["client_secret"] = sim.Options.ConsumerSecret,
        }));
        return JsonNode.Parse(await token.Content.ReadAsStringAsync())!["access_token"]!.GetValue<string>();
    }
}
