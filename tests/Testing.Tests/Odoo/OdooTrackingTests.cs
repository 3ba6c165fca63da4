using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Concord.Testing.Odoo;
using Xunit;

namespace Concord.Testing.Tests.Odoo;

/// <summary>The simulator keeps the committed changes of tracked partner fields, as a real database's chatter does; a rolled-back call leaves none.</summary>
public sealed class OdooTrackingTests : IDisposable
{
    private readonly OdooSimulator _sim;
    private readonly HttpClient _http;

    public OdooTrackingTests()
    {
        var options = new OdooSimulatorOptions();
        options.TrackedFields.Add("name");
        options.TrackedFields.Add("email");
        _sim = new OdooSimulator(options);
        _http = _sim.CreateClient();
    }

    public void Dispose()
    {
        _http.Dispose();
        _sim.Dispose();
    }

    [Fact]
    public async Task Committed_changes_of_tracked_fields_are_kept_in_order_and_unchanged_values_are_not()
    {
        var created = await ExecuteAsync("res.partner", "load", [new JsonArray("id", "name", "email"), new JsonArray(new JsonArray("__t__.a", "A", "a@x.example"))]);
        var id = created["result"]!["ids"]![0]!.GetValue<long>();
        await ExecuteAsync("res.partner", "write", [new JsonArray(id), new JsonObject { ["name"] = "B", ["email"] = "a@x.example", ["phone"] = "+1" }]);
        _sim.RenamePartner(id, "A");

        var tracking = _sim.TrackingValues();

        Assert.Equal(
            [("name", null, "A"), ("email", null, "a@x.example"), ("name", "A", "B"), ("name", "B", "A")],
            tracking.Select(t => (t.Field, t.OldValue as string, t.NewValue as string)).ToArray());
        Assert.All(tracking, t => Assert.Equal(id, t.PartnerId));
    }

    [Fact]
    public async Task A_call_that_rolls_back_leaves_no_tracking_value()
    {
        var answer = await ExecuteAsync("res.partner", "load", [new JsonArray("id", "name"), new JsonArray(new JsonArray("__t__.a", "Good"), new JsonArray("__t__.b", ""))]);

        Assert.False(answer["result"]!["ids"]!.GetValue<bool>());
        Assert.Empty(_sim.TrackingValues());
    }

    [Fact]
    public void Nothing_is_kept_when_no_field_is_tracked()
    {
        using var plain = new OdooSimulator();
        var id = plain.CreatePartner(new OdooPartnerSeed { Name = "A", IsCompany = true });
        plain.RenamePartner(id, "B");

        Assert.Empty(plain.TrackingValues());
    }

    private Task<JsonObject> ExecuteAsync(string model, string method, JsonNode?[] args) =>
        RpcAsync("object", "execute_kw", "concord", 2, _sim.Options.ApiKey, model, method, new JsonArray(args), new JsonObject());

    private async Task<JsonObject> RpcAsync(string service, string method, params JsonNode?[] args)
    {
        var body = new JsonObject { ["jsonrpc"] = "2.0", ["method"] = "call", ["id"] = 1, ["params"] = new JsonObject { ["service"] = service, ["method"] = method, ["args"] = new JsonArray(args) } };
        using var response = await _http.PostAsJsonAsync("/jsonrpc", body);
        Assert.Equal(200, (int)response.StatusCode);
        return JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsObject();
    }
}
