using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Concord.Testing.Salesforce;
using Microsoft.Extensions.Time.Testing;
using Xunit;

namespace Concord.Testing.Tests.Salesforce;

/// <summary>
/// A collection write with <c>allOrNone</c> that fails on one record rolls the whole transaction back: every other record
/// is exactly as before (each field, <c>SystemModstamp</c>, <c>LastModifiedDate</c>, <c>LastModifiedById</c>, a person
/// account's hidden Contact), and a record it created never existed (no Recycle Bin row for <c>queryAll</c>).
/// </summary>
public sealed class AllOrNoneRollbackTests
{
    private const string Fields = "Id, FirstName, LastName, Phone, IsDeleted, SystemModstamp, LastModifiedDate, LastModifiedById, Concord_Id__c";

    [Fact]
    public async Task A_rolled_back_collections_upsert_leaves_every_row_as_it_was_and_creates_nothing()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 12, 4, 12, 0, 0, TimeSpan.Zero));
        await using var sim = new SalesforceSimulator(new SalesforceSimulatorOptions { TimeProvider = clock, PersonAccounts = true });
        var acme = sim.SeedAccount("a-1", "Acme", new Dictionary<string, object?> { ["Phone"] = "+1 555 0100" });
        var person = sim.SeedPersonAccount("p-1", "Ada", "Lovelace");
        clock.Advance(TimeSpan.FromMinutes(1));
        sim.EditRecord(acme, new Dictionary<string, object?> { ["Phone"] = "+1 555 0101" });
        sim.EditRecord(person, new Dictionary<string, object?> { ["FirstName"] = "Augusta Ada" });
        clock.Advance(TimeSpan.FromMinutes(1));
        using var http = new HttpClient { BaseAddress = sim.MyDomainUrl };
        var token = await SalesforceHttp.TokenAsync(http, sim);
        var accountsBefore = await QueryAllAsync(http, token, "Account");
        var contactsBefore = await QueryAllAsync(http, token, "Contact");

        var results = await UpsertAsync(http, token, new JsonArray(
            Account("a-1", new JsonObject { ["Name"] = "Acme Corporation", ["Phone"] = null }),
            Account("p-1", new JsonObject { ["LastName"] = "King" }),
            Account("n-1", new JsonObject { ["Name"] = "New Co" }),
            Account("bad", new JsonObject { ["Name"] = new string('x', 300) })));

        Assert.All(results, r => Assert.False(r!["success"]!.GetValue<bool>()));
        Assert.Equal("ALL_OR_NONE_OPERATION_ROLLED_BACK", results[0]!["errors"]![0]!["statusCode"]!.GetValue<string>());
        Assert.Equal(accountsBefore, await QueryAllAsync(http, token, "Account"));
        Assert.Equal(contactsBefore, await QueryAllAsync(http, token, "Contact"));
    }

    private static JsonObject Account(string key, JsonObject fields)
    {
        fields["attributes"] = new JsonObject { ["type"] = "Account" };
        fields["Concord_Id__c"] = key;
        return fields;
    }

    private static async Task<JsonArray> UpsertAsync(HttpClient http, string accessToken, JsonArray records)
    {
        using var request = new HttpRequestMessage(HttpMethod.Patch, "/services/data/v65.0/composite/sobjects/Account/Concord_Id__c")
        {
            Content = JsonContent.Create(new JsonObject { ["allOrNone"] = true, ["records"] = records }),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", accessToken);
        using var response = await http.SendAsync(request);
        return JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsArray();
    }

    /// <summary>Every row <c>queryAll</c> returns (Recycle Bin included), as text, with the fields a change feed reads.</summary>
    private static async Task<string> QueryAllAsync(HttpClient http, string accessToken, string sObject)
    {
        var soql = $"SELECT {(sObject == "Account" ? "Name, " : string.Empty)}{Fields} FROM {sObject} ORDER BY Id";
        using var request = new HttpRequestMessage(HttpMethod.Get, "/services/data/v65.0/queryAll?q=" + Uri.EscapeDataString(soql));
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", accessToken);
        using var response = await http.SendAsync(request);
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
        return JsonNode.Parse(await response.Content.ReadAsStringAsync())!["records"]!.ToJsonString();
    }
}
