using Concord.Canonical.Connectors;
using Concord.Testing.HubSpot;

namespace Concord.Connectors.HubSpot.Tests.Reads;

/// <summary>What a webhook event names: a company event the customer itself, a contact event the companies it is linked to.</summary>
public sealed class WebhookHintTests
{
    [Fact]
    public async Task A_contact_event_names_the_companies_the_contact_is_linked_to_in_one_link_read()
    {
        await using var sim = new HubSpotSimulator();
        await using var hubspot = sim.CreateConnector();
        var company = sim.SeedCompany(new Dictionary<string, string> { ["name"] = "Acme GmbH" });
        var linked = sim.SeedContact(new Dictionary<string, string> { ["email"] = "ada@acme.example" }, company);
        var loose = sim.SeedContact(new Dictionary<string, string> { ["email"] = "bob@nowhere.example" });
        sim.Journal.Clear();

        var ids = await ((ICustomerConnector)hubspot.Connector).ResolveCustomerIdsAsync("contact", [linked, loose, linked]);

        Assert.Equal([company], ids);
        Assert.Equal(1, sim.Journal.Count);
    }

    [Fact]
    public async Task A_company_event_names_the_company_itself_without_a_call()
    {
        await using var sim = new HubSpotSimulator();
        await using var hubspot = sim.CreateConnector();

        var ids = await ((ICustomerConnector)hubspot.Connector).ResolveCustomerIdsAsync("company", ["101", "101", "102"]);

        Assert.Equal(["101", "102"], ids);
        Assert.Equal(0, sim.Journal.Count);
    }
}
