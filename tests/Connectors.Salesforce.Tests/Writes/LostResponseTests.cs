using Concord.Connectors.Salesforce.Tests.TestData;
using Concord.Testing;
using Concord.Testing.Salesforce;

namespace Concord.Connectors.Salesforce.Tests.Writes;

public sealed class LostResponseTests
{
    [Fact]
    public async Task Lost_responses_then_retries_leave_exactly_one_account_and_one_of_each_contact()
    {
        using var sim = new SalesforceSimulator();
        await using var sf = sim.CreateConnector(OrgShape.Known);
        // The first account write and the first contact write are applied, but their answers never arrive.
        sim.Faults.LoseNextResponses(1, r => r.Method == "PATCH" && r.Path.Contains("/sobjects/Account/", StringComparison.Ordinal));
        sim.Faults.LoseNextResponses(1, r => r.Method == "PATCH" && r.Path.Contains("/sobjects/Contact/", StringComparison.Ordinal));

        var result = await sf.Connector.UpsertAsync(Customers.Request(Customers.Company("lost-1", contacts: 2)));

        Assert.True(result.IsSuccess);
        Assert.Equal(2, sim.Journal.Where(e => e.Path.Contains("/sobjects/Account/", StringComparison.Ordinal)).Count);
        Assert.Equal(2, sim.Journal.Where(e => e.Path.Contains("/sobjects/Contact/", StringComparison.Ordinal)).Count);
        Assert.Contains(sim.Journal.Entries, e => e.Fault == FaultKind.LostResponse);
        var account = Assert.Single(sim.Accounts);
        Assert.Equal(2, sim.Contacts.Count);
        Assert.Equal(["lost-1-c1", "lost-1-c2"], sim.Contacts.Select(c => c["Concord_Id__c"]).Order());
        Assert.All(sim.Contacts, c => Assert.Equal(account.Id, c.AccountId));
        // The retried answer reports an update; the connector still returns the one account's id.
        Assert.Equal(account.Id, result.ExternalId);
    }

    [Fact]
    public async Task Lost_collection_response_then_retry_creates_no_duplicates()
    {
        using var sim = new SalesforceSimulator();
        await using var sf = sim.CreateConnector();
        sim.Faults.LoseNextResponses(1, r => r.Path.EndsWith("/composite/sobjects/Account/Concord_Id__c", StringComparison.Ordinal));

        var results = await sf.Connector.UpsertManyAsync(Customers.Requests(5, contactsEach: 1));

        Assert.All(results, r => Assert.True(r.IsSuccess));
        Assert.Equal(5, sim.Accounts.Count);
        Assert.Equal(5, sim.Accounts.Select(a => a["Concord_Id__c"]).Distinct().Count());
        Assert.Equal(5, sim.Contacts.Count);
    }
}
