using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Concord.Testing.Odoo.Internal;

/// <summary>
/// Evaluates an Odoo domain (prefix notation; leaves side by side are ANDed) against simulated rows. Operators:
/// <c>= != &gt; &gt;= &lt; &lt;= =? in, not in, like, not like, ilike, not ilike, =like, =ilike</c> and <c>&amp; | !</c>;
/// one level of dotted path (<c>country_id.code</c>). Datetimes compare at full stored precision against the given text.
/// The like operators read <c>%</c> and <c>_</c> as wildcards and a backslash as an escape, as PostgreSQL does with the
/// unescaped operand Odoo sends (<c>like</c>/<c>ilike</c> wrapped in <c>%…%</c>).
/// </summary>
internal static class DomainFilter
{
    public static Func<SimRow, bool> Compile(JsonNode? domain, OdooModel model, OdooDatabase database)
    {
        if (domain is null)
        {
            return static _ => true;
        }

        if (domain is not JsonArray terms)
        {
            throw OdooFault.Value("Invalid domain: expected a list.");
        }

        var stack = new Stack<Func<SimRow, bool>>();
        var alternatives = new Dictionary<Func<SimRow, bool>, OrGroup>(ReferenceEqualityComparer.Instance);
        for (var i = terms.Count - 1; i >= 0; i--)
        {
            var term = terms[i];
            if (term is JsonValue value && value.GetValueKind() == JsonValueKind.String)
            {
                var op = value.GetValue<string>();
                switch (op)
                {
                    case "!":
                        var operand = Pop(stack);
                        stack.Push(row => !operand(row));
                        break;
                    case "&":
                        var left = Pop(stack);
                        var right = Pop(stack);
                        stack.Push(row => left(row) && right(row));
                        break;
                    case "|":
                        // A long OR (the connector's match search: one leaf per email and domain) is evaluated as one group:
                        // its plain ilike leaves as one multi-string search per field, its =ilike leaves as one set.
                        var either = OrGroup.Of(Pop(stack), alternatives).Or(OrGroup.Of(Pop(stack), alternatives));
                        Func<SimRow, bool> matches = either.Matches;
                        alternatives[matches] = either;
                        stack.Push(matches);
                        break;
                    default:
                        throw OdooFault.Value($"Invalid domain operator {op}");
                }
            }
            else if (term is JsonArray { Count: 3 } leaf)
            {
                var predicate = Leaf(leaf, model, database);
                if (OrGroup.TryCreate(leaf, model, database, predicate) is { } group)
                {
                    alternatives[predicate] = group;
                }

                stack.Push(predicate);
            }
            else
            {
                throw OdooFault.Value($"Invalid leaf {term?.ToJsonString()}");
            }
        }

        var all = stack.ToArray();
        return row =>
        {
            foreach (var predicate in all)
            {
                if (!predicate(row))
                {
                    return false;
                }
            }

            return true;
        };
    }

    public static bool Mentions(JsonNode? domain, string field) =>
        domain is JsonArray terms && terms.OfType<JsonArray>().Any(t => t.Count == 3 && t[0]?.GetValue<string>() == field);

    private static Func<SimRow, bool> Pop(Stack<Func<SimRow, bool>> stack) =>
        stack.Count > 0 ? stack.Pop() : throw OdooFault.Value("Invalid domain: an operator lacks its operands.");

    private static Func<SimRow, bool> Leaf(JsonArray leaf, OdooModel model, OdooDatabase database)
    {
        var path = leaf[0]?.GetValue<string>() ?? throw OdooFault.Value("Invalid leaf: no field.");
        var op = leaf[1]?.GetValue<string>()?.ToLowerInvariant() ?? throw OdooFault.Value("Invalid leaf: no operator.");
        var operand = leaf[2];
        var parts = path.Split('.');
        if (!model.Fields.TryGetValue(parts[0], out var field))
        {
            throw OdooFault.Value($"Invalid field {model.Name}.{parts[0]} in leaf {leaf.ToJsonString()}");
        }

        if (parts.Length == 2)
        {
            if (field.Kind != FieldKind.Many2One || field.Relation is null || !database.Models.TryGetValue(field.Relation, out var related) || !related.Fields.TryGetValue(parts[1], out var relatedField))
            {
                throw OdooFault.Value($"Invalid field {model.Name}.{path} in leaf {leaf.ToJsonString()}");
            }

            var inner = Compare(relatedField, op, operand);
            return row => row.Ref(field.Name) is long id && database.Find(related.Name, id) is { } target && inner(database.Stored(related, target, relatedField.Name));
        }

        var compare = Compare(field, op, operand);
        var read = database.Reader(model, field.Name);
        return row => compare(read(row));
    }

    private static Func<object?, bool> Compare(OdooField field, string op, JsonNode? operand)
    {
        switch (op)
        {
            case "=":
                return Equal(field, operand);
            case "!=":
                var equal = Equal(field, operand);
                return value => !equal(value);
            case "=?":
                return operand is null || (operand is JsonValue v && v.GetValueKind() == JsonValueKind.False) ? _ => true : Equal(field, operand);
            case "in":
            case "not in":
                var list = (operand as JsonArray ?? throw OdooFault.Value($"The operator '{op}' needs a list.")).Select(Scalar).ToList();
                var set = new HashSet<object>(list.Where(v => v is not null and not false)!);
                var matchesEmpty = list.Any(v => v is null or false);
                Func<object?, bool> member = value => value switch
                {
                    List<long> many => many.Any(id => set.Contains(id)),
                    null => matchesEmpty,
                    _ => set.Contains(value),
                };
                return op == "in" ? member : value => !member(value);
            case ">":
            case ">=":
            case "<":
            case "<=":
                var bound = Scalar(operand);
                return value =>
                {
                    var order = Order(field, value, bound);
                    return order is int c && op switch { ">" => c > 0, ">=" => c >= 0, "<" => c < 0, _ => c <= 0 };
                };
            case "like":
            case "not like":
            case "ilike":
            case "not ilike":
            case "=like":
            case "=ilike":
                var text = Scalar(operand)?.ToString() ?? string.Empty;
                if (op is "=ilike" or "=like" && text.IndexOfAny(['%', '_', '\\']) < 0)
                {
                    var comparison = op == "=ilike" ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal;
                    return value => value is string s && string.Equals(s, text, comparison);
                }

                // Odoo sends the operand unescaped (like/ilike wrap it in %...%): PostgreSQL reads % and _ as wildcards and \ as an escape.
                var pattern = "^" + LikeToRegex(op.StartsWith('=') ? text : "%" + text + "%") + "$";
                var regex = new Regex(pattern, (op.Contains('i', StringComparison.Ordinal) ? RegexOptions.IgnoreCase : RegexOptions.None) | RegexOptions.Singleline | RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1));
                var negate = op.StartsWith("not", StringComparison.Ordinal);
                return value =>
                {
                    var matched = value is string s && regex.IsMatch(s);
                    return negate ? !matched : matched;
                };
            default:
                throw OdooFault.Value($"Invalid leaf operator {op}");
        }
    }

    private static string LikeToRegex(string like)
    {
        var regex = new StringBuilder(like.Length + 8);
        for (var i = 0; i < like.Length; i++)
        {
            var c = like[i];
            if (c == '\\' && i + 1 < like.Length)
            {
                regex.Append(Regex.Escape(like[++i].ToString()));
            }
            else
            {
                regex.Append(c switch { '%' => ".*", '_' => ".", _ => Regex.Escape(c.ToString()) });
            }
        }

        return regex.ToString();
    }

    private static Func<object?, bool> Equal(OdooField field, JsonNode? operand)
    {
        var expected = Scalar(operand);
        if (expected is false && field.Kind != FieldKind.Boolean)
        {
            return value => value is null || (value is List<long> list && list.Count == 0);
        }

        if (field.Kind == FieldKind.Boolean)
        {
            var flag = expected is true;
            return value => (value is true) == flag;
        }

        if (field.Kind == FieldKind.Datetime && expected is string text)
        {
            var moment = ParseDate(text);
            return value => value is DateTimeOffset d && d == moment;
        }

        return value => value switch
        {
            List<long> many => expected is long id && many.Contains(id),
            null => expected is null,
            _ => Equals(value, expected),
        };
    }

    private static int? Order(OdooField field, object? value, object? bound)
    {
        if (value is null || bound is null)
        {
            return null;
        }

        return (value, bound) switch
        {
            (DateTimeOffset d, string text) => d.CompareTo(ParseDate(text)),
            (long a, long b) => a.CompareTo(b),
            (long a, double b) => ((double)a).CompareTo(b),
            (string a, string b) => string.CompareOrdinal(a, b),
            _ => throw OdooFault.Value($"Cannot compare {field.Name} with {bound}"),
        };
    }

    public static DateTimeOffset ParseDate(string text)
    {
        var formats = new[] { "yyyy-MM-dd HH:mm:ss", "yyyy-MM-dd HH:mm:ss.ffffff", "yyyy-MM-dd" };
        return DateTime.TryParseExact(text, formats, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var parsed)
            ? new DateTimeOffset(DateTime.SpecifyKind(parsed, DateTimeKind.Utc))
            : throw OdooFault.Value($"'{text}' is not a valid datetime");
    }

    /// <summary>A domain operand as a CLR value: long, double, string, bool or null.</summary>
    public static object? Scalar(JsonNode? node)
    {
        if (node is null)
        {
            return null;
        }

        if (node is not JsonValue value)
        {
            throw OdooFault.Value($"Unexpected value {node.ToJsonString()}");
        }

        return value.GetValueKind() switch
        {
            JsonValueKind.String => value.GetValue<string>(),
            JsonValueKind.True => true,
            JsonValueKind.False => false,
            JsonValueKind.Number => long.TryParse(value.ToJsonString(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var l) ? (object)l : double.Parse(value.ToJsonString(), CultureInfo.InvariantCulture),
            _ => null,
        };
    }

    /// <summary>
    /// The alternatives of an OR: plain <c>ilike</c> leaves (no wildcard or escape in an ASCII operand) grouped by field —
    /// a row matches when its value contains any operand, ignoring case; ASCII values are searched once for all operands,
    /// any other value goes through the leaves themselves — <c>=ilike</c> leaves without wildcards grouped by field into a
    /// case-insensitive set (the leaf's own comparison), and every other alternative as it is. The answer is always the
    /// leaves' own: this only saves evaluating hundreds of leaves one by one on every row.
    /// </summary>
    private sealed class OrGroup
    {
        private readonly OdooModel _model;
        private readonly OdooDatabase _database;
        private readonly List<(string Field, string Needle, Func<SimRow, bool> Leaf)> _contains;
        private readonly List<(string Field, string Value)> _equals;
        private readonly List<Func<SimRow, bool>> _others;
        private (Func<SimRow, object?> Read, SearchValues<string> Search, Func<SimRow, bool>[] Leaves)[]? _searches;
        private (Func<SimRow, object?> Read, HashSet<string> Values)[]? _sets;

        private OrGroup(OdooModel model, OdooDatabase database, List<(string, string, Func<SimRow, bool>)> contains, List<(string, string)> equals, List<Func<SimRow, bool>> others)
        {
            _model = model;
            _database = database;
            _contains = contains;
            _equals = equals;
            _others = others;
        }

        public static OrGroup? TryCreate(JsonArray leaf, OdooModel model, OdooDatabase database, Func<SimRow, bool> predicate)
        {
            var path = leaf[0]?.GetValue<string>();
            var op = leaf[1]?.GetValue<string>()?.ToLowerInvariant();
            if (op is not ("ilike" or "=ilike") || path is null || path.Contains('.', StringComparison.Ordinal)
                || !model.Fields.TryGetValue(path, out var field) || field.Kind is FieldKind.Many2One or FieldKind.Many2Many or FieldKind.One2Many
                || Scalar(leaf[2]) is not string { Length: > 0 } text || text.IndexOfAny(['%', '_', '\\']) >= 0)
            {
                return null;
            }

            return op == "=ilike"
                ? new OrGroup(model, database, [], [(path, text)], [])
                : Ascii.IsValid(text) ? new OrGroup(model, database, [(path, text, predicate)], [], []) : null;
        }

        /// <summary>The group of a compiled operand: its own when it is a leaf or an OR already grouped, else one holding it as it is.</summary>
        public static OrGroup Of(Func<SimRow, bool> predicate, Dictionary<Func<SimRow, bool>, OrGroup> groups) =>
            groups.TryGetValue(predicate, out var group) ? group : new OrGroup(null!, null!, [], [], [predicate]);

        public OrGroup Or(OrGroup other) => new(
            _model ?? other._model,
            _database ?? other._database,
            [.. _contains, .. other._contains],
            [.. _equals, .. other._equals],
            [.. _others, .. other._others]);

        public bool Matches(SimRow row)
        {
            _sets ??= [.. _equals.GroupBy(e => e.Field).Select(g => (_database.Reader(_model, g.Key), g.Select(e => e.Value).ToHashSet(StringComparer.OrdinalIgnoreCase)))];
            foreach (var (read, values) in _sets)
            {
                if (read(row) is string value && values.Contains(value))
                {
                    return true;
                }
            }

            _searches ??= [.. _contains.GroupBy(c => c.Field).Select(g => (_database.Reader(_model, g.Key), SearchValues.Create([.. g.Select(c => c.Needle).Distinct(StringComparer.OrdinalIgnoreCase)], StringComparison.OrdinalIgnoreCase), g.Select(c => c.Leaf).ToArray()))];
            foreach (var (read, search, leaves) in _searches)
            {
                if (read(row) is not string value)
                {
                    continue;
                }

                if (Ascii.IsValid(value) ? value.AsSpan().IndexOfAny(search) >= 0 : leaves.Any(leaf => leaf(row)))
                {
                    return true;
                }
            }

            foreach (var other in _others)
            {
                if (other(row))
                {
                    return true;
                }
            }

            return false;
        }
    }
}
