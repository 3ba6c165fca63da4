using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Concord.Testing.Odoo;
using Xunit;

namespace Concord.Testing.Tests.Odoo;

/// <summary>
/// A long OR of plain <c>ilike</c> leaves on one field (what the connector's match search sends, one leaf per domain)
/// answers exactly as the leaves one by one would: substring, case-insensitive, wildcards and non-ASCII values included.
/// </summary>
public sealed class OdooDomainTests : IDisposable
{
    private readonly OdooSimulator _sim = new();
    private readonly HttpClient _http;

    public OdooDomainTests() => _http = _sim.CreateClient();

    public void Dispose()
    {
        _http.Dispose();
        _sim.Dispose();
    }

    [Fact]
    public async Task An_or_of_ilike_leaves_finds_every_row_one_leaf_finds_and_no_other()
    {
        var acme = _sim.CreatePartner(new OdooPartnerSeed { Name = "Acme", IsCompany = true, Website = "https://www.ACME.example" });
        var globex = _sim.CreatePartner(new OdooPartnerSeed { Name = "Globex", IsCompany = true, Website = "http://globex.example/shop" });
        var umlaut = _sim.CreatePartner(new OdooPartnerSeed { Name = "Müller", IsCompany = true, Website = "https://müller-GLOBEX.example" });
        _sim.CreatePartner(new OdooPartnerSeed { Name = "Initech", IsCompany = true, Website = "https://initech.example" });
        _sim.CreatePartner(new OdooPartnerSeed { Name = "No site", IsCompany = true });
        var wildcard = _sim.CreatePartner(new OdooPartnerSeed { Name = "Hooli", IsCompany = true, Website = "https://hooli.example" });
        var needles = new[] { "acme.example", "GLOBEX.EXAMPLE", "nowhere.example", "h%li" };

        var ids = await SearchAsync(OrOf(needles));
        var oneByOne = new SortedSet<long>();
        foreach (var needle in needles)
        {
            oneByOne.UnionWith(await SearchAsync([Leaf(needle)]));
        }

        Assert.Equal([acme, globex, umlaut, wildcard], ids);
        Assert.Equal(oneByOne, ids);
    }

    [Fact]
    public async Task An_or_mixing_ilike_with_other_leaves_keeps_every_alternative()
    {
        var byName = _sim.CreatePartner(new OdooPartnerSeed { Name = "Vandelay", IsCompany = true, Email = "art@vandelay.example" });
        var bySite = _sim.CreatePartner(new OdooPartnerSeed { Name = "Kramerica", IsCompany = true, Website = "https://kramerica.example" });
        _sim.CreatePartner(new OdooPartnerSeed { Name = "Pendant", IsCompany = true, Website = "https://pendant.example" });

        var ids = await SearchAsync(["|", "|", Leaf("kramerica.example"), new JsonArray("email", "=ilike", "ART@vandelay.example"), Leaf("nowhere.example")]);

        Assert.Equal([byName, bySite], ids);
    }

    [Fact]
    public async Task External_ids_found_by_module_and_name_and_contacts_by_parent_are_exactly_the_matching_rows()
    {
        var loaded = await ExecuteAsync("ir.model.data", "search_read", [new JsonArray(), new JsonArray("name")]);
        Assert.Empty(loaded["result"]!.AsArray());
        var ids = (await ExecuteAsync("res.partner", "load", [new JsonArray("id", "name", "is_company"), new JsonArray(new JsonArray("__t__.a", "A", "1"), new JsonArray("__t__.b", "B", "1"), new JsonArray("other.a", "C", "1"))]))["result"]!["ids"]!.AsArray().Select(n => n!.GetValue<long>()).ToArray();
        var contact = _sim.CreatePartner(new OdooPartnerSeed { Name = "Bea", ParentId = ids[0] });
        _sim.CreatePartner(new OdooPartnerSeed { Name = "Ben", ParentId = ids[2] });

        var byName = await ExecuteAsync("ir.model.data", "search_read", [new JsonArray(new JsonArray("module", "=", "__t__"), new JsonArray("name", "in", new JsonArray("a", "b", "zz"))), new JsonArray("name", "res_id")]);
        var one = await ExecuteAsync("ir.model.data", "search_read", [new JsonArray(new JsonArray("module", "=", "other"), new JsonArray("name", "=", "a")), new JsonArray("res_id")]);
        var children = await ExecuteAsync("res.partner", "search", [new JsonArray(new JsonArray("parent_id", "in", new JsonArray(ids[0], ids[1])), new JsonArray("name", "ilike", "b"))]);

        Assert.Equal([ids[0], ids[1]], byName["result"]!.AsArray().Select(r => r!["res_id"]!.GetValue<long>()));
        Assert.Equal(ids[2], Assert.Single(one["result"]!.AsArray())!["res_id"]!.GetValue<long>());
        Assert.Equal([contact], children["result"]!.AsArray().Select(n => n!.GetValue<long>()));
    }

    private static JsonNode[] OrOf(string[] needles) =>
        [.. Enumerable.Repeat<JsonNode>(JsonValue.Create("|"), needles.Length - 1), .. needles.Select(Leaf)];

    private static JsonArray Leaf(string needle) => new("website", "ilike", needle);

    private async Task<JsonObject> ExecuteAsync(string model, string method, JsonNode?[] args)
    {
        var body = new JsonObject
        {
            ["jsonrpc"] = "2.0",
            ["method"] = "call",
            ["id"] = 1,
            ["params"] = new JsonObject
            {
                ["service"] = "object",
                ["method"] = "execute_kw",
                ["args"] = new JsonArray("concord", 2, _sim.Options.ApiKey, model, method, new JsonArray(args), new JsonObject()),
            },
        };
        using var response = await _http.PostAsJsonAsync("/jsonrpc", body);
        return JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsObject();
    }

    private async Task<SortedSet<long>> SearchAsync(JsonNode[] domain)
    {
        var body = new JsonObject
        {
            ["jsonrpc"] = "2.0",
            ["method"] = "call",
            ["id"] = 1,
            ["params"] = new JsonObject
            {
                ["service"] = "object",
                ["method"] = "execute_kw",
                ["args"] = new JsonArray("concord", 2, _sim.Options.ApiKey, "res.partner", "search", new JsonArray(new JsonArray([.. domain.Select(d => d.DeepClone())])), new JsonObject()),
            },
        };
        using var response = await _http.PostAsJsonAsync("/jsonrpc", body);
        var answer = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        return [.. answer["result"]!.AsArray().Select(n => n!.GetValue<long>())];
    }
}

/// <summary>A company's address written reaches exactly its current contacts, also after contacts moved and after a call that moved one was rolled back.</summary>
public sealed class OdooContactAddressTests : IDisposable
{
    private readonly OdooSimulator _sim = new();
    private readonly HttpClient _http;

    public OdooContactAddressTests() => _http = _sim.CreateClient();

    public void Dispose()
    {
        _http.Dispose();
        _sim.Dispose();
    }

    [Fact]
    public async Task A_parent_s_address_reaches_its_contacts_as_they_are_now()
    {
        var first = await CreateAsync(new JsonObject { ["name"] = "First", ["is_company"] = true });
        var second = await CreateAsync(new JsonObject { ["name"] = "Second", ["is_company"] = true });
        var contact = await CreateAsync(new JsonObject { ["name"] = "Bea", ["parent_id"] = first });

        await WriteAsync(first, new JsonObject { ["street"] = "1 First Street" });
        var whileUnderFirst = _sim.Partner(contact)!.Text("street");
        await WriteAsync(contact, new JsonObject { ["parent_id"] = second });
        await WriteAsync(first, new JsonObject { ["street"] = "2 First Street" });
        var afterTheMove = _sim.Partner(contact)!.Text("street");

        // A load that moves the contact back and fails on another row is rolled back whole: the contact stays under Second.
        var failed = await ExecuteAsync("load", [new JsonArray(".id", "parent_id/.id", "name"), new JsonArray(new JsonArray(contact.ToString(System.Globalization.CultureInfo.InvariantCulture), first.ToString(System.Globalization.CultureInfo.InvariantCulture), "Bea"), new JsonArray(first.ToString(System.Globalization.CultureInfo.InvariantCulture), string.Empty, string.Empty))]);
        await WriteAsync(first, new JsonObject { ["street"] = "3 First Street" });
        await WriteAsync(second, new JsonObject { ["street"] = "9 Second Street" });

        Assert.Equal("1 First Street", whileUnderFirst);
        Assert.Equal("1 First Street", afterTheMove);
        Assert.False(failed["result"]!["ids"]!.GetValue<bool>());
        Assert.Equal(second, _sim.Partner(contact)!.ParentId);
        Assert.Equal("9 Second Street", _sim.Partner(contact)!.Text("street"));
    }

    private async Task<long> CreateAsync(JsonObject vals) => (await ExecuteAsync("create", [vals]))["result"]!.GetValue<long>();

    private Task<JsonObject> WriteAsync(long id, JsonObject vals) => ExecuteAsync("write", [new JsonArray(id), vals]);

    private async Task<JsonObject> ExecuteAsync(string method, JsonNode?[] args)
    {
        var body = new JsonObject
        {
            ["jsonrpc"] = "2.0",
            ["method"] = "call",
            ["id"] = 1,
            ["params"] = new JsonObject
            {
                ["service"] = "object",
                ["method"] = "execute_kw",
                ["args"] = new JsonArray("concord", 2, _sim.Options.ApiKey, "res.partner", method, new JsonArray(args), new JsonObject()),
            },
        };
        using var response = await _http.PostAsJsonAsync("/jsonrpc", body);
        return JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsObject();
    }
}
