using Concord.Canonical;
using Concord.Canonical.Connectors;
using Concord.Canonical.Errors;
using Concord.Connectors.Odoo.Tests.Support;

namespace Concord.Connectors.Odoo.Tests.Upsert;

/// <summary>Issue §5: batches, one call per level, one result per input, failures isolated, unchanged skipped.</summary>
public sealed class BatchTests
{
    [Fact]
    public async Task UpsertMany_sends_one_load_per_level_per_batch_not_one_per_record()
    {
        await using var odoo = OdooFixture.Start(configure: o => o.BatchSize = 20);
        var requests = Enumerable.Range(0, 50).Select(i => Customers.Request(Customers.Company($"batch-{i}", name: $"Company {i}", vat: $"DE1000000{i:00}", email: $"c{i}@example.com", withBilling: true))).ToList();

        var results = await odoo.Connector.UpsertManyAsync(requests);

        Assert.All(results, r => Assert.Equal(UpsertOutcome.Created, r.Outcome));
        // 3 batches (20, 20, 10) x 3 levels (companies, contacts, addresses).
        Assert.Equal(9, odoo.Simulator.CallCount("res.partner", "load"));
        Assert.Equal(50, odoo.PartnerCount(p => p.IsCompany));
        Assert.Equal(100, odoo.PartnerCount(p => p.Type == "contact" && p.ParentId is not null));
        Assert.Equal(50, odoo.PartnerCount(p => p.Type == "invoice"));
        Assert.True(odoo.Simulator.OrmCallCount() <= 9 + (3 * 3) + 4, Breakdown(odoo));
    }

    [Fact]
    public async Task Countries_are_looked_up_once_per_code_not_per_record()
    {
        await using var odoo = OdooFixture.Start();
        var requests = Enumerable.Range(0, 10).Select(i => Customers.Request(Customers.Company($"cc-{i}", vat: null))).ToList();

        await odoo.Connector.UpsertManyAsync(requests);
        await odoo.Connector.UpsertManyAsync([Customers.Request(Customers.Company("cc-late", vat: null))]);

        Assert.Equal(1, odoo.Simulator.CallCount("res.country", "search_read"));
    }

    [Fact]
    public async Task Results_follow_input_order_and_carry_contact_ids()
    {
        await using var odoo = OdooFixture.Start();
        var customers = new[] { Customers.Person("p-1"), Customers.Company("c-1"), Customers.Person("p-2", "Grace Hopper", "grace@example.org") };

        var results = await odoo.Connector.UpsertManyAsync([.. customers.Select(c => Customers.Request(c))]);

        Assert.Equal("Ada Lovelace", odoo.Simulator.Partner(long.Parse(results[0].ExternalId!))!.Name);
        Assert.Equal("Acme GmbH", odoo.Simulator.Partner(long.Parse(results[1].ExternalId!))!.Name);
        Assert.Equal("Grace Hopper", odoo.Simulator.Partner(long.Parse(results[2].ExternalId!))!.Name);
        Assert.Equal(2, results[1].ContactExternalIds.Count);
        var contact = odoo.Simulator.Partner(long.Parse(results[1].ContactExternalIds["c-1-contact-1"]))!;
        Assert.Equal(long.Parse(results[1].ExternalId!), contact.ParentId);
        Assert.Equal("CFO", contact.Text("function"));
    }

    [Fact]
    public async Task A_row_Odoo_refuses_fails_alone_and_the_rest_is_resent()
    {
        // base_vat installed: Odoo refuses a VAT number of the wrong shape, inside load, for that row only.
        await using var odoo = OdooFixture.Start(new Testing.Odoo.OdooSimulatorOptions { ValidateVat = true });
        var requests = Enumerable.Range(0, 6).Select(i => Customers.Request(Customers.Company($"iso-{i}", name: $"Company {i}", vat: i == 3 ? "DE1" : $"DE10000000{i}", email: $"iso{i}@example.com"))).ToList();

        var results = await odoo.Connector.UpsertManyAsync(requests);

        Assert.Equal([true, true, true, false, true, true], results.Select(r => r.IsSuccess));
        Assert.Equal(ErrorCategory.Validation, results[3].Error!.Category);
        Assert.Contains(results[3].Error!.FieldErrors, e => e.Field == "$.taxIds");
        Assert.Equal(5, odoo.PartnerCount(p => p.IsCompany));
        Assert.DoesNotContain(odoo.Simulator.Partners, p => p.Name == "Company 3");
    }

    [Fact]
    public async Task Unknown_country_is_a_validation_error_naming_the_field_for_that_record_only()
    {
        await using var odoo = OdooFixture.Start();
        var bad = Customers.Company("bad-country", vat: null, country: "JP");

        var results = await odoo.Connector.UpsertManyAsync([Customers.Request(Customers.Company("good-1", vat: null)), Customers.Request(bad), Customers.Request(Customers.Company("good-2", name: "Other", vat: null))]);

        Assert.True(results[0].IsSuccess);
        Assert.True(results[2].IsSuccess);
        var error = results[1].Error!;
        Assert.Equal(ErrorCategory.Validation, error.Category);
        Assert.Equal("$.addresses[0].country", Assert.Single(error.FieldErrors).Field);
        Assert.Equal(2, odoo.PartnerCount(p => p.IsCompany));
    }

    [Fact]
    public async Task Unchanged_records_are_not_written_again()
    {
        await using var odoo = OdooFixture.Start();
        var requests = Enumerable.Range(0, 5).Select(i => Customers.Request(Customers.Company($"same-{i}", name: $"Same {i}", vat: null))).ToList();
        await odoo.Connector.UpsertManyAsync(requests);
        var loadsBefore = odoo.Simulator.CallCount("res.partner", "load");

        var again = await odoo.Connector.UpsertManyAsync(requests);
        requests[2] = Customers.Request(requests[2].Customer with { Name = "Renamed" });
        var changed = await odoo.Connector.UpsertManyAsync(requests);

        Assert.All(again, r => Assert.Equal(UpsertOutcome.Unchanged, r.Outcome));
        Assert.Equal(loadsBefore + 1, odoo.Simulator.CallCount("res.partner", "load"));
        Assert.Equal(UpsertOutcome.Updated, changed[2].Outcome);
        Assert.Equal(4, changed.Count(r => r.Outcome == UpsertOutcome.Unchanged));
    }

    [Fact]
    public async Task Archived_customer_archives_the_partner_and_back()
    {
        await using var odoo = OdooFixture.Start();
        var customer = Customers.Company("arch", vat: null);
        var created = await odoo.Connector.UpsertAsync(Customers.Request(customer));

        await odoo.Connector.UpsertAsync(Customers.Request(customer with { Status = CustomerStatus.Archived }));
        var archived = odoo.Simulator.Partner(long.Parse(created.ExternalId!))!;
        await odoo.Connector.UpsertAsync(Customers.Request(customer));

        Assert.False(archived.Active);
        Assert.True(odoo.Simulator.Partner(long.Parse(created.ExternalId!))!.Active);
        Assert.Equal(1, odoo.PartnerCount(p => p.IsCompany));
    }

    [Fact]
    public async Task Contacts_never_carry_an_address_column()
    {
        await using var odoo = OdooFixture.Start();

        await odoo.Connector.UpsertAsync(Customers.Request(Customers.Company("noaddr")));

        var contactLoads = odoo.Simulator.Journal.Where(e => e.Body?.Contains("parent_id/.id", StringComparison.Ordinal) == true && e.Body.Contains("\"contact\"", StringComparison.Ordinal));
        Assert.NotEmpty(contactLoads);
        Assert.All(contactLoads, e => Assert.DoesNotContain("\"street\"", e.Body!, StringComparison.Ordinal));
    }

    private static string Breakdown(OdooFixture odoo) => string.Join(", ", odoo.Simulator.Journal.Entries
        .Where(e => e.Body is not null && e.Body.Contains("execute_kw", StringComparison.Ordinal))
        .Select(e => System.Text.Json.Nodes.JsonNode.Parse(e.Body!)!["params"]!["args"]!.AsArray())
        .GroupBy(a => $"{a[3]}.{a[4]}")
        .Select(g => $"{g.Key}={g.Count()}"));
}
