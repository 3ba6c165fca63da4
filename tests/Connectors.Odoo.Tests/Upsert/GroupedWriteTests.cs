using Concord.Canonical.Connectors;
using Concord.Canonical.Errors;
using Concord.Connectors.Odoo.Tests.Support;
using Concord.Testing.Odoo;

namespace Concord.Connectors.Odoo.Tests.Upsert;

/// <summary>
/// Issue 13 §4: an update through <c>load</c> costs about 8 ms per record on a real server; records that change the
/// same fields to the same values are written by one <c>write</c> on all their ids instead.
/// </summary>
public sealed class GroupedWriteTests
{
    [Fact]
    public async Task Customers_changing_the_same_fields_to_the_same_values_are_written_by_one_write_call()
    {
        await using var odoo = OdooFixture.Start();
        var customers = Enumerable.Range(0, 50).Select(i => Customers.Company($"grp-{i}", name: $"Company {i}", vat: null, email: $"g{i}@example.com")).ToList();
        await odoo.Connector.UpsertManyAsync([.. customers.Select(c => Customers.Request(c))]);
        var loads = odoo.Simulator.CallCount("res.partner", "load");

        var results = await odoo.Connector.UpsertManyAsync([.. customers.Select(c => Customers.Request(c with { Notes = "Moved to key accounts", Tags = ["Customer", "VIP", "Key"] }))]);

        Assert.All(results, r => Assert.Equal(UpsertOutcome.Updated, r.Outcome));
        Assert.Equal(1, odoo.Simulator.CallCount("res.partner", "write"));
        Assert.Equal(loads, odoo.Simulator.CallCount("res.partner", "load"));
        Assert.All(odoo.Simulator.Partners.Where(p => p.IsCompany), p => Assert.Equal("Moved to key accounts", p.Text("comment")));
        Assert.All(odoo.Simulator.Partners.Where(p => p.IsCompany), p => Assert.Equal(3, ((System.Collections.Immutable.ImmutableArray<long>)p.Values["category_id"]!).Length));
        Assert.All(await Task.WhenAll(results.Select(r => odoo.Connector.GetAsync(r.ExternalId!))), c => Assert.Contains("Key", c!.Tags));
    }

    [Fact]
    public async Task Each_distinct_change_shared_by_several_customers_is_one_write_and_the_rest_goes_through_load()
    {
        await using var odoo = OdooFixture.Start();
        var customers = Enumerable.Range(0, 45).Select(i => Customers.Company($"mix-{i}", name: $"Company {i}", vat: null, email: $"m{i}@example.com", contacts: 1)).ToList();
        await odoo.Connector.UpsertManyAsync([.. customers.Select(c => Customers.Request(c))]);
        var loads = odoo.Simulator.CallCount("res.partner", "load");

        var changed = customers.Select((c, i) => i switch
        {
            < 20 => c with { Notes = "Group A" },
            < 40 => c with { Notes = "Group B", Website = "https://b.example" },
            _ => c with { Name = $"Renamed {i}" },
        });
        var results = await odoo.Connector.UpsertManyAsync([.. changed.Select(c => Customers.Request(c))]);

        Assert.All(results, r => Assert.Equal(UpsertOutcome.Updated, r.Outcome));
        Assert.Equal(2, odoo.Simulator.CallCount("res.partner", "write"));
        Assert.Equal(loads + 1, odoo.Simulator.CallCount("res.partner", "load"));
        Assert.Equal(20, odoo.PartnerCount(p => p.Text("comment") == "Group A"));
        Assert.Equal(20, odoo.PartnerCount(p => p.Text("comment") == "Group B" && p.Text("website") == "https://b.example"));
        Assert.Equal(5, odoo.PartnerCount(p => p.Name?.StartsWith("Renamed", StringComparison.Ordinal) == true));
    }

    [Fact]
    public async Task A_shared_change_Odoo_refuses_goes_through_load_and_fails_each_customer_alone()
    {
        await using var odoo = OdooFixture.Start(new OdooSimulatorOptions { ValidateVat = true });
        var customers = Enumerable.Range(0, 6).Select(i => Customers.Company($"bad-{i}", name: $"Company {i}", vat: null, email: $"b{i}@example.com", contacts: 0)).ToList();
        await odoo.Connector.UpsertManyAsync([.. customers.Select(c => Customers.Request(c))]);

        var results = await odoo.Connector.UpsertManyAsync([.. customers.Select((c, i) => Customers.Request(i < 4
            ? c with { TaxIds = [new Canonical.TaxIdentifier { Type = Canonical.TaxIdType.Vat, Value = "DE1", Country = "DE" }] }
            : c with { Notes = "Fine" }))]);

        Assert.All(results.Take(4), r => Assert.Equal("$.taxIds", Assert.Single(r.Error!.FieldErrors).Field));
        Assert.All(results.Take(4), r => Assert.Equal(ErrorCategory.Validation, r.Error!.Category));
        Assert.All(results.Skip(4), r => Assert.Equal(UpsertOutcome.Updated, r.Outcome));
        Assert.Equal(0, odoo.PartnerCount(p => p.Text("vat") == "DE1"));
    }
}
