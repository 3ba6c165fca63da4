using Concord.Canonical.Connectors;
using Concord.Canonical.Errors;
using Concord.Connectors.Salesforce.Tests.TestData;
using Concord.Testing.Salesforce;

namespace Concord.Connectors.Salesforce.Tests.Auth;

public sealed class SessionExpiryTests
{
    [Fact]
    public async Task Expired_session_gets_one_new_token_and_the_call_is_replayed_once()
    {
        using var sim = new SalesforceSimulator();
        await using var sf = sim.CreateConnector();
        await sf.Connector.UpsertAsync(Customers.Request(Customers.Company("exp-1")));
        sim.ExpireSessions();
        sim.Journal.Clear();

        var result = await sf.Connector.UpsertAsync(Customers.Request(Customers.Company("exp-1", name: "After expiry")));

        Assert.Equal(UpsertOutcome.Updated, result.Outcome);
        Assert.Equal(2, sim.TokenRequests);
        var upserts = sim.Journal.Calls("PATCH", "/services/data/v65.0/sobjects/Account/Concord_Id__c/exp-1");
        Assert.Equal([401, 200], upserts.Select(c => c.StatusCode));
        Assert.Single(sim.AccountsWithExternalId("exp-1"));
    }

    [Fact]
    public async Task Concurrent_calls_that_all_hit_an_expired_session_share_one_new_token()
    {
        using var sim = new SalesforceSimulator();
        await using var sf = sim.CreateConnector();
        await sf.Connector.GetAsync("001SIM000000001AAA");
        sim.ExpireSessions();

        await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => sf.Connector.GetAsync("001SIM000000001AAA")));

        // One for the cold cache; the 20 calls' 401s are all cured by a single new token (a late 401 may cost one more).
        Assert.InRange(sim.TokenRequests, 2, 3);
    }

    [Fact]
    public async Task Session_not_valid_for_the_REST_API_fails_fast_as_authentication_without_a_new_token()
    {
        using var sim = new SalesforceSimulator();
        await using var sf = sim.CreateConnector(OrgShape.Known);
        sim.DisableRestApi();

        var error = await Assert.ThrowsAsync<ConcordException>(() => sf.Connector.GetAsync("001SIM000000001AAA"));

        Assert.Equal(ErrorCategory.Authentication, error.Category);
        Assert.Equal("INVALID_SESSION_ID", error.VendorErrorCode);
        Assert.False(error.IsRetryable);
        Assert.Equal(1, sim.TokenRequests);
        Assert.Single(sim.Journal.Where(e => e.Path.EndsWith("/query", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task Second_401_after_a_new_token_is_an_authentication_failure()
    {
        using var sim = new SalesforceSimulator();
        await using var sf = sim.CreateConnector(OrgShape.Known);
        sim.FailNextApiCalls(2, 401, "INVALID_SESSION_ID", "Session expired or invalid");

        var error = await Assert.ThrowsAsync<ConcordException>(() => sf.Connector.GetAsync("001SIM000000001AAA"));

        Assert.Equal(ErrorCategory.Authentication, error.Category);
        Assert.Equal(2, sim.TokenRequests);
        Assert.Equal(2, sim.Journal.Where(e => e.Path.EndsWith("/query", StringComparison.Ordinal)).Count);
    }
}
