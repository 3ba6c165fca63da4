using System.Text.Json;

namespace Concord.Connectors.Odoo.Api;

/// <summary>
/// An Odoo search domain in prefix notation: leaves <c>[field, operator, value]</c> and the operators
/// <c>&amp;</c>, <c>|</c> (binary) and <c>!</c> (unary) before their operands; leaves side by side are ANDed.
/// Immutable once built; written to JSON without reflection.
/// </summary>
internal sealed class OdooDomain
{
    private readonly List<Term> _terms = [];

    public static OdooDomain Empty => new();

    public int Count => _terms.Count;

    public OdooDomain Where(string field, string op, string? value) => Add(new Term(field, op, value is null ? TermValue.False : TermValue.Text(value)));

    public OdooDomain Where(string field, string op, long value) => Add(new Term(field, op, TermValue.Number(value)));

    public OdooDomain Where(string field, string op, bool value) => Add(new Term(field, op, value ? TermValue.True : TermValue.False));

    public OdooDomain WhereIn(string field, IEnumerable<long> values, bool negate = false) =>
        Add(new Term(field, negate ? "not in" : "in", TermValue.Numbers([.. values])));

    public OdooDomain WhereIn(string field, IEnumerable<string> values, bool negate = false) =>
        Add(new Term(field, negate ? "not in" : "in", TermValue.Texts([.. values])));

    public OdooDomain Or() => Add(Term.Operator("|"));

    public OdooDomain And() => Add(Term.Operator("&"));

    public OdooDomain Not() => Add(Term.Operator("!"));

    /// <summary>Appends <paramref name="alternatives"/> joined by <c>|</c> (nothing when empty; a leaf that never matches keeps the domain valid).</summary>
    public OdooDomain AnyOf(IReadOnlyList<OdooDomain> alternatives)
    {
        if (alternatives.Count == 0)
        {
            return Where("id", "=", 0L);
        }

        for (var i = 1; i < alternatives.Count; i++)
        {
            Or();
        }

        foreach (var alternative in alternatives)
        {
            if (alternative.Count > 1)
            {
                for (var i = 1; i < alternative.LeafCount(); i++)
                {
                    And();
                }
            }

            _terms.AddRange(alternative._terms);
        }

        return this;
    }

    public void WriteTo(Utf8JsonWriter writer)
    {
        writer.WriteStartArray();
        foreach (var term in _terms)
        {
            if (term.Field is null)
            {
                writer.WriteStringValue(term.Op);
                continue;
            }

            writer.WriteStartArray();
            writer.WriteStringValue(term.Field);
            writer.WriteStringValue(term.Op);
            term.Value.WriteTo(writer);
            writer.WriteEndArray();
        }

        writer.WriteEndArray();
    }

    private int LeafCount() => _terms.Count(t => t.Field is not null);

    private OdooDomain Add(Term term)
    {
        _terms.Add(term);
        return this;
    }

    private sealed record Term(string? Field, string Op, TermValue Value)
    {
        public static Term Operator(string op) => new(null, op, TermValue.False);
    }

    private sealed class TermValue
    {
        public static readonly TermValue True = new(0, null, null, null, true);
        public static readonly TermValue False = new(0, null, null, null, false);

        private readonly long _number;
        private readonly string? _text;
        private readonly long[]? _numbers;
        private readonly string[]? _texts;
        private readonly bool? _flag;

        private TermValue(long number, string? text, long[]? numbers, string[]? texts, bool? flag)
        {
            _number = number;
            _text = text;
            _numbers = numbers;
            _texts = texts;
            _flag = flag;
        }

        public static TermValue Number(long value) => new(value, null, null, null, null);

        public static TermValue Text(string value) => new(0, value, null, null, null);

        public static TermValue Numbers(long[] values) => new(0, null, values, null, null);

        public static TermValue Texts(string[] values) => new(0, null, null, values, null);

        public void WriteTo(Utf8JsonWriter writer)
        {
            if (_flag is bool flag)
            {
                writer.WriteBooleanValue(flag);
            }
            else if (_text is not null)
            {
                writer.WriteStringValue(_text);
            }
            else if (_numbers is not null)
            {
                writer.WriteStartArray();
                foreach (var n in _numbers)
                {
                    writer.WriteNumberValue(n);
                }

                writer.WriteEndArray();
            }
            else if (_texts is not null)
            {
                writer.WriteStartArray();
                foreach (var t in _texts)
                {
                    writer.WriteStringValue(t);
                }

                writer.WriteEndArray();
            }
            else
            {
                writer.WriteNumberValue(_number);
            }
        }
    }
}
