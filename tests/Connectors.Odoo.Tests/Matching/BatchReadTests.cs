using System.Globalization;
using Concord.Canonical;
using Concord.Canonical.Connectors;
using Concord.Connectors.Odoo.Tests.Support;
using Concord.Testing.Odoo;

namespace Concord.Connectors.Odoo.Tests.Matching;

/// <summary>GetManyAsync and FindManyAsync: one answer per entry in input order, for a bounded number of calls.</summary>
public sealed class BatchReadTests
{
    [Theory]
    [InlineData("18.0")]
    [InlineData("19.0")]
    public async Task GetMany_answers_in_input_order_with_nulls_for_unknown_deleted_and_malformed_ids_in_one_read(string version)
    {
        await using var odoo = OdooFixture.Start(new OdooSimulatorOptions { ServerVersion = version });
        var created = await odoo.Connector.UpsertManyAsync([.. Enumerable.Range(0, 4).Select(i => Customers.Request(Customers.Company($"gm-{i}", name: $"Company {i}", vat: $"DE90000000{i}")))]);
        var ids = created.Select(r => r.ExternalId!).ToArray();
        odoo.Simulator.DeletePartner(long.Parse(ids[2], CultureInfo.InvariantCulture));
        string[] input = [ids[3], "424242", ids[0], "not-a-number", ids[3], "-5", "0", ids[2], "", ids[1]];
        var before = odoo.CallCount;

        var found = await odoo.Connector.GetManyAsync(input);

        Assert.Equal(1, odoo.CallCount - before);
        Assert.Equal([ids[3], null, ids[0], null, ids[3], null, null, null, null, ids[1]], found.Select(c => c?.Provenance.ExternalIdIn("odoo")));
        Assert.Equal(["Company 3", "Company 0", "Company 3", "Company 1"], found.OfType<CanonicalCustomer>().Select(c => c.Name));
        Assert.All(found.OfType<CanonicalCustomer>(), c => Assert.Equal(2, c.Contacts.Length));
        for (var i = 0; i < input.Length; i++)
        {
            var single = PartnerIds(await odoo.Connector.GetAsync(input[i] is "" ? "x" : input[i]));
            Assert.Equal(single, PartnerIds(found[i]));
        }
    }

    [Fact]
    public async Task GetMany_without_a_well_formed_id_makes_no_call()
    {
        await using var odoo = OdooFixture.Start();

        var found = await odoo.Connector.GetManyAsync(["abc", "-1", "1.5", ""]);

        Assert.Equal([null, null, null, null], found);
        Assert.Equal(0, odoo.CallCount);
    }

    [Fact]
    public async Task GetMany_reads_one_page_of_partners_per_call()
    {
        await using var odoo = OdooFixture.Start(configure: o => o.PageSize = 10);
        var ids = Enumerable.Range(0, 25).Select(i => odoo.Simulator.CreatePartner(new OdooPartnerSeed { Name = $"P{i}", IsCompany = true })).ToArray();
        await odoo.Connector.GetServerVersionAsync();
        var before = odoo.Simulator.CallCount("res.partner", "search_read");

        var found = await odoo.Connector.GetManyAsync([.. ids.Select(id => id.ToString(CultureInfo.InvariantCulture))]);

        Assert.Equal(3, odoo.Simulator.CallCount("res.partner", "search_read") - before);
        Assert.Equal(Enumerable.Range(0, 25).Select(i => $"P{i}"), found.Select(c => c!.Name));
    }

    [Theory]
    [InlineData("18.0")]
    [InlineData("19.0")]
    public async Task FindMany_answers_each_entry_as_FindAsync_does_with_one_search_and_one_read(string version)
    {
        await using var odoo = OdooFixture.Start(new OdooSimulatorOptions { ServerVersion = version });
        var sim = odoo.Simulator;
        var alpha = sim.CreatePartner(new OdooPartnerSeed { Name = "Alpha", IsCompany = true, Vat = "DE111", Email = "info@alpha.example", Website = "https://www.alpha.example", CountryCode = "DE" });
        var beta = sim.CreatePartner(new OdooPartnerSeed { Name = "Beta", IsCompany = true, Vat = "DE222", Email = "sales@beta.example", Website = "https://beta.example", CountryCode = "DE" });
        var gamma = sim.CreatePartner(new OdooPartnerSeed { Name = "Gamma", IsCompany = true, Vat = "FR333", Email = "Info@Alpha.example", CountryCode = "FR" });
        var delta = sim.CreatePartner(new OdooPartnerSeed { Name = "Delta", IsCompany = true, Vat = "DE444", Active = false });
        sim.CreatePartner(new OdooPartnerSeed { Name = "Zeta buyer", ParentId = beta, Email = "buyer@zeta.example" });
        var registry = sim.CreatePartner(new OdooPartnerSeed { Name = "Registered", IsCompany = true, CompanyRegistry = "HRB 1234" });
        var ada = sim.CreatePartner(new OdooPartnerSeed { Name = "Ada", Email = "ada_l@example.org" });
        var adax = sim.CreatePartner(new OdooPartnerSeed { Name = "Adax", Email = "ADAXL@example.org" });
        var referenced = sim.CreatePartner(new OdooPartnerSeed { Name = "Referenced", IsCompany = true, Ref = "R-7" });
        MatchKeys[] keys =
        [
            Vat("DE111"),                                                           // 0: Alpha
            new() { Emails = ["INFO@ALPHA.EXAMPLE"] },                              // 1: Alpha and Gamma (=ilike ignores case)
            new() { Domain = "beta.example" },                                      // 2: Beta (website ilike)
            Vat("DE444"),                                                           // 3: Delta, archived
            new() { Emails = ["nobody@nowhere.example"] },                          // 4: nothing
            new(),                                                                  // 5: empty keys
            new() { Emails = ["buyer@zeta.example"] },                              // 6: only a child contact has it: nothing
            new() { TaxIds = [new TaxIdentifier { Type = TaxIdType.CompanyRegistry, Value = "HRB 1234", Country = "DE" }] }, // 7
            new() { Emails = ["ada_l@example.org"] },                               // 8: Ada and Adax ('_' is a wildcard in =ilike)
            new() { TaxIds = [Tax("DE222")], Emails = ["info@alpha.example"] },     // 9: Beta (vat scores 8) before Alpha and Gamma (email 4)
            new() { Reference = "R-7" },                                            // 10
            new() { Emails = ["INFO@ALPHA.EXAMPLE"] },                              // 11: the same keys again
        ];
        await odoo.Connector.GetServerVersionAsync();
        var searchReads = sim.CallCount("res.partner", "search_read");

        var many = await odoo.Connector.FindManyAsync(keys);

        Assert.Equal(2, sim.CallCount("res.partner", "search_read") - searchReads);
        Assert.Equal(keys.Length, many.Count);
        long[][] expected = [[alpha], [alpha, gamma], [beta], [delta], [], [], [], [registry], [ada, adax], [beta, alpha, gamma], [referenced], [alpha, gamma]];
        Assert.Equal(expected.Select(e => string.Join(",", e)), many.Select(Ids));

        searchReads = sim.CallCount("res.partner", "search_read");
        foreach (var (entry, i) in keys.Select((k, i) => (k, i)))
        {
            Assert.Equal(Ids(await odoo.Connector.FindAsync(entry)), Ids(many[i]));
        }

        var oneByOne = sim.CallCount("res.partner", "search_read") - searchReads;
        Assert.Equal(20, oneByOne); // 11 entries with keys: one search each, plus one read for each of the 9 that match.

        // Everything cached now: a second pass costs exactly its two partner calls.
        var calls = odoo.CallCount;
        await odoo.Connector.FindManyAsync(keys);
        Assert.Equal(2, odoo.CallCount - calls);
    }

    [Fact]
    public async Task FindMany_keeps_searching_for_entries_still_short_of_matches_when_a_page_comes_back_full()
    {
        await using var odoo = OdooFixture.Start();
        var sim = odoo.Simulator;
        for (var i = 0; i < 120; i++)
        {
            sim.CreatePartner(new OdooPartnerSeed { Name = $"Shop {i}", IsCompany = true, Website = $"https://shop{i}.bulk.example" });
        }

        var last = sim.CreatePartner(new OdooPartnerSeed { Name = "Last", IsCompany = true, Vat = "NL999" });
        MatchKeys[] keys = [new() { Domain = "bulk.example" }, Vat("NL999")];
        await odoo.Connector.GetServerVersionAsync();
        var searchReads = sim.CallCount("res.partner", "search_read");

        var many = await odoo.Connector.FindManyAsync(keys);

        // Page 1 (limit 2 x 50) is all shops: the first entry is full; page 2 searches only for the second.
        Assert.Equal(3, sim.CallCount("res.partner", "search_read") - searchReads);
        Assert.Equal(50, many[0].Count);
        Assert.Equal(last.ToString(CultureInfo.InvariantCulture), Assert.Single(many[1]).Provenance.ExternalIdIn("odoo"));
        Assert.Equal(Ids(await odoo.Connector.FindAsync(keys[0])), Ids(many[0]));
        Assert.Equal(Ids(await odoo.Connector.FindAsync(keys[1])), Ids(many[1]));
    }

    [Fact]
    public async Task FindMany_splits_a_large_page_into_bounded_searches()
    {
        await using var odoo = OdooFixture.Start();
        var sim = odoo.Simulator;
        var partners = new Dictionary<int, long>();
        for (var i = 0; i < 450; i += 10)
        {
            partners[i] = sim.CreatePartner(new OdooPartnerSeed { Name = $"Customer {i}", IsCompany = true, Email = $"c{i}@example.com" });
        }

        var keys = Enumerable.Range(0, 450).Select(i => new MatchKeys { Emails = [$"c{i}@example.com"] }).ToArray();
        await odoo.Connector.GetServerVersionAsync();
        var searchReads = sim.CallCount("res.partner", "search_read");

        var many = await odoo.Connector.FindManyAsync(keys);

        // 200 + 200 + 50 entries: one search and one read each.
        Assert.Equal(6, sim.CallCount("res.partner", "search_read") - searchReads);
        for (var i = 0; i < keys.Length; i++)
        {
            Assert.Equal(partners.TryGetValue(i, out var id) ? id.ToString(CultureInfo.InvariantCulture) : string.Empty, Ids(many[i]));
        }
    }

    [Fact]
    public async Task FindMany_of_only_empty_keys_makes_no_call()
    {
        await using var odoo = OdooFixture.Start();

        var many = await odoo.Connector.FindManyAsync([new MatchKeys(), new MatchKeys { Emails = [" "], Domain = "" }]);

        Assert.All(many, Assert.Empty);
        Assert.Equal(0, odoo.CallCount);
    }

    private static MatchKeys Vat(string value) => new() { TaxIds = [Tax(value)] };

    private static TaxIdentifier Tax(string value) => new() { Type = TaxIdType.Vat, Value = value, Country = value[..2] };

    private static string Ids(IReadOnlyList<CanonicalCustomer> customers) => string.Join(",", customers.Select(c => c.Provenance.ExternalIdIn("odoo")));

    private static string? PartnerIds(CanonicalCustomer? customer) =>
        customer is null ? null : customer.Provenance.ExternalIdIn("odoo") + ":" + string.Join(",", customer.Contacts.Select(c => c.Name));
}
