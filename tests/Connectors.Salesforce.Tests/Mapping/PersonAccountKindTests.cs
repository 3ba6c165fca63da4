using Concord.Canonical;
using Concord.Canonical.Errors;
using Concord.Connectors.Salesforce.Tests.TestData;
using Concord.Testing.Salesforce;

namespace Concord.Connectors.Salesforce.Tests.Mapping;

/// <summary>
/// Business ↔ person conversion is restricted in Salesforce: a company written onto a person account, or a person onto a
/// business account, is a conflict that names the account (the records need a person's decision), never a validation
/// error nor a silent conversion.
/// </summary>
public sealed class PersonAccountKindTests : IDisposable
{
    private readonly SalesforceSimulator _sim = new(new SalesforceSimulatorOptions { PersonAccounts = true });

    [Fact]
    public async Task A_company_written_by_id_onto_a_person_account_is_a_conflict_naming_the_account()
    {
        var person = _sim.SeedPersonAccount(null, "Ada", "Lovelace");
        await using var sf = _sim.CreateConnector();

        var result = await sf.Connector.UpsertAsync(Customers.Request(Customers.Company("co-1", name: "Acme")) with { KnownExternalId = person });

        Assert.False(result.IsSuccess);
        Assert.Equal(ErrorCategory.Conflict, result.Error!.Category);
        Assert.Equal(person, Assert.Single(result.Error.MatchedExternalIds));
        Assert.Contains("person account", result.Error.Message, StringComparison.Ordinal);
        Assert.Equal("Ada Lovelace", _sim.Accounts.Single(a => a.Id == person)["Name"]);
    }

    [Fact]
    public async Task A_company_upserted_by_its_key_onto_a_person_account_is_a_conflict_naming_the_account_alone_and_in_a_batch()
    {
        var person = _sim.SeedPersonAccount("co-2", "Grace", "Hopper");
        await using var sf = _sim.CreateConnector();

        var single = await sf.Connector.UpsertAsync(Customers.Request(Customers.Company("co-2", name: "Acme")));
        var many = await sf.Connector.UpsertManyAsync([Customers.Request(Customers.Company("co-2", name: "Acme")), Customers.Request(Customers.Company("co-3"))]);

        Assert.Equal(ErrorCategory.Conflict, single.Error?.Category);
        Assert.Equal(person, Assert.Single(single.Error!.MatchedExternalIds));
        Assert.Equal(ErrorCategory.Conflict, many[0].Error?.Category);
        Assert.Equal(person, Assert.Single(many[0].Error!.MatchedExternalIds));
        Assert.True(many[1].IsSuccess, many[1].Error?.Message);
        Assert.Equal("Grace Hopper", _sim.Accounts.Single(a => a.Id == person)["Name"]);
    }

    [Fact]
    public async Task A_person_written_by_id_onto_a_business_account_is_a_conflict_naming_the_account_and_the_account_stays_a_business()
    {
        var business = _sim.SeedAccount(null, "Acme");
        await using var sf = _sim.CreateConnector();

        var result = await sf.Connector.UpsertAsync(Customers.Request(Person("p-1", "Ada Lovelace")) with { KnownExternalId = business });

        Assert.False(result.IsSuccess);
        Assert.Equal(ErrorCategory.Conflict, result.Error!.Category);
        Assert.Equal(business, Assert.Single(result.Error.MatchedExternalIds));
        Assert.Contains("business account", result.Error.Message, StringComparison.Ordinal);
        AssertStillBusiness(business, "Acme");
    }

    [Fact]
    public async Task A_person_upserted_by_its_key_onto_a_business_account_is_a_conflict_naming_the_account_alone_and_in_a_batch()
    {
        var business = _sim.SeedAccount("p-2", "Acme");
        await using var sf = _sim.CreateConnector();

        var single = await sf.Connector.UpsertAsync(Customers.Request(Person("p-2", "Grace Hopper")));
        var many = await sf.Connector.UpsertManyAsync([Customers.Request(Person("p-2", "Grace Hopper")), Customers.Request(Person("p-3", "Alan Turing"))]);

        Assert.Equal(ErrorCategory.Conflict, single.Error?.Category);
        Assert.Equal(business, Assert.Single(single.Error!.MatchedExternalIds));
        Assert.Equal(ErrorCategory.Conflict, many[0].Error?.Category);
        Assert.Equal(business, Assert.Single(many[0].Error!.MatchedExternalIds));
        Assert.True(many[1].IsSuccess, many[1].Error?.Message);
        AssertStillBusiness(business, "Acme");
    }

    private void AssertStillBusiness(string id, string name)
    {
        var account = _sim.Accounts.Single(a => a.Id == id);
        Assert.Equal(false, account.Fields["IsPersonAccount"]);
        Assert.Equal(name, account["Name"]);
        Assert.Null(account["LastName"]);
    }

    private static CanonicalCustomer Person(string canonicalId, string name) => new()
    {
        Kind = CustomerKind.Person,
        Name = name,
        Emails = [new EmailAddress { Address = "person@example.org" }],
        Provenance = new Provenance { CanonicalId = canonicalId },
    };

    public void Dispose() => _sim.Dispose();
}
