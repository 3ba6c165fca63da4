using Concord.Connectors.Odoo.Tests.Support;
using Concord.Testing.Odoo;

namespace Concord.Connectors.Odoo.Tests.Benchmark;

/// <summary>Issue 13 §5 without a real server: the simulator's model of Odoo 18's costs, and what a batch costs under it.</summary>
public sealed class ServerCostTests
{
    [Fact]
    public async Task A_batch_of_new_companies_costs_one_external_id_read_one_candidate_search_and_one_load()
    {
        var costs = OdooServerCosts.Odoo18() with { Wait = false };
        await using var odoo = OdooFixture.Start(new OdooSimulatorOptions { ServerCosts = costs }, o => o.BatchSize = 200);
        await odoo.Connector.UpsertManyAsync([Customers.Request(Customers.Company("warm-up", vat: null, contacts: 0))]); // version, login, country
        var calls = odoo.Simulator.OrmCallCount();
        var idReads = odoo.Simulator.CallCount("ir.model.data", "search_read");
        var searches = odoo.Simulator.CallCount("res.partner", "search_read");
        var loads = odoo.Simulator.CallCount("res.partner", "load");
        var modelled = odoo.Simulator.ModelledServerTime;
        var requests = Enumerable.Range(0, 150).Select(i => Customers.Request(Customers.Company($"cost-{i}", name: $"Cost {i}", vat: null, email: $"c{i}@cost.example", contacts: 0))).ToList();

        var results = await odoo.Connector.UpsertManyAsync(requests);

        Assert.All(results, r => Assert.True(r.IsSuccess));
        Assert.Equal(
            (1, 1, 1, 3), // external-id reads, candidate searches, loads, ORM calls in all
            (odoo.Simulator.CallCount("ir.model.data", "search_read") - idReads, odoo.Simulator.CallCount("res.partner", "search_read") - searches,
             odoo.Simulator.CallCount("res.partner", "load") - loads, odoo.Simulator.OrmCallCount() - calls));
        Assert.Equal((3 * costs.Call) + (150 * costs.LoadCreatePerRecord), odoo.Simulator.ModelledServerTime - modelled);
    }

    [Fact]
    public async Task The_model_charges_per_record_what_the_facts_page_measured_and_a_grouped_write_less_than_load_updates()
    {
        var costs = OdooServerCosts.Odoo18() with { Wait = false };
        await using var odoo = OdooFixture.Start(new OdooSimulatorOptions { ServerCosts = costs }, o => o.BatchSize = 200);
        var requests = Enumerable.Range(0, 20).Select(i => Customers.Request(Customers.Company($"upd-{i}", name: $"Upd {i}", vat: null, email: $"u{i}@upd.example", contacts: 0))).ToList();
        await odoo.Connector.UpsertManyAsync(requests);
        var before = odoo.Simulator.ModelledServerTime;

        var updated = await odoo.Connector.UpsertManyAsync([.. requests.Select(r => r with { Customer = r.Customer with { Notes = "Same note for all" } })]);

        Assert.All(updated, r => Assert.True(r.IsSuccess));
        Assert.Equal(1, odoo.Simulator.CallCount("res.partner", "write"));
        var spent = odoo.Simulator.ModelledServerTime - before;
        Assert.True(spent < 20 * costs.LoadUpdatePerRecord, $"{spent.TotalMilliseconds} ms modelled for 20 grouped updates");
        Assert.True(spent >= 20 * costs.WritePerRecord, $"{spent.TotalMilliseconds} ms modelled for 20 grouped updates");
        Assert.Equal(TimeSpan.FromMilliseconds(550), OdooServerCosts.Odoo18().Authenticate);
        Assert.Equal(TimeSpan.FromMilliseconds(3.2), OdooServerCosts.Odoo18().LoadCreatePerRecord);
    }
}
