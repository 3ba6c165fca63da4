using Concord.Connectors.Odoo.Matching;

namespace Concord.Connectors.Odoo.Tests.Matching;

/// <summary>Client-side <c>=ilike</c> and <c>ilike</c> must keep PostgreSQL's semantics, or a batch find would split a search differently from the server.</summary>
public sealed class SqlLikeTests
{
    [Theory]
    [InlineData("info@acme.example", "INFO@Acme.Example", true)]
    [InlineData("info@acme.example", "info@acme.exampl", false)]
    [InlineData("xinfo@acme.example", "info@acme.example", false)]
    [InlineData("ada_l@example.org", "ada_l@example.org", true)]
    [InlineData("adaxl@example.org", "ada_l@example.org", true)]
    [InlineData("adal@example.org", "ada_l@example.org", false)]
    [InlineData("a%b@example.org", "a\\%b@example.org", true)]
    [InlineData("axb@example.org", "a\\%b@example.org", false)]
    [InlineData("anything@example.org", "%@example.org", true)]
    [InlineData(null, "info@acme.example", false)]
    public void Equals_ignore_case_is_a_whole_value_match_with_wildcards(string? value, string pattern, bool expected) =>
        Assert.Equal(expected, SqlLike.EqualsIgnoreCase(value, pattern));

    [Theory]
    [InlineData("https://www.Acme.example/de", "acme.example", true)]
    [InlineData("acme.example", "acme.example", true)]
    [InlineData("https://acme.example.org", "acme.example", true)]
    [InlineData("https://acme-example.org", "acme.example", false)]
    [InlineData("https://acme-example.org", "acme_example", true)]
    [InlineData("https://other.example", "acme.example", false)]
    [InlineData(null, "acme.example", false)]
    public void Contains_ignore_case_matches_anywhere_in_the_value(string? value, string pattern, bool expected) =>
        Assert.Equal(expected, SqlLike.ContainsIgnoreCase(value, pattern));

    [Fact]
    public void Percent_backtracks_past_a_false_start() =>
        Assert.True(SqlLike.IsMatch("aab-ab-c", "%ab-c", ignoreCase: false));
}
