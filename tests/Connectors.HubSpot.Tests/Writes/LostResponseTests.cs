using Concord.Canonical.Errors;
using Concord.Connectors.HubSpot.Tests.TestData;
using Concord.Testing;
using Concord.Testing.HubSpot;

namespace Concord.Connectors.HubSpot.Tests.Writes;

public sealed class LostResponseTests
{
    [Fact]
    public async Task Lost_responses_after_the_writes_applied_then_retries_leave_one_company_and_one_of_each_contact()
    {
        await using var sim = new HubSpotSimulator();
        await using var hubspot = sim.CreateConnector();
        // The company batch, the contact batch and the link batch are each applied once and their answers never arrive.
        sim.Faults.LoseNextResponses(1, r => r.Path.EndsWith("/companies/batch/upsert", StringComparison.Ordinal));
        sim.Faults.LoseNextResponses(1, r => r.Path.EndsWith("/contacts/batch/upsert", StringComparison.Ordinal));
        sim.Faults.LoseNextResponses(1, r => r.Path.EndsWith("/contacts/companies/batch/create", StringComparison.Ordinal));

        var result = await hubspot.Connector.UpsertAsync(Customers.Request(Customers.Company("lost-1", contacts: 2)));

        Assert.True(result.IsSuccess, result.Error?.Message);
        Assert.Equal(3, sim.Journal.Entries.Count(e => e.Fault == FaultKind.LostResponse));
        var company = Assert.Single(sim.Companies);
        Assert.Equal(2, sim.Contacts.Count);
        Assert.Equal(["lost-1-c1", "lost-1-c2"], sim.Contacts.Select(c => c["concord_external_id"]).Order());
        Assert.All(sim.Contacts, c => Assert.Equal(company.Id, c["associatedcompanyid"]));
        Assert.Equal(company.Id, result.ExternalId);
        // The resent batch found the records the lost one created: reported as updated, never created twice.
        Assert.Equal(Concord.Canonical.Connectors.UpsertOutcome.Updated, result.Outcome);
    }

    [Fact]
    public async Task A_whole_call_lost_after_the_company_was_written_and_replayed_by_the_engine_creates_nothing_twice()
    {
        await using var sim = new HubSpotSimulator();
        await using var hubspot = sim.CreateConnector();
        // Every attempt at the contacts is lost (the pipeline gives up): the call fails after the company was written.
        sim.Faults.LoseNextResponses(10, r => r.Path.EndsWith("/contacts/batch/upsert", StringComparison.Ordinal));
        var request = Customers.Request(Customers.Company("replay-1", contacts: 2));

        var first = await Assert.ThrowsAsync<ConcordException>(() => hubspot.Connector.UpsertAsync(request));
        sim.Faults.Clear();
        var replay = await hubspot.Connector.UpsertAsync(request);

        Assert.Equal(ErrorCategory.Transient, first.Category);
        Assert.True(replay.IsSuccess);
        Assert.Single(sim.Companies);
        Assert.Equal(2, sim.Contacts.Count);
        Assert.Equal(2, sim.ContactsOf(replay.ExternalId!).Count);
    }
}
