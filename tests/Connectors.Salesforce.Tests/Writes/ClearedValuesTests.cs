using Concord.Canonical;
using Concord.Canonical.Connectors;
using Concord.Connectors.Salesforce.Tests.TestData;
using Concord.Testing.Salesforce;

namespace Concord.Connectors.Salesforce.Tests.Writes;

/// <summary>A value cleared in the canonical customer is cleared in Salesforce; a contact it no longer lists leaves the Account.</summary>
public sealed class ClearedValuesTests : IDisposable
{
    private readonly SalesforceSimulator _sim = new();

    [Fact]
    public async Task Cleared_phone_website_notes_and_billing_address_are_sent_as_nulls_and_cleared()
    {
        await using var sf = _sim.CreateConnector();
        var customer = Customers.Company("clear-1");
        await sf.Connector.UpsertAsync(Customers.Request(customer));

        var result = await sf.Connector.UpsertAsync(Customers.Request(customer with { Phones = [], Website = null, Notes = null, Addresses = [] }));

        Assert.True(result.IsSuccess, result.Error?.Message);
        var account = Assert.Single(_sim.Accounts);
        Assert.Null(account["Phone"]);
        Assert.Null(account["Website"]);
        Assert.Null(account["Description"]);
        Assert.Null(account["BillingStreet"]);
        Assert.Null(account["BillingCity"]);
        Assert.Null(account["BillingCountry"]);
        Assert.Equal("Company clear-1", account["Name"]);
        var body = _sim.Journal.Calls("PATCH", "/services/data/v65.0/sobjects/Account/Concord_Id__c/clear-1")[^1].Body!;
        Assert.Contains("\"Phone\":null", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Cleared_contact_email_title_and_first_name_are_cleared()
    {
        await using var sf = _sim.CreateConnector();
        var customer = Customers.Company("clear-2", contacts: 1);
        await sf.Connector.UpsertManyAsync([Customers.Request(customer)]);
        var person = customer.Contacts[0] with { Emails = [], JobTitle = null, GivenName = null, Phones = [] };

        var results = await sf.Connector.UpsertManyAsync([Customers.Request(customer with { Contacts = [person] })]);

        Assert.True(results[0].IsSuccess, results[0].Error?.Message);
        var contact = Assert.Single(_sim.Contacts);
        Assert.Null(contact["Email"]);
        Assert.Null(contact["Title"]);
        Assert.Null(contact["FirstName"]);
        Assert.Null(contact["MobilePhone"]);
        Assert.Equal("Lovelace1", contact["LastName"]);
    }

    [Fact]
    public async Task A_contact_the_customer_no_longer_lists_is_detached_from_its_account()
    {
        await using var sf = _sim.CreateConnector();
        var customer = Customers.Company("gone-c", contacts: 2);
        var first = await sf.Connector.UpsertAsync(Customers.Request(customer));

        var second = await sf.Connector.UpsertAsync(Customers.Request(customer with { Contacts = [customer.Contacts[0]] }));

        Assert.True(second.IsSuccess, second.Error?.Message);
        var removed = _sim.Contacts.Single(c => c["Concord_Id__c"] == "gone-c-c2");
        Assert.Null(removed.AccountId);
        Assert.False(removed.IsDeleted);
        Assert.Equal(first.ExternalId, _sim.Contacts.Single(c => c["Concord_Id__c"] == "gone-c-c1").AccountId);
        var read = await sf.Connector.GetAsync(first.ExternalId!);
        Assert.Equal(["gone-c-c1"], read!.Contacts.Select(c => c.Id));
    }

    [Fact]
    public async Task With_RemovedContacts_Delete_a_contact_the_customer_no_longer_lists_is_deleted()
    {
        await using var sf = _sim.CreateConnector(o => o.RemovedContacts = SalesforceRemovedContacts.Delete);
        var customers = Customers.Requests(2, contactsEach: 2);
        await sf.Connector.UpsertManyAsync(customers);
        var trimmed = customers.Select(r => r with { Customer = r.Customer with { Contacts = [r.Customer.Contacts[1]] } }).ToList();

        var results = await sf.Connector.UpsertManyAsync(trimmed);

        Assert.All(results, r => Assert.True(r.IsSuccess, r.Error?.Message));
        Assert.True(_sim.Contacts.Single(c => c["Concord_Id__c"] == "a-1-c1").IsDeleted);
        Assert.True(_sim.Contacts.Single(c => c["Concord_Id__c"] == "a-2-c1").IsDeleted);
        Assert.Equal(2, _sim.Contacts.Count(c => !c.IsDeleted));
        Assert.Single(_sim.Journal.Calls("DELETE", "/services/data/v65.0/composite/sobjects"));
    }

    [Fact]
    public async Task Contacts_made_in_salesforce_without_the_external_id_are_left_under_the_account()
    {
        await using var sf = _sim.CreateConnector();
        var customer = Customers.Company("keep-1", contacts: 1);
        var first = await sf.Connector.UpsertAsync(Customers.Request(customer));
        var byHand = _sim.SeedContact(first.ExternalId!, null, "Added by a sales rep");

        await sf.Connector.UpsertAsync(Customers.Request(customer with { Name = "Renamed" }));

        Assert.Equal(first.ExternalId, _sim.Contacts.Single(c => c.Id == byHand).AccountId);
    }

    [Fact]
    public async Task A_known_contact_deleted_in_salesforce_is_written_again_by_its_external_id()
    {
        await using var sf = _sim.CreateConnector();
        var customer = Customers.Company("back-1", contacts: 1);
        var first = await sf.Connector.UpsertAsync(Customers.Request(customer));
        var contactId = first.ContactExternalIds["back-1-c1"];
        _sim.DeleteRecord(contactId);
        var known = customer with { Contacts = [customer.Contacts[0] with { ExternalRefs = [new ExternalRef(sf.Connector.Name, contactId)] }] };

        var second = await sf.Connector.UpsertAsync(Customers.Request(known) with { KnownExternalId = first.ExternalId });

        Assert.True(second.IsSuccess, second.Error?.Message);
        Assert.NotEqual(contactId, second.ContactExternalIds["back-1-c1"]);
        Assert.Single(_sim.Contacts, c => !c.IsDeleted && c["Concord_Id__c"] == "back-1-c1");
    }

    public void Dispose() => _sim.Dispose();
}
