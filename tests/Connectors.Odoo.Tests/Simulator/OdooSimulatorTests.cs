using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Concord.Testing.Odoo;

namespace Concord.Connectors.Odoo.Tests.Simulator;

/// <summary>The simulator answers as a real 18.0/19.0 server did (facts §12).</summary>
public sealed class OdooSimulatorTests : IDisposable
{
    private readonly OdooSimulator _sim = new();
    private readonly HttpClient _http;

    public OdooSimulatorTests() => _http = _sim.CreateClient();

    public void Dispose()
    {
        _http.Dispose();
        _sim.Dispose();
    }

    [Fact]
    public async Task Version_and_authenticate_answer_as_18_does()
    {
        var version = await RpcAsync("common", "version");
        var good = await RpcAsync("common", "authenticate", "concord", "concord-bot", _sim.Options.ApiKey, new JsonObject());
        var bad = await RpcAsync("common", "authenticate", "concord", "concord-bot", "wrong", new JsonObject());

        Assert.Equal("18.0", version["result"]!["server_version"]!.GetValue<string>());
        Assert.Equal(2, good["result"]!.GetValue<int>());
        Assert.False(bad["result"]!.GetValue<bool>());
    }

    [Fact]
    public async Task Create_returns_an_int_for_a_dict_and_a_list_for_a_list()
    {
        var one = await ExecuteAsync("res.partner", "create", [new JsonObject { ["name"] = "One" }]);
        var many = await ExecuteAsync("res.partner", "create", [new JsonArray(new JsonObject { ["name"] = "A" }, new JsonObject { ["name"] = "B" })]);

        Assert.IsAssignableFrom<JsonValue>(one["result"]);
        Assert.Equal(2, many["result"]!.AsArray().Count);
    }

    [Fact]
    public async Task Read_of_a_missing_id_is_empty_and_write_on_it_is_a_missing_error()
    {
        var read = await ExecuteAsync("res.partner", "read", [new JsonArray(999)]);
        var write = await ExecuteAsync("res.partner", "write", [new JsonArray(999), new JsonObject { ["name"] = "x" }]);

        Assert.Empty(read["result"]!.AsArray());
        Assert.Equal("odoo.exceptions.MissingError", write["error"]!["data"]!["name"]!.GetValue<string>());
        Assert.Equal(200, write["error"]!["code"]!.GetValue<int>());
    }

    [Theory]
    [InlineData("no_such_field", "builtins.ValueError")]
    [InlineData("name", "odoo.exceptions.ValidationError")]
    public async Task Create_errors_have_the_names_a_real_server_uses(string field, string name)
    {
        var vals = field == "name" ? new JsonObject { ["email"] = "x@y.z" } : new JsonObject { ["name"] = "n", [field] = 1 };

        var answer = await ExecuteAsync("res.partner", "create", [vals]);

        Assert.Equal(name, answer["error"]!["data"]!["name"]!.GetValue<string>());
    }

    [Fact]
    public async Task Load_with_one_bad_row_writes_nothing_and_names_the_row()
    {
        var answer = await ExecuteAsync("res.partner", "load", [new JsonArray("id", "name"), new JsonArray(new JsonArray("__t__.a", "Good"), new JsonArray("__t__.b", ""))]);

        Assert.False(answer["result"]!["ids"]!.GetValue<bool>());
        var message = answer["result"]!["messages"]![0]!;
        Assert.Equal(1, message["rows"]!["from"]!.GetValue<int>());
        Assert.Empty(_sim.Partners);
    }

    [Fact]
    public async Task Load_twice_with_the_same_external_ids_returns_the_same_ids()
    {
        var rows = new JsonArray(new JsonArray("__t__.a", "A", "1"));
        var first = await ExecuteAsync("res.partner", "load", [new JsonArray("id", "name", "is_company"), rows.DeepClone()]);
        var second = await ExecuteAsync("res.partner", "load", [new JsonArray("id", "name", "is_company"), rows.DeepClone()]);

        Assert.Equal(first["result"]!["ids"]!.ToJsonString(), second["result"]!["ids"]!.ToJsonString());
        Assert.Single(_sim.Partners);
    }

    [Fact]
    public async Task Domains_support_prefix_operators_and_ilike()
    {
        _sim.CreatePartner(new OdooPartnerSeed { Name = "Alpha", Email = "A@X.COM", IsCompany = true });
        _sim.CreatePartner(new OdooPartnerSeed { Name = "Beta", Ref = "R1" });
        _sim.CreatePartner(new OdooPartnerSeed { Name = "Gamma", Active = false });
        var domain = JsonNode.Parse("""["|", ["email", "=ilike", "a@x.com"], "&", ["ref", "=", "R1"], "!", ["name", "like", "Gam"]]""")!;

        var answer = await ExecuteAsync("res.partner", "search_read", [domain, new JsonArray("name")], new JsonObject { ["order"] = "id asc" });
        var withArchived = await ExecuteAsync("res.partner", "search_count", [new JsonArray()], new JsonObject { ["context"] = new JsonObject { ["active_test"] = false } });

        Assert.Equal(["Alpha", "Beta"], answer["result"]!.AsArray().Select(r => r!["name"]!.GetValue<string>()));
        Assert.Equal(3, withArchived["result"]!.GetValue<int>());
    }

    [Fact]
    public async Task Write_date_is_read_back_truncated_to_seconds()
    {
        var id = _sim.CreatePartner(new OdooPartnerSeed { Name = "Dated" });

        var answer = await ExecuteAsync("res.partner", "read", [new JsonArray(id), new JsonArray("write_date")]);

        Assert.Matches(@"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$", answer["result"]![0]!["write_date"]!.GetValue<string>());
    }

    [Fact]
    public async Task Json2_is_not_served_before_19()
    {
        using var noRedirect = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = _sim.BaseAddress };

        var answer = await noRedirect.PostAsJsonAsync("/json/2/res.partner/search", new JsonObject());

        Assert.Equal(303, (int)answer.StatusCode);
    }

    [Fact]
    public async Task Json2_on_19_answers_real_statuses()
    {
        using var sim = new OdooSimulator(new OdooSimulatorOptions { ServerVersion = "19.0" });
        using var http = sim.CreateClient();
        http.DefaultRequestHeaders.Add("Authorization", "bearer " + sim.Options.ApiKey);

        var created = await http.PostAsJsonAsync("/json/2/res.partner/create", new JsonObject { ["vals_list"] = new JsonObject { ["name"] = "N" } });
        var missing = await http.PostAsJsonAsync("/json/2/res.partner/write", new JsonObject { ["ids"] = new JsonArray(999), ["vals"] = new JsonObject { ["name"] = "x" } });
        var invalid = await http.PostAsJsonAsync("/json/2/res.partner/create", new JsonObject { ["vals_list"] = new JsonObject { ["email"] = "x" } });

        Assert.Equal("[1]", await created.Content.ReadAsStringAsync());
        Assert.Equal(404, (int)missing.StatusCode);
        Assert.Equal(422, (int)invalid.StatusCode);
        Assert.Equal("odoo.exceptions.ValidationError", JsonNode.Parse(await invalid.Content.ReadAsStringAsync())!["name"]!.GetValue<string>());
    }

    [Fact]
    public async Task Fields_get_follows_the_version_series()
    {
        using var nineteen = new OdooSimulator(new OdooSimulatorOptions { ServerVersion = "19.0" });
        using var http19 = nineteen.CreateClient();
        http19.DefaultRequestHeaders.Add("Authorization", "bearer " + nineteen.Options.ApiKey);

        var on18 = await ExecuteAsync("res.partner", "fields_get", []);
        var on19 = JsonNode.Parse(await (await http19.PostAsJsonAsync("/json/2/res.partner/fields_get", new JsonObject())).Content.ReadAsStringAsync())!;

        Assert.Equal("char", on18["result"]!["mobile"]!["type"]!.GetValue<string>());
        Assert.Equal("many2one", on18["result"]!["country_id"]!["type"]!.GetValue<string>());
        Assert.Null(on19["mobile"]);
        Assert.Null(on19["title"]);
        Assert.NotNull(on19["vat"]);
    }

    [Fact]
    public async Task Read_with_load_null_gives_bare_many2one_ids()
    {
        var parent = _sim.CreatePartner(new OdooPartnerSeed { Name = "Parent", IsCompany = true });
        var child = _sim.CreatePartner(new OdooPartnerSeed { Name = "Child", ParentId = parent });

        var classic = await ExecuteAsync("res.partner", "read", [new JsonArray(child), new JsonArray("parent_id")]);
        var bare = await ExecuteAsync("res.partner", "read", [new JsonArray(child), new JsonArray("parent_id")], new JsonObject { ["load"] = null });

        Assert.Equal($"[{parent},\"Parent\"]", classic["result"]![0]!["parent_id"]!.ToJsonString());
        Assert.Equal(parent, bare["result"]![0]!["parent_id"]!.GetValue<long>());
    }

    private Task<JsonObject> ExecuteAsync(string model, string method, JsonNode?[] args, JsonObject? kwargs = null) =>
        RpcAsync("object", "execute_kw", "concord", 2, _sim.Options.ApiKey, model, method, new JsonArray(args), kwargs ?? new JsonObject());

    private async Task<JsonObject> RpcAsync(string service, string method, params JsonNode?[] args)
    {
        var body = new JsonObject { ["jsonrpc"] = "2.0", ["method"] = "call", ["id"] = 1, ["params"] = new JsonObject { ["service"] = service, ["method"] = method, ["args"] = new JsonArray(args) } };
        using var response = await _http.PostAsJsonAsync("/jsonrpc", body);
        Assert.Equal(200, (int)response.StatusCode);
        return JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsObject();
    }
}
