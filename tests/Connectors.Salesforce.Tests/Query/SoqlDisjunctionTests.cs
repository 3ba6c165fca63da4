using System.Globalization;
using Concord.Connectors.Salesforce.Query;

namespace Concord.Connectors.Salesforce.Tests.Query;

public sealed class SoqlDisjunctionTests
{
    [Fact]
    public void Conditions_that_fit_one_uri_become_one_statement_with_one_IN_list_per_field()
    {
        var statements = new SoqlDisjunction()
            .In("AccountNumber", ["R-1", "R'2"])
            .Contains("Website", ["acme.example", "100%_off.example"])
            .In("Id", ["001SIM000000001AAA"])
            .Statements("Id, Name", "Account")
            .ToList();

        Assert.Equal(
            @"SELECT Id, Name FROM Account WHERE AccountNumber IN ('R-1', 'R\'2') OR Id IN ('001SIM000000001AAA') OR Website LIKE '%acme.example%' OR Website LIKE '%100\%\_off.example%'",
            Assert.Single(statements));
    }

    [Fact]
    public void Conditions_beyond_one_uri_are_cut_so_each_statement_stays_under_the_budget_and_each_condition_appears_once()
    {
        var references = Enumerable.Range(0, 400).Select(i => string.Create(CultureInfo.InvariantCulture, $"REF-{i:D5}")).ToList();
        var domains = Enumerable.Range(0, 400).Select(i => string.Create(CultureInfo.InvariantCulture, $"company-{i:D5}.example")).ToList();

        var statements = new SoqlDisjunction().In("AccountNumber", references).Contains("Website", domains).Statements("Id", "Account").ToList();

        Assert.InRange(statements.Count, 3, 10);
        Assert.All(statements, s => Assert.InRange(Uri.EscapeDataString(s).Length, 1, Soql.MaxQueryUriBytes - 100));
        Assert.All(references, r => Assert.Single(statements, s => s.Contains($"'{r}'", StringComparison.Ordinal)));
        Assert.All(domains, d => Assert.Single(statements, s => s.Contains($"'%{d}%'", StringComparison.Ordinal)));
        Assert.All(statements, s => Assert.StartsWith("SELECT Id FROM Account WHERE ", s, StringComparison.Ordinal));
    }

    [Fact]
    public void No_condition_gives_no_statement()
    {
        var disjunction = new SoqlDisjunction().In("Id", []).Contains("Website", []);

        Assert.True(disjunction.IsEmpty);
        Assert.Empty(disjunction.Statements("Id", "Account"));
    }
}
