using Concord.Canonical;
using Concord.Canonical.Connectors;
using Concord.Canonical.Errors;
using Concord.Connectors.Salesforce.Tests.TestData;
using Concord.Testing.Salesforce;

namespace Concord.Connectors.Salesforce.Tests.Writes;

/// <summary>
/// Records the engine adopted (matched, or read from Salesforce without <c>Concord_Id__c</c>) are written by their
/// Salesforce id and get the canonical id stamped, never a twin.
/// </summary>
public sealed class KnownIdTests : IDisposable
{
    private readonly SalesforceSimulator _sim = new();

    [Fact]
    public async Task Known_account_id_updates_that_account_by_id_and_stamps_the_canonical_id()
    {
        var handMade = _sim.SeedAccount(null, "Acme (made by hand)");
        await using var sf = _sim.CreateConnector();

        var result = await sf.Connector.UpsertAsync(Customers.Request(Customers.Company("adopt-1")) with { KnownExternalId = handMade });

        Assert.Equal(UpsertOutcome.Updated, result.Outcome);
        Assert.Equal(handMade, result.ExternalId);
        var account = Assert.Single(_sim.Accounts);
        Assert.Equal("adopt-1", account["Concord_Id__c"]);
        Assert.Equal("Company adopt-1", account["Name"]);
        Assert.Single(_sim.Journal.Calls("PATCH", "/services/data/v65.0/sobjects/Account/" + handMade));
        Assert.Empty(_sim.Journal.Where(e => e.Path.Contains("/Concord_Id__c", StringComparison.Ordinal) && e.Path.Contains("Account", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task Known_ids_in_a_batch_are_updated_in_one_collections_update_and_the_rest_upserted_by_external_id()
    {
        var first = _sim.SeedAccount(null, "First by hand");
        var second = _sim.SeedAccount(null, "Second by hand");
        await using var sf = _sim.CreateConnector();
        var requests = Customers.Requests(4);
        requests = [requests[0] with { KnownExternalId = first }, requests[1], requests[2] with { KnownExternalId = second }, requests[3]];

        var results = await sf.Connector.UpsertManyAsync(requests);

        Assert.Equal([UpsertOutcome.Updated, UpsertOutcome.Created, UpsertOutcome.Updated, UpsertOutcome.Created], results.Select(r => r.Outcome));
        Assert.Equal(first, results[0].ExternalId);
        Assert.Equal(second, results[2].ExternalId);
        Assert.Equal(4, _sim.Accounts.Count);
        Assert.Equal("a-1", _sim.Accounts.Single(a => a.Id == first)["Concord_Id__c"]);
        Assert.Equal("a-3", _sim.Accounts.Single(a => a.Id == second)["Concord_Id__c"]);
        Assert.Single(_sim.Journal.Calls("PATCH", "/services/data/v65.0/composite/sobjects"));
        Assert.Single(_sim.Journal.Calls("PATCH", "/services/data/v65.0/composite/sobjects/Account/Concord_Id__c"));
    }

    [Fact]
    public async Task Known_contact_id_updates_that_contact_instead_of_creating_a_twin()
    {
        var account = _sim.SeedAccount(null, "Acme");
        var contact = _sim.SeedContact(account, null, "Lovelace", new Dictionary<string, object?> { ["FirstName"] = "Ada" });
        await using var sf = _sim.CreateConnector();
        var customer = Customers.Company("adopt-2", contacts: 2);
        customer = customer with { Contacts = [customer.Contacts[0] with { ExternalRefs = [new ExternalRef(sf.Connector.Name, contact)] }, customer.Contacts[1]] };

        var result = await sf.Connector.UpsertAsync(Customers.Request(customer) with { KnownExternalId = account });

        Assert.True(result.IsSuccess, result.Error?.Message);
        Assert.Equal(contact, result.ContactExternalIds["adopt-2-c1"]);
        Assert.Equal(2, _sim.Contacts.Count);
        var adopted = _sim.Contacts.Single(c => c.Id == contact);
        Assert.Equal("adopt-2-c1", adopted["Concord_Id__c"]);
        Assert.Equal("Lovelace1", adopted["LastName"]);
        Assert.Equal(account, adopted.AccountId);
        Assert.Equal(account, _sim.Contacts.Single(c => c["Concord_Id__c"] == "adopt-2-c2").AccountId);
    }

    [Fact]
    public async Task Known_id_of_a_deleted_account_is_a_not_found_failure_and_nothing_is_created()
    {
        var gone = _sim.SeedAccount(null, "Gone");
        _sim.DeleteRecord(gone);
        await using var sf = _sim.CreateConnector();

        var single = await sf.Connector.UpsertAsync(Customers.Request(Customers.Company("gone-1")) with { KnownExternalId = gone });
        var many = await sf.Connector.UpsertManyAsync([Customers.Request(Customers.Company("gone-1")) with { KnownExternalId = gone }, Customers.Request(Customers.Company("ok-1"))]);

        Assert.Equal(ErrorCategory.NotFound, single.Error!.Category);
        Assert.Equal(ErrorCategory.NotFound, many[0].Error!.Category);
        Assert.True(many[1].IsSuccess);
        Assert.Empty(_sim.AccountsWithExternalId("gone-1"));
    }

    [Fact]
    public async Task Stamping_a_canonical_id_another_account_holds_is_a_conflict_naming_that_account()
    {
        _sim.SeedAccount("taken-1", "Holder");
        var handMade = _sim.SeedAccount(null, "By hand");
        await using var sf = _sim.CreateConnector();

        var result = await sf.Connector.UpsertAsync(Customers.Request(Customers.Company("taken-1")) with { KnownExternalId = handMade });

        Assert.Equal(ErrorCategory.Conflict, result.Error!.Category);
        Assert.Equal("DUPLICATE_VALUE", result.Error.VendorErrorCode);
    }

    public void Dispose() => _sim.Dispose();
}
