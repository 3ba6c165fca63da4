using System.Globalization;
using Concord.Canonical.Connectors;
using Concord.Connectors.Zendesk.Tests.TestData;
using Concord.Testing.Zendesk;

namespace Concord.Connectors.Zendesk.Tests.Reads;

public sealed class ReadTests
{
    [Fact]
    public async Task GetMany_reads_a_hundred_organizations_per_show_many_call_and_answers_in_input_order()
    {
        await using var sim = new ZendeskSimulator();
        var ids = Enumerable.Range(0, 150).Select(i => sim.SeedOrganization($"Org {i}", $"o-{i}").ToString(CultureInfo.InvariantCulture)).ToList();
        await using var zendesk = sim.CreateConnector();
        var asked = ids.AsEnumerable().Reverse().Append("12345").ToList();

        var found = await zendesk.Connector.GetManyAsync(asked);

        Assert.Equal(151, found.Count);
        Assert.Equal("Org 149", found[0]!.Name);
        Assert.Null(found[150]);
        Assert.Equal(2, sim.Journal.Calls("GET", "/api/v2/organizations/show_many.json").Count);
    }

    [Fact]
    public async Task An_organization_reads_with_its_end_users_as_contacts()
    {
        await using var sim = new ZendeskSimulator();
        var id = sim.SeedOrganization("Acme", "acme-1", ["acme.example"]);
        sim.SeedUser("Ada", "ada@acme.example", "c-1", id);
        var agent = sim.SeedUser("Agent", "agent@acme.example", null, id);
        sim.EditUser(agent, new System.Text.Json.Nodes.JsonObject { ["role"] = "agent" });
        await using var zendesk = sim.CreateConnector();

        var customer = await zendesk.Connector.GetAsync(id.ToString(CultureInfo.InvariantCulture));

        Assert.Equal(("Acme", "acme-1", "acme.example"), (customer!.Name, customer.Provenance.CanonicalId, customer.Domain));
        var contact = Assert.Single(customer.Contacts);
        Assert.Equal(("c-1", "ada@acme.example"), (contact.Id, contact.Emails[0].Address));
    }

    [Fact]
    public async Task FindMany_searches_each_distinct_domain_and_email_once_and_puts_the_best_match_first()
    {
        await using var sim = new ZendeskSimulator();
        var acme = sim.SeedOrganization("Acme", "a", ["acme.example"]);
        var other = sim.SeedOrganization("Other", "b", ["other.example"]);
        sim.SeedUser("Ada", "ada@other.example", "u-1", other);
        sim.SeedUser("Bob", "bob@acme.example", "u-2", acme);
        await using var zendesk = sim.CreateConnector();
        MatchKeys[] keys =
        [
            new() { Domain = "acme.example", Emails = ["ada@other.example", "bob@acme.example"] },
            new() { Domain = "acme.example" },
            new() { Emails = ["nobody@example.com"] },
        ];

        var found = await zendesk.Connector.FindManyAsync(keys);

        Assert.Equal(["Acme", "Other"], found[0].Select(c => c.Name));
        Assert.Equal(["Acme"], found[1].Select(c => c.Name));
        Assert.Empty(found[2]);
        Assert.Single(sim.Journal.Calls("GET", "/api/v2/search.json"));
        Assert.Equal(3, sim.Journal.Calls("GET", "/api/v2/users/search.json").Count);
        Assert.Single(sim.Journal.Calls("GET", "/api/v2/organizations/show_many.json"));
    }
}
