using Concord.Canonical.Connectors;
using Concord.Connectors.Zendesk.Tests.TestData;
using Concord.Testing;
using Concord.Testing.Zendesk;

namespace Concord.Connectors.Zendesk.Tests.Writes;

public sealed class LostResponseTests
{
    [Fact]
    public async Task Lost_job_answers_then_retries_leave_exactly_one_organization_and_one_of_each_user()
    {
        await using var sim = new ZendeskSimulator(new ZendeskSimulatorOptions { BulkUserImportEnabled = true });
        await using var zendesk = sim.CreateConnector();

        // The jobs are accepted and run, but their answers never arrive: the connector sends them again.
        sim.Faults.LoseNextResponses(1, r => r.Path.EndsWith("/organizations/create_many.json", StringComparison.Ordinal));
        sim.Faults.LoseNextResponses(1, r => r.Path.EndsWith("/users/create_or_update_many.json", StringComparison.Ordinal));
        var requests = Customers.Requests(5, contactsEach: 2);

        var results = await zendesk.Connector.UpsertManyAsync(requests);

        Assert.All(results, r => Assert.True(r.IsSuccess, r.Error?.Message));
        Assert.Equal(2, sim.Journal.Calls("POST", "/api/v2/organizations/create_many.json").Count);
        Assert.Contains(sim.Journal.Entries, e => e.Fault == FaultKind.LostResponse);
        Assert.Equal(5, sim.Organizations.Count);
        Assert.Equal(10, sim.Users.Count);
        foreach (var (request, result) in requests.Zip(results))
        {
            var organization = Assert.Single(sim.OrganizationsWithExternalId(request.Customer.Provenance.CanonicalId!));
            Assert.Equal(organization.Id.ToString(System.Globalization.CultureInfo.InvariantCulture), result.ExternalId);
            foreach (var contact in request.Customer.Contacts)
            {
                var user = Assert.Single(sim.UsersWithExternalId(contact.Id!));
                Assert.Equal(organization.Id, user.OrganizationId);
                Assert.Equal(user.Id.ToString(System.Globalization.CultureInfo.InvariantCulture), result.ContactExternalIds[contact.Id!]);
            }
        }
    }

    [Fact]
    public async Task Lost_single_answers_then_retries_leave_exactly_one_organization_and_one_of_each_user()
    {
        await using var sim = new ZendeskSimulator(); // bulk import off: users go one by one
        await using var zendesk = sim.CreateConnector();
        sim.Faults.LoseNextResponses(1, r => r.Path.EndsWith("/organizations/create_or_update.json", StringComparison.Ordinal));
        sim.Faults.LoseNextResponses(2, r => r.Path.EndsWith("/users/create_or_update.json", StringComparison.Ordinal));

        var result = await zendesk.Connector.UpsertAsync(Customers.Request(Customers.Company("lost-1", contacts: 2)));

        Assert.True(result.IsSuccess, result.Error?.Message);
        Assert.Equal(2, sim.Journal.Calls("POST", "/api/v2/organizations/create_or_update.json").Count);
        // Two users, two answers lost: at least four calls (a resend may also meet the one-a-second limit and wait it out).
        Assert.True(sim.Journal.Calls("POST", "/api/v2/users/create_or_update.json").Count >= 4);
        var organization = Assert.Single(sim.Organizations);
        Assert.Equal(organization.Id.ToString(System.Globalization.CultureInfo.InvariantCulture), result.ExternalId);
        Assert.Equal(["lost-1-c1", "lost-1-c2"], sim.Users.Select(u => u.ExternalId).Order());
        Assert.All(sim.Users, u => Assert.Equal(organization.Id, u.OrganizationId));
    }

    [Fact]
    public async Task A_lost_create_many_answer_whose_job_runs_after_the_retry_still_leaves_one_organization()
    {
        // The first (lost) job is still queued when the retried one runs: the retry creates, the first then fails its
        // items as duplicates of the external id. Either way Zendesk's unique external_id keeps one record.
        await using var sim = new ZendeskSimulator(new ZendeskSimulatorOptions { BulkUserImportEnabled = true, JobQueuedTime = TimeSpan.FromMilliseconds(300) });
        await using var zendesk = sim.CreateConnector();
        sim.Faults.LoseNextResponses(1, r => r.Path.EndsWith("/organizations/create_many.json", StringComparison.Ordinal));

        var results = await zendesk.Connector.UpsertManyAsync(Customers.Requests(3, contactsEach: 1));
        var again = await zendesk.Connector.UpsertManyAsync(Customers.Requests(3, contactsEach: 1));

        Assert.All(results, r => Assert.True(r.IsSuccess, r.Error?.Message));
        Assert.All(again, r => Assert.Equal(UpsertOutcome.Unchanged, r.Outcome));
        Assert.Equal(3, sim.Organizations.Count);
        Assert.Equal(3, sim.Users.Count);
    }
}
