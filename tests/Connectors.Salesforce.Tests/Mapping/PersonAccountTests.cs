using Concord.Canonical;
using Concord.Canonical.Connectors;
using Concord.Connectors.Salesforce.Tests.TestData;
using Concord.Testing.Salesforce;

namespace Concord.Connectors.Salesforce.Tests.Mapping;

/// <summary>
/// In orgs with Person Accounts, Account queries return them and Contact queries their hidden person contacts: a person
/// account is a person customer, never a contact of anyone, and is written with its person fields, never Name.
/// </summary>
public sealed class PersonAccountTests : IDisposable
{
    private readonly SalesforceSimulator _sim = new(new SalesforceSimulatorOptions { PersonAccounts = true });

    [Fact]
    public async Task A_person_account_reads_as_a_person_customer_with_its_email_phone_and_no_contacts()
    {
        var id = _sim.SeedPersonAccount("p-1", "Ada", "Lovelace", new Dictionary<string, object?> { ["PersonEmail"] = "Ada@Example.org", ["PersonMobilePhone"] = "+44 20 7946 0000" });
        await using var sf = _sim.CreateConnector();

        var read = await sf.Connector.GetAsync(id);

        Assert.Equal(CustomerKind.Person, read!.Kind);
        Assert.Equal("Ada Lovelace", read.Name);
        Assert.Equal("ada@example.org", Assert.Single(read.Emails).Address);
        Assert.Contains(read.Phones, p => p.Use == ContactPointUse.Mobile);
        Assert.Empty(read.Contacts);
        Assert.Equal("p-1", read.Provenance.CanonicalId);
    }

    [Fact]
    public async Task Company_contact_lists_leave_out_person_contacts_in_reads_and_in_the_feed()
    {
        var company = _sim.SeedAccount("co-1", "Acme");
        _sim.SeedContact(company, "co-1-c1", "Hopper");
        var person = _sim.SeedPersonAccount("p-2", "Grace", "Hopper");
        await using var sf = _sim.CreateConnector();

        var changes = new List<CustomerChange>();
        await foreach (var change in sf.Connector.ReadChangesAsync(null))
        {
            changes.Add(change);
        }

        var read = await sf.Connector.GetManyAsync([company, person]);
        Assert.Equal(["co-1-c1"], read[0]!.Contacts.Select(c => c.Id));
        Assert.Empty(read[1]!.Contacts);
        Assert.Equal(CustomerKind.Person, changes.Single(c => c.ExternalId == person).Customer!.Kind);
        Assert.Equal(["co-1-c1"], changes.Single(c => c.ExternalId == company).Customer!.Contacts.Select(c => c.Id));
    }

    [Fact]
    public async Task A_person_customer_is_written_as_a_person_account_with_first_and_last_name_never_Name()
    {
        await using var sf = _sim.CreateConnector();
        var customer = new CanonicalCustomer
        {
            Kind = CustomerKind.Person,
            Name = "Ada Lovelace",
            Emails = [new EmailAddress { Address = "ada@example.org" }],
            Phones = [new PhoneNumber { Raw = "+44 20 7946 0000", E164 = "+442079460000", Use = ContactPointUse.Mobile }],
            Provenance = new Provenance { CanonicalId = "p-3" },
        };

        var many = await sf.Connector.UpsertManyAsync([Customers.Request(customer)]);
        var single = await sf.Connector.UpsertAsync(Customers.Request(customer with { Name = "Ada King Lovelace" }));

        Assert.True(many[0].IsSuccess, many[0].Error?.Message);
        Assert.True(single.IsSuccess, single.Error?.Message);
        var account = Assert.Single(_sim.Accounts);
        Assert.Equal("True", account["IsPersonAccount"]);
        Assert.Equal("Ada King", account["FirstName"]);
        Assert.Equal("Lovelace", account["LastName"]);
        Assert.Equal("ada@example.org", account["PersonEmail"]);
        Assert.Equal("+442079460000", account["PersonMobilePhone"]);
        Assert.All(_sim.Journal.Where(e => e.Method == "PATCH"), e => Assert.DoesNotContain("\"Name\"", e.Body, StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_company_customer_in_a_person_account_org_stays_a_business_account()
    {
        await using var sf = _sim.CreateConnector();

        var result = await sf.Connector.UpsertAsync(Customers.Request(Customers.Company("co-2", contacts: 1)));

        Assert.True(result.IsSuccess, result.Error?.Message);
        Assert.Equal("False", _sim.Accounts.Single(a => a.Id == result.ExternalId)["IsPersonAccount"]);
        Assert.Equal(CustomerKind.Company, (await sf.Connector.GetAsync(result.ExternalId!))!.Kind);
    }

    public void Dispose() => _sim.Dispose();
}
