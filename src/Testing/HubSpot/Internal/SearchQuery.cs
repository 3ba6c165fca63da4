using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Concord.Testing.HubSpot.Internal;

/// <summary>
/// A CRM search request (facts page §4): filter groups ORed, filters ANDed, with HubSpot's limits (5 groups, 6 filters per
/// group, 18 in all), one sort, <c>limit</c> up to 200, <c>after</c> as an offset and the 10,000-result cap.
/// </summary>
internal sealed class SearchQuery
{
    public const int MaxGroups = 5;
    public const int MaxFiltersPerGroup = 6;
    public const int MaxFilters = 18;
    public const int MaxLimit = 200;
    public const int ResultCap = 10_000;
    public const int MaxQueryLength = 3_000;

    private static readonly string[] Operators =
        ["EQ", "NEQ", "LT", "LTE", "GT", "GTE", "BETWEEN", "IN", "NOT_IN", "HAS_PROPERTY", "NOT_HAS_PROPERTY", "CONTAINS_TOKEN", "NOT_CONTAINS_TOKEN"];

    private static readonly Dictionary<string, string[]> FreeTextProperties = new(StringComparer.Ordinal)
    {
        [HubSpotPortal.Companies] = ["name", "domain", "website", "phone"],
        [HubSpotPortal.Contacts] = ["firstname", "lastname", "email", "phone", "company"],
    };

    private readonly List<List<Filter>> _groups = [];

    public IReadOnlyList<string> Properties { get; private set; } = [];

    public string? SortProperty { get; private set; }

    public bool Descending { get; private set; }

    public int Limit { get; private set; } = 10;

    public int After { get; private set; }

    public string? FreeText { get; private set; }

    public static SearchQuery? Parse(JsonNode? body, HubSpotPortal portal, string type, out string? error)
    {
        error = null;
        var query = new SearchQuery();
        var groups = body?["filterGroups"] as JsonArray ?? [];
        if (groups.Count > MaxGroups)
        {
            error = $"Too many filter groups: {groups.Count}; at most {MaxGroups} are allowed.";
            return null;
        }

        var total = 0;
        foreach (var group in groups)
        {
            var filters = group?["filters"] as JsonArray ?? [];
            if (filters.Count > MaxFiltersPerGroup)
            {
                error = $"Too many filters in a filter group: {filters.Count}; at most {MaxFiltersPerGroup} are allowed.";
                return null;
            }

            total += filters.Count;
            var parsed = new List<Filter>();
            foreach (var node in filters)
            {
                var property = node?["propertyName"]?.GetValue<string>();
                var op = node?["operator"]?.GetValue<string>() ?? "EQ";
                if (string.IsNullOrEmpty(property))
                {
                    error = "A filter has no propertyName.";
                    return null;
                }

                if (!Operators.Contains(op, StringComparer.Ordinal))
                {
                    error = $"Unknown filter operator {op}.";
                    return null;
                }

                var association = property.StartsWith("associations.", StringComparison.Ordinal);
                if (!association && portal.Definition(type, property) is null)
                {
                    error = $"There was a problem with the request: the property '{property}' does not exist on {type}.";
                    return null;
                }

                parsed.Add(new Filter(
                    property,
                    op,
                    Text(node?["value"]),
                    Text(node?["highValue"]),
                    (node?["values"] as JsonArray)?.Select(Text).Where(v => v is not null).Select(v => v!).ToList() ?? []));
            }

            query._groups.Add(parsed);
        }

        if (total > MaxFilters)
        {
            error = $"Too many filters: {total}; at most {MaxFilters} are allowed across all filter groups.";
            return null;
        }

        if (body?["sorts"] is JsonArray { Count: > 0 } sorts)
        {
            if (sorts.Count > 1)
            {
                error = "Only one sort is allowed.";
                return null;
            }

            if (sorts[0] is JsonObject sort)
            {
                query.SortProperty = sort["propertyName"]?.GetValue<string>();
                query.Descending = string.Equals(sort["direction"]?.GetValue<string>(), "DESCENDING", StringComparison.Ordinal);
            }
            else if (Text(sorts[0]) is { } text)
            {
                query.Descending = text.StartsWith('-');
                query.SortProperty = text.TrimStart('-');
            }
        }

        query.Properties = (body?["properties"] as JsonArray)?.Select(Text).Where(p => p is not null).Select(p => p!).ToList() ?? [];
        if (body?["limit"] is { } limitNode)
        {
            var limit = int.Parse(Text(limitNode)!, CultureInfo.InvariantCulture);
            if (limit is < 1 or > MaxLimit)
            {
                error = $"limit must be between 1 and {MaxLimit}, was {limit}.";
                return null;
            }

            query.Limit = limit;
        }

        if (Text(body?["after"]) is { Length: > 0 } after)
        {
            if (!int.TryParse(after, NumberStyles.None, CultureInfo.InvariantCulture, out var offset))
            {
                error = $"after '{after}' is not a valid paging cursor.";
                return null;
            }

            if (offset >= ResultCap)
            {
                error = $"Search results are limited to {ResultCap} per query; after {offset} is beyond it.";
                return null;
            }

            query.After = offset;
        }

        query.FreeText = Text(body?["query"]);
        if (query.FreeText is { Length: > MaxQueryLength })
        {
            error = $"query is longer than {MaxQueryLength} characters.";
            return null;
        }

        return query;
    }

    public bool Matches(IndexedDoc doc, HubSpotPortal portal)
    {
        if (FreeText is { Length: > 0 } text
            && !FreeTextProperties[doc.Type].Any(p => doc.Properties.TryGetValue(p, out var v) && v.Contains(text, StringComparison.OrdinalIgnoreCase)))
        {
            return false;
        }

        return _groups.Count == 0 || _groups.Any(group => group.All(f => f.Matches(doc, portal)));
    }

    public int Compare(IndexedDoc a, IndexedDoc b, HubSpotPortal portal)
    {
        if (SortProperty is null)
        {
            return a.Id.CompareTo(b.Id);
        }

        var type = portal.Definition(a.Type, SortProperty)?.Type ?? "string";
        var order = CompareValues(a.Properties.GetValueOrDefault(SortProperty), b.Properties.GetValueOrDefault(SortProperty), type);
        if (Descending)
        {
            order = -order;
        }

        // Ties: HubSpot promises no order; the simulator keeps id order.
        return order != 0 ? order : a.Id.CompareTo(b.Id);
    }

    private static int CompareValues(string? a, string? b, string type)
    {
        if (a is null || b is null)
        {
            return a is null ? (b is null ? 0 : 1) : -1;
        }

        if (Numeric(a, type) is { } x && Numeric(b, type) is { } y)
        {
            return x.CompareTo(y);
        }

        return string.Compare(a, b, StringComparison.OrdinalIgnoreCase);
    }

    private static decimal? Numeric(string value, string type)
    {
        if (type is "datetime" or "date")
        {
            return HubSpotPortal.TryParseTime(value, out var time) ? time.ToUnixTimeMilliseconds() : null;
        }

        return type == "number" && decimal.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var number) ? number : null;
    }

    private static string? Text(JsonNode? node) => node switch
    {
        null => null,
        JsonValue value when value.TryGetValue<string>(out var s) => s,
        JsonValue value => value.ToJsonString(),
        _ => node.ToJsonString(),
    };

    private sealed record Filter(string Property, string Operator, string? Value, string? HighValue, List<string> Values)
    {
        public bool Matches(IndexedDoc doc, HubSpotPortal portal)
        {
            if (Property.StartsWith("associations.", StringComparison.Ordinal))
            {
                var otherType = HubSpotPortal.NormalizeType(Property["associations.".Length..]);
                var linked = otherType is not null && long.TryParse(Value, NumberStyles.None, CultureInfo.InvariantCulture, out var otherId)
                    && portal.LinksOf(doc.Id).ContainsKey(otherId);
                return Operator == "EQ" ? linked : Operator == "NEQ" && !linked;
            }

            var type = portal.Definition(doc.Type, Property)?.Type ?? "string";
            var actual = doc.Properties.GetValueOrDefault(Property);
            switch (Operator)
            {
                case "HAS_PROPERTY":
                    return actual is not null;
                case "NOT_HAS_PROPERTY":
                    return actual is null;
                case "IN":
                    return actual is not null && Values.Any(v => InMatches(actual, v, type));
                case "NOT_IN":
                    return actual is null || !Values.Any(v => InMatches(actual, v, type));
                case "CONTAINS_TOKEN":
                    return actual is not null && Value is not null && ContainsToken(actual, Value);
                case "NOT_CONTAINS_TOKEN":
                    return actual is null || Value is null || !ContainsToken(actual, Value);
            }

            if (actual is null || Value is null)
            {
                return Operator == "NEQ" && actual is not null;
            }

            var order = Order(actual, Value, type);
            return Operator switch
            {
                "EQ" => order == 0,
                "NEQ" => order != 0,
                "LT" => order < 0,
                "LTE" => order <= 0,
                "GT" => order > 0,
                "GTE" => order >= 0,
                "BETWEEN" => order >= 0 && HighValue is not null && Order(actual, HighValue, type) <= 0,
                _ => false,
            };
        }

        private static int Order(string actual, string wanted, string type)
        {
            if (Numeric(actual, type) is { } x && Numeric(wanted, type) is { } y)
            {
                return x.CompareTo(y);
            }

            // Enumeration values match case-sensitively, everything else ignores case.
            return string.Compare(actual, wanted, type == "enumeration" ? StringComparison.Ordinal : StringComparison.OrdinalIgnoreCase);
        }

        private static bool InMatches(string actual, string wanted, string type)
        {
            if (Numeric(actual, type) is { } x && Numeric(wanted, type) is { } y)
            {
                return x == y;
            }

            // String IN values must be lower case (facts §4): the stored value is compared lower-cased, the given one as is.
            return type == "enumeration"
                ? string.Equals(actual, wanted, StringComparison.Ordinal)
                : string.Equals(actual.ToLowerInvariant(), wanted, StringComparison.Ordinal);
        }

        private static bool ContainsToken(string actual, string token)
        {
            var pattern = "^" + Regex.Escape(token).Replace("\\*", ".*", StringComparison.Ordinal) + "$";
            return actual.Split([' ', ';', ',', '\t', '\n'], StringSplitOptions.RemoveEmptyEntries)
                .Any(t => Regex.IsMatch(t, pattern, RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1)));
        }
    }
}
