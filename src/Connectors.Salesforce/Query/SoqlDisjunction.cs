namespace Concord.Connectors.Salesforce.Query;

/// <summary>
/// Conditions OR-ed into as few statements as the URI budget allows: <c>Field IN (…)</c> lists and <c>Field LIKE …</c>
/// patterns on one object, packed greedily in the order they were added, each statement's URI-encoded length kept under
/// <see cref="Soql.MaxQueryUriBytes"/> the way <see cref="Soql.InSlices"/> keeps a single <c>IN</c> list under it.
/// </summary>
internal sealed class SoqlDisjunction
{
    private readonly List<(string Field, string Literal, bool Like)> _terms = [];

    /// <summary>Whether no condition was added: such a disjunction yields no statement (it would match nothing).</summary>
    public bool IsEmpty => _terms.Count == 0;

    /// <summary>Adds <paramref name="values"/> to the <c>IN</c> list of <paramref name="field"/>.</summary>
    public SoqlDisjunction In(string field, IEnumerable<string> values)
    {
        foreach (var value in values)
        {
            _terms.Add((field, Soql.Quote(value), false));
        }

        return this;
    }

    /// <summary>Adds one <c><paramref name="field"/> LIKE '%text%'</c> per text (wildcards in it escaped).</summary>
    public SoqlDisjunction Contains(string field, IEnumerable<string> texts)
    {
        foreach (var text in texts)
        {
            _terms.Add((field, Soql.ContainsPattern(text), true));
        }

        return this;
    }

    /// <summary>
    /// The statements <c>SELECT <paramref name="select"/> FROM <paramref name="sObject"/> WHERE c1 OR c2 …</c> that
    /// together cover every condition, each one under the URI budget (a single condition longer than the budget still
    /// gets a statement of its own: Salesforce, not this class, refuses it).
    /// </summary>
    public IEnumerable<string> Statements(string select, string sObject)
    {
        var prefix = $"SELECT {select} FROM {sObject} WHERE ";

        // The path and the query around the statement ("/services/data/vNN.N/queryAll/?q=") take well under 100 bytes.
        var budget = Soql.MaxQueryUriBytes - 100 - Uri.EscapeDataString(prefix).Length;
        var lists = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        var likes = new List<string>();
        var used = 0;
        foreach (var (field, literal, like) in _terms)
        {
            // Percent-encoding works character by character, so the encoded lengths of the pieces add up exactly.
            var piece = like ? $" OR {field} LIKE {literal}"
                : lists.ContainsKey(field) ? ", " + literal
                : $" OR {field} IN ({literal})";
            var cost = Uri.EscapeDataString(piece).Length;
            if (used > 0 && used + cost > budget)
            {
                yield return Render(prefix, lists, likes);
                lists.Clear();
                likes.Clear();
                used = 0;
                piece = like ? $" OR {field} LIKE {literal}" : $" OR {field} IN ({literal})";
                cost = Uri.EscapeDataString(piece).Length;
            }

            if (like)
            {
                likes.Add($"{field} LIKE {literal}");
            }
            else if (lists.TryGetValue(field, out var list))
            {
                list.Add(literal);
            }
            else
            {
                lists[field] = [literal];
            }

            used += cost;
        }

        if (used > 0)
        {
            yield return Render(prefix, lists, likes);
        }
    }

    private static string Render(string prefix, Dictionary<string, List<string>> lists, List<string> likes) =>
        prefix + string.Join(" OR ", lists.Select(l => $"{l.Key} IN ({string.Join(", ", l.Value)})").Concat(likes));
}
