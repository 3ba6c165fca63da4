using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Concord.Testing.Odoo;

namespace Concord.Samples.CustomerSync.Demo;

/// <summary>Creates companies in the Odoo simulator the way an Odoo user or another tool would: a plain JSON-RPC <c>create</c>, no external id.</summary>
internal sealed class OdooBackOffice(OdooSimulator odoo) : IDisposable
{
    private readonly HttpClient _http = odoo.CreateClient();
    private readonly Dictionary<string, long> _countries = new(StringComparer.Ordinal);
    private int _requestId;

    public async Task<long> CreateCompanyAsync(DemoOdooCustomer customer, CancellationToken cancellationToken)
    {
        var values = new JsonObject
        {
            ["name"] = customer.Name,
            ["is_company"] = true,
            ["website"] = customer.Website,
            ["vat"] = customer.Vat,
            ["street"] = customer.Billing.Street,
            ["zip"] = customer.Billing.PostalCode,
            ["city"] = customer.Billing.City,
            ["country_id"] = await CountryAsync(customer.Billing.Country, cancellationToken),
        };
        var id = await ExecuteAsync("res.partner", "create", new JsonArray(new JsonArray(values)), cancellationToken);
        return id is JsonArray ids ? ids[0]!.GetValue<long>() : id!.GetValue<long>();
    }

    public void Dispose() => _http.Dispose();

    private async Task<long> CountryAsync(string code, CancellationToken cancellationToken)
    {
        if (!_countries.TryGetValue(code, out var id))
        {
            var found = await ExecuteAsync("res.country", "search", new JsonArray(new JsonArray(new JsonArray("code", "=", code))), cancellationToken);
            id = found!.AsArray()[0]!.GetValue<long>();
            _countries[code] = id;
        }

        return id;
    }

    private async Task<JsonNode?> ExecuteAsync(string model, string method, JsonArray arguments, CancellationToken cancellationToken)
    {
        var options = odoo.Options;
        var request = new JsonObject
        {
            ["jsonrpc"] = "2.0",
            ["method"] = "call",
            ["id"] = Interlocked.Increment(ref _requestId),
            ["params"] = new JsonObject
            {
                ["service"] = "object",
                ["method"] = "execute_kw",
                ["args"] = new JsonArray(options.Database, options.Uid, options.ApiKey, model, method, arguments),
            },
        };
        using var response = await _http.PostAsJsonAsync("jsonrpc", request, cancellationToken);
        response.EnsureSuccessStatusCode();
        var answer = await response.Content.ReadFromJsonAsync<JsonObject>(cancellationToken);
        if (answer?["error"] is { } error)
        {
            throw new InvalidOperationException($"Odoo refused {model}.{method}: {error["data"]?["message"] ?? error["message"]}");
        }

        return answer?["result"];
    }
}
