using System.Text;

namespace Concord.Connectors.Salesforce.Query;

/// <summary>The SOQL statements the connector sends, and SOQL literal quoting.</summary>
internal static class Soql
{
    /// <summary>A string literal: single quotes, with backslash escapes for quote, backslash and line breaks.</summary>
    public static string Quote(string value)
    {
        var builder = new StringBuilder(value.Length + 2).Append('\'');
        foreach (var c in value)
        {
            switch (c)
            {
                case '\'': builder.Append("\\'"); break;
                case '\\': builder.Append("\\\\"); break;
                case '\n': builder.Append("\\n"); break;
                case '\r': builder.Append("\\r"); break;
                case '\t': builder.Append("\\t"); break;
                default: builder.Append(c); break;
            }
        }

        return builder.Append('\'').ToString();
    }

    /// <summary>
    /// The change query: rows after <paramref name="window"/>'s horizon, in (SystemModstamp, Id) order: a later
    /// <c>SystemModstamp</c>, or the horizon's own stamp and a greater <c>Id</c> when the horizon is inside a group of
    /// rows sharing one stamp. Run through <c>queryAll</c> so that deleted rows come back with <c>IsDeleted = true</c>.
    /// </summary>
    public static string Changes(string select, string sObject, FeedWindow window, string? filter = null) =>
        Changes(select, sObject, window.Horizon, window.HorizonId, filter);

    /// <summary>The change query after the keyset (<paramref name="after"/>, <paramref name="afterId"/>); a null id: after the whole second.</summary>
    public static string Changes(string select, string sObject, DateTimeOffset? after, string? afterId = null, string? filter = null)
    {
        var conditions = new List<string>(2);
        if (after is { } horizon)
        {
            var stamp = Api.SalesforceDateTimeConverter.ToSoqlLiteral(horizon);
            conditions.Add(afterId is null
                ? "SystemModstamp > " + stamp
                : $"(SystemModstamp > {stamp} OR (SystemModstamp = {stamp} AND Id > {Quote(SalesforceId.To18(afterId))}))");
        }

        if (filter is not null)
        {
            conditions.Add(filter);
        }

        var where = conditions.Count == 0 ? string.Empty : " WHERE " + string.Join(" AND ", conditions);
        return $"SELECT {select} FROM {sObject}{where} ORDER BY SystemModstamp ASC, Id ASC";
    }

    /// <summary>Rows whose <paramref name="field"/> is one of <paramref name="values"/>.</summary>
    public static string WhereIn(string select, string sObject, string field, IEnumerable<string> values) =>
        $"SELECT {select} FROM {sObject} WHERE {field} IN ({string.Join(", ", values.Select(Quote))})";

    /// <summary>
    /// The most bytes a query's URI may take. Salesforce accepts 16,384 (414 above), but proxies and web servers in
    /// between commonly stop at 8 KB request lines, so <c>IN (…)</c> lists are cut to stay under this.
    /// </summary>
    public const int MaxQueryUriBytes = 8_000;

    /// <summary>
    /// Cuts <paramref name="values"/> into slices whose <c>IN (…)</c> list, URL-encoded and appended to
    /// <paramref name="statementPrefix"/>, keeps the query URI under <see cref="MaxQueryUriBytes"/>.
    /// </summary>
    public static IEnumerable<List<string>> InSlices(IEnumerable<string> values, string statementPrefix)
    {
        // The path and the query around the statement ("/services/data/vNN.N/queryAll/?q=") take well under 100 bytes.
        var budget = MaxQueryUriBytes - 100 - Uri.EscapeDataString(statementPrefix).Length;
        var slice = new List<string>();
        var used = 0;
        foreach (var value in values)
        {
            var cost = Uri.EscapeDataString(Quote(value) + ", ").Length;
            if (slice.Count > 0 && used + cost > budget)
            {
                yield return slice;
                slice = [];
                used = 0;
            }

            slice.Add(value);
            used += cost;
        }

        if (slice.Count > 0)
        {
            yield return slice;
        }
    }

    /// <summary>A LIKE pattern that matches <paramref name="text"/> anywhere (<c>%</c> and <c>_</c> in it escaped).</summary>
    /// <remarks>
    /// The LIKE escapes <c>\%</c> and <c>\_</c> are written into the literal as they are: passed through <see cref="Quote"/>
    /// their backslash would be doubled into an escaped backslash followed by a live wildcard.
    /// </remarks>
    public static string ContainsPattern(string text)
    {
        var quoted = Quote(text);
        return "'%" + quoted[1..^1].Replace("%", "\\%", StringComparison.Ordinal).Replace("_", "\\_", StringComparison.Ordinal) + "%'";
    }
}
