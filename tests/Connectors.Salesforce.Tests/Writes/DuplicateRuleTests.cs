using Concord.Canonical.Connectors;
using Concord.Canonical.Errors;
using Concord.Connectors.Salesforce.Tests.TestData;
using Concord.Testing.Salesforce;

namespace Concord.Connectors.Salesforce.Tests.Writes;

/// <summary>
/// Standard duplicate rules are active in real orgs: a create that resembles an existing record is refused, and the
/// refusal names the records Salesforce matched; an option saves past alert-level rules.
/// </summary>
public sealed class DuplicateRuleTests
{
    [Fact]
    public async Task A_create_a_duplicate_rule_refuses_is_a_conflict_naming_the_matched_account()
    {
        using var sim = new SalesforceSimulator(new SalesforceSimulatorOptions { DuplicateRules = SalesforceSimDuplicateRules.Alert });
        var existing = sim.SeedAccount(null, "Company a-2");
        await using var sf = sim.CreateConnector();

        var results = await sf.Connector.UpsertManyAsync(Customers.Requests(3));

        Assert.True(results[0].IsSuccess);
        Assert.True(results[2].IsSuccess);
        var error = results[1].Error!;
        Assert.Equal(ErrorCategory.Conflict, error.Category);
        Assert.Equal("DUPLICATES_DETECTED", error.VendorErrorCode);
        Assert.Equal([existing], error.MatchedExternalIds.AsEnumerable());
        Assert.Contains(existing, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_single_create_a_duplicate_rule_refuses_names_the_matched_account()
    {
        using var sim = new SalesforceSimulator(new SalesforceSimulatorOptions { DuplicateRules = SalesforceSimDuplicateRules.Alert });
        var existing = sim.SeedAccount(null, "Company one-1");
        await using var sf = sim.CreateConnector();

        var result = await sf.Connector.UpsertAsync(Customers.Request(Customers.Company("one-1")));

        Assert.Equal(ErrorCategory.Conflict, result.Error!.Category);
        Assert.Equal([existing], result.Error.MatchedExternalIds.AsEnumerable());
    }

    [Fact]
    public async Task With_AllowSaveOnDuplicateAlert_an_alert_level_rule_lets_the_create_through()
    {
        using var sim = new SalesforceSimulator(new SalesforceSimulatorOptions { DuplicateRules = SalesforceSimDuplicateRules.Alert });
        sim.SeedAccount(null, "Company a-1");
        await using var sf = sim.CreateConnector(o => o.AllowSaveOnDuplicateAlert = true);

        var results = await sf.Connector.UpsertManyAsync(Customers.Requests(1, contactsEach: 1));

        Assert.Equal(UpsertOutcome.Created, results[0].Outcome);
        Assert.All(sim.Journal.Where(e => e.Method == "PATCH"), e => Assert.Contains("allowSave=true", e.Headers["Sforce-Duplicate-Rule-Header"], StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_blocking_rule_blocks_even_with_AllowSaveOnDuplicateAlert()
    {
        using var sim = new SalesforceSimulator(new SalesforceSimulatorOptions { DuplicateRules = SalesforceSimDuplicateRules.Block });
        var existing = sim.SeedAccount(null, "Company a-1");
        await using var sf = sim.CreateConnector(o => o.AllowSaveOnDuplicateAlert = true);

        var results = await sf.Connector.UpsertManyAsync(Customers.Requests(1));

        Assert.Equal(ErrorCategory.Conflict, results[0].Error!.Category);
        Assert.Equal([existing], results[0].Error!.MatchedExternalIds.AsEnumerable());
    }
}
