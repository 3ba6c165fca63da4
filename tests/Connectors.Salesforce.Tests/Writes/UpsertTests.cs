using Concord.Canonical;
using Concord.Canonical.Connectors;
using Concord.Canonical.Errors;
using Concord.Connectors.Salesforce.Tests.TestData;
using Concord.Testing.Salesforce;

namespace Concord.Connectors.Salesforce.Tests.Writes;

public sealed class UpsertTests : IDisposable
{
    private const string Accounts = "/services/data/v65.0/composite/sobjects/Account/Concord_Id__c";
    private const string Contacts = "/services/data/v65.0/composite/sobjects/Contact/Concord_Id__c";
    private readonly SalesforceSimulator _sim = new();

    [Fact]
    public async Task Single_upsert_patches_the_account_by_external_id_and_reports_created_then_updated()
    {
        await using var sf = _sim.CreateConnector();

        var created = await sf.Connector.UpsertAsync(Customers.Request(Customers.Company("one-1")));
        var updated = await sf.Connector.UpsertAsync(Customers.Request(Customers.Company("one-1", name: "Acme Renamed")));

        Assert.Equal(UpsertOutcome.Created, created.Outcome);
        Assert.Equal(UpsertOutcome.Updated, updated.Outcome);
        Assert.Equal(created.ExternalId, updated.ExternalId);
        var calls = _sim.Journal.Calls("PATCH", "/services/data/v65.0/sobjects/Account/Concord_Id__c/one-1");
        Assert.Equal([201, 200], calls.Select(c => c.StatusCode));
        Assert.DoesNotContain("Concord_Id__c", calls[0].Body, StringComparison.Ordinal); // the external id travels in the URL only
        var account = Assert.Single(_sim.Accounts);
        Assert.Equal("Acme Renamed", account["Name"]);
        Assert.Equal("Unter den Linden 1\nHof 2", account["BillingStreet"]);
        Assert.Equal("BE", account["BillingState"]);
        Assert.Equal("Germany", account["BillingCountry"]); // the name: a picklist org takes only that (issue 17 §8)
    }

    [Fact]
    public async Task Many_upserts_go_in_collections_of_200_with_results_in_input_order()
    {
        await using var sf = _sim.CreateConnector();
        var requests = Customers.Requests(450);

        var results = await sf.Connector.UpsertManyAsync(requests);

        Assert.Equal(450, results.Count);
        Assert.Equal(3, _sim.Journal.Calls("PATCH", Accounts).Count);
        var byExternalId = _sim.Accounts.ToDictionary(a => a.Id, a => a["Concord_Id__c"]);
        for (var i = 0; i < requests.Count; i++)
        {
            Assert.Equal(UpsertOutcome.Created, results[i].Outcome);
            Assert.Equal(requests[i].Customer.Provenance.CanonicalId, byExternalId[results[i].ExternalId!]);
        }
    }

    [Fact]
    public async Task Collections_call_is_allOrNone_false_with_attributes_type_and_external_id_in_each_record()
    {
        await using var sf = _sim.CreateConnector();

        await sf.Connector.UpsertManyAsync(Customers.Requests(2));

        var body = System.Text.Json.Nodes.JsonNode.Parse(Assert.Single(_sim.Journal.Calls("PATCH", Accounts)).Body!)!;
        Assert.False(body["allOrNone"]!.GetValue<bool>());
        var first = body["records"]![0]!;
        Assert.Equal("Account", first["attributes"]!["type"]!.GetValue<string>());
        Assert.Equal("a-1", first["Concord_Id__c"]!.GetValue<string>());
    }

    [Fact]
    public async Task Contacts_follow_their_account_linked_by_the_id_its_write_returned_without_lookups()
    {
        await using var sf = _sim.CreateConnector(OrgShape.Known);
        var requests = Customers.Requests(150, contactsEach: 2);

        var results = await sf.Connector.UpsertManyAsync(requests);

        Assert.All(results, r => Assert.Equal(2, r.ContactExternalIds.Count));
        Assert.Single(_sim.Journal.Calls("PATCH", Accounts));
        Assert.Equal(2, _sim.Journal.Calls("PATCH", Contacts).Count); // 300 contacts in chunks of 200
        Assert.Empty(_sim.Journal.Where(e => e.Method == "GET"));      // no Account id lookup
        var contactBody = _sim.Journal.Calls("PATCH", Contacts)[0].Body!;
        Assert.Contains("\"AccountId\":\"" + results[0].ExternalId + "\"", contactBody, StringComparison.Ordinal);
        var accountIds = _sim.Accounts.ToDictionary(a => a["Concord_Id__c"]!, a => a.Id);
        Assert.All(_sim.Contacts, c => Assert.Equal(accountIds[c["Concord_Id__c"]![..c["Concord_Id__c"]!.IndexOf("-c", StringComparison.Ordinal)]], c.AccountId));
        Assert.Equal(results[0].ContactExternalIds["a-1-c1"], _sim.Contacts.Single(c => c["Concord_Id__c"] == "a-1-c1").Id);
    }

    [Fact]
    public async Task Account_rejected_per_record_fails_alone_with_its_fields_and_its_contacts_are_not_sent()
    {
        await using var sf = _sim.CreateConnector();
        _sim.RejectRecord("a-2", "FIELD_CUSTOM_VALIDATION_EXCEPTION", "Website must be https for ada@acme.example", "Website");
        var requests = Customers.Requests(3, contactsEach: 1);

        var results = await sf.Connector.UpsertManyAsync(requests);

        Assert.True(results[0].IsSuccess);
        Assert.True(results[2].IsSuccess);
        var error = results[1].Error!;
        Assert.Equal(ErrorCategory.Validation, error.Category);
        Assert.Equal("FIELD_CUSTOM_VALIDATION_EXCEPTION", error.VendorErrorCode);
        var field = Assert.Single(error.FieldErrors);
        Assert.Equal("Website", field.Field);
        Assert.DoesNotContain("ada@acme.example", error.VendorMessage, StringComparison.Ordinal); // masked
        Assert.Equal(2, _sim.Contacts.Count);
        Assert.DoesNotContain(_sim.Contacts, c => c["Concord_Id__c"] == "a-2-c1");
    }

    [Fact]
    public async Task Contact_rejected_fails_its_customer_with_the_field()
    {
        await using var sf = _sim.CreateConnector();
        var customer = Customers.Company("c-1") with { Contacts = [new Contact { Id = "c-1-c1", Name = " ", FamilyName = " " }] };

        var result = await sf.Connector.UpsertAsync(Customers.Request(customer));

        Assert.Equal(UpsertOutcome.Failed, result.Outcome);
        Assert.Equal("REQUIRED_FIELD_MISSING", result.Error!.VendorErrorCode);
        Assert.Equal("LastName", Assert.Single(result.Error.FieldErrors).Field);
        Assert.Single(_sim.Accounts); // the account itself is written; a retry upserts it again harmlessly
    }

    [Fact]
    public async Task Several_accounts_with_the_external_id_answer_300_and_become_a_conflict()
    {
        await using var sf = _sim.CreateConnector();
        _sim.SeedAccount("dup-1", "Twin A");
        _sim.SeedAccount("dup-1", "Twin B");

        var result = await sf.Connector.UpsertAsync(Customers.Request(Customers.Company("dup-1")));

        Assert.Equal(UpsertOutcome.Failed, result.Outcome);
        Assert.Equal(ErrorCategory.Conflict, result.Error!.Category);
        Assert.Equal(300, result.Error.StatusCode);
        Assert.Equal(2, _sim.Accounts.Count);
    }

    [Fact]
    public async Task Several_matches_inside_a_collection_fail_that_record_as_a_conflict()
    {
        await using var sf = _sim.CreateConnector();
        _sim.SeedAccount("a-2", "Twin A");
        _sim.SeedAccount("a-2", "Twin B");

        var results = await sf.Connector.UpsertManyAsync(Customers.Requests(3));

        Assert.True(results[0].IsSuccess);
        Assert.Equal(ErrorCategory.Conflict, results[1].Error!.Category);
        Assert.True(results[2].IsSuccess);
    }

    [Fact]
    public async Task Same_customer_twice_in_one_batch_goes_in_separate_calls_and_both_succeed()
    {
        await using var sf = _sim.CreateConnector();
        var first = Customers.Request(Customers.Company("same-1"));
        var second = Customers.Request(Customers.Company("same-1", name: "Second"));

        var results = await sf.Connector.UpsertManyAsync([first, second]);

        Assert.Equal([UpsertOutcome.Created, UpsertOutcome.Updated], results.Select(r => r.Outcome));
        Assert.Equal(2, _sim.Journal.Calls("PATCH", Accounts).Count);
        Assert.Equal("Second", Assert.Single(_sim.Accounts)["Name"]);
    }

    [Fact]
    public async Task Customer_without_canonical_id_fails_as_validation_without_a_call()
    {
        await using var sf = _sim.CreateConnector();
        var customer = Customers.Company("x") with { Provenance = new Provenance() };

        var results = await sf.Connector.UpsertManyAsync([Customers.Request(Customers.Company("ok-1")), Customers.Request(customer)]);

        Assert.True(results[0].IsSuccess);
        Assert.Equal(ErrorCategory.Validation, results[1].Error!.Category);
        Assert.Equal("$.provenance.canonicalId", Assert.Single(results[1].Error!.FieldErrors).Field);
    }

    public void Dispose() => _sim.Dispose();
}
