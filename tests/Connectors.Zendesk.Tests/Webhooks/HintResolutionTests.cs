using System.Globalization;
using System.Text.Json.Nodes;
using Concord.Testing.Zendesk;
using Microsoft.Extensions.Time.Testing;

namespace Concord.Connectors.Zendesk.Tests.Webhooks;

/// <summary>ResolveCustomerIdsAsync: a Zendesk user event (<c>zen:user:{id}</c>) names the organization the user belongs to.</summary>
public sealed class HintResolutionTests
{
    [Fact]
    public async Task A_user_event_names_the_users_organization_and_an_organization_event_names_itself()
    {
        await using var sim = new ZendeskSimulator();
        var acme = sim.SeedOrganization("Acme", "acme-1");
        var globex = sim.SeedOrganization("Globex", "globex-1");
        var ada = sim.SeedUser("Ada", "ada@acme.example", "c-1", acme);
        var bob = sim.SeedUser("Bob", "bob@acme.example", "c-2", acme);
        var lone = sim.SeedUser("Lone", "lone@example.com", "c-3"); // in no organization: no customer
        await using var zendesk = sim.CreateConnector();

        var users = await zendesk.Connector.ResolveCustomerIdsAsync("user", [Id(ada), Id(bob), Id(lone), "nonsense"]);
        var organizations = await zendesk.Connector.ResolveCustomerIdsAsync("organization", [Id(globex)]);

        Assert.Equal([Id(acme)], users);
        Assert.Equal([Id(globex)], organizations);
        Assert.Single(sim.Journal.Calls("GET", "/api/v2/users/show_many.json"));
    }

    [Fact]
    public async Task A_user_moved_to_another_organization_names_both_the_old_and_the_new_one()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var sim = new ZendeskSimulator(new ZendeskSimulatorOptions { TimeProvider = clock });
        var acme = sim.SeedOrganization("Acme", "acme-1");
        var globex = sim.SeedOrganization("Globex", "globex-1");
        var ada = sim.SeedUser("Ada", "ada@acme.example", "c-1", acme);
        clock.Advance(TimeSpan.FromMinutes(2)); // the incremental export reads up to a minute ago
        await using var zendesk = sim.CreateConnector();
        await foreach (var _ in zendesk.Connector.ReadChangesAsync(null))
        {
            // the change feed has read Ada in Acme
        }

        sim.EditUser(ada, new JsonObject { ["organization_id"] = globex });
        clock.Advance(TimeSpan.FromSeconds(5));

        Assert.Equal([Id(acme), Id(globex)], await zendesk.Connector.ResolveCustomerIdsAsync("user", [Id(ada)]));
    }

    [Fact]
    public async Task Ids_of_other_record_types_name_no_customer()
    {
        await using var sim = new ZendeskSimulator();
        await using var zendesk = sim.CreateConnector();

        Assert.Empty(await zendesk.Connector.ResolveCustomerIdsAsync("ticket", ["42"]));
        Assert.Empty(sim.Journal.Calls("GET", "/api/v2/users/show_many.json"));
    }

    [Fact]
    public async Task A_hundred_and_fifty_users_are_resolved_in_two_show_many_calls()
    {
        await using var sim = new ZendeskSimulator();
        var organizations = Enumerable.Range(0, 3).Select(i => sim.SeedOrganization($"Org {i}", $"o-{i}")).ToList();
        var users = Enumerable.Range(0, 150).Select(i => sim.SeedUser($"User {i}", $"u{i}@example.com", $"u-{i}", organizations[i % 3])).ToList();
        await using var zendesk = sim.CreateConnector();

        var resolved = await zendesk.Connector.ResolveCustomerIdsAsync("user", [.. users.Select(Id)]);

        Assert.Equal(organizations.Select(Id), resolved);
        Assert.Equal(2, sim.Journal.Calls("GET", "/api/v2/users/show_many.json").Count);
    }

    private static string Id(long id) => id.ToString(CultureInfo.InvariantCulture);
}
