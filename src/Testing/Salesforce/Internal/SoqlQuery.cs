using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace Concord.Testing.Salesforce.Internal;

/// <summary>
/// The SOQL subset the Salesforce connector sends, parsed: <c>SELECT f, … FROM Obj [WHERE expr] [ORDER BY f [ASC|DESC], …]
/// [LIMIT n]</c>, where <c>expr</c> combines with AND, OR, NOT and parentheses comparisons (<c>= != &lt;&gt; &lt; &gt; &lt;= &gt;=</c>),
/// <c>IN (…)</c> and <c>LIKE</c> on string, datetime, number, boolean and null literals.
/// </summary>
internal sealed partial class SoqlQuery
{
    private readonly List<Token> _tokens;
    private int _position;

    private SoqlQuery(string text)
    {
        _tokens = Tokenize(text);
    }

    public List<string> Fields { get; } = [];

    public string SObject { get; private set; } = string.Empty;

    public Func<Func<string, object?>, bool>? Where { get; private set; }

    public List<(string Field, bool Descending)> OrderBy { get; } = [];

    public int? Limit { get; private set; }

    /// <summary>Parses <paramref name="text"/>; throws <see cref="FormatException"/> with a MALFORMED_QUERY-style message.</summary>
    public static SoqlQuery Parse(string text)
    {
        var query = new SoqlQuery(text);
        query.ParseStatement();
        return query;
    }

    /// <summary>Compares two field values the way SOQL orders them (null first, strings case-insensitive).</summary>
    public static int CompareValues(object? left, object? right)
    {
        if (left is null || right is null)
        {
            return left is null ? (right is null ? 0 : -1) : 1;
        }

        return (left, right) switch
        {
            (DateTimeOffset a, DateTimeOffset b) => a.CompareTo(b),
            (string a, string b) => string.Compare(a, b, StringComparison.OrdinalIgnoreCase),
            (bool a, bool b) => a.CompareTo(b),
            (decimal a, decimal b) => a.CompareTo(b),
            (DateTimeOffset a, string b) when TryDate(b, out var d) => a.CompareTo(d),
            (string a, DateTimeOffset b) when TryDate(a, out var d) => d.CompareTo(b),
            _ => string.Compare(Convert.ToString(left, CultureInfo.InvariantCulture), Convert.ToString(right, CultureInfo.InvariantCulture), StringComparison.OrdinalIgnoreCase),
        };
    }

    /// <summary>
    /// Equality as SOQL has it; on id fields (<c>Id</c>, <c>AccountId</c>, …) a 15-character literal names the record whose
    /// 18-character id starts with it, case-sensitively, as Salesforce accepts either form.
    /// </summary>
    private static bool Same(string field, object value, object? literal) =>
        field.EndsWith("Id", StringComparison.Ordinal) && value is string { Length: 18 } id && literal is string { Length: 15 } shortId
            ? id.StartsWith(shortId, StringComparison.Ordinal)
            : CompareValues(value, literal) == 0;

    private static bool TryDate(string text, out DateTimeOffset value) =>
        DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out value);

    private void ParseStatement()
    {
        Expect("SELECT");
        do
        {
            Fields.Add(ExpectIdentifier());
        }
        while (Accept(","));

        Expect("FROM");
        SObject = ExpectIdentifier();
        if (Accept("WHERE"))
        {
            Where = ParseOr();
        }

        if (Accept("ORDER"))
        {
            Expect("BY");
            do
            {
                var field = ExpectIdentifier();
                var descending = false;
                if (Accept("DESC"))
                {
                    descending = true;
                }
                else
                {
                    Accept("ASC");
                }

                OrderBy.Add((field, descending));
            }
            while (Accept(","));
        }

        if (Accept("LIMIT"))
        {
            var token = Next();
            Limit = token.Kind == TokenKind.Number ? (int)(decimal)token.Value! : throw Malformed($"LIMIT needs a number, not '{token.Text}'");
        }

        if (_position < _tokens.Count)
        {
            throw Malformed($"unexpected token: '{_tokens[_position].Text}'");
        }
    }

    private Func<Func<string, object?>, bool> ParseOr()
    {
        var left = ParseAnd();
        while (Accept("OR"))
        {
            var l = left;
            var right = ParseAnd();
            left = row => l(row) || right(row);
        }

        return left;
    }

    private Func<Func<string, object?>, bool> ParseAnd()
    {
        var left = ParseFactor();
        while (Accept("AND"))
        {
            var l = left;
            var right = ParseFactor();
            left = row => l(row) && right(row);
        }

        return left;
    }

    private Func<Func<string, object?>, bool> ParseFactor()
    {
        if (Accept("NOT"))
        {
            var inner = ParseFactor();
            return row => !inner(row);
        }

        if (Accept("("))
        {
            var inner = ParseOr();
            Expect(")");
            return inner;
        }

        var field = ExpectIdentifier();
        if (Accept("IN"))
        {
            Expect("(");
            var values = new List<object?>();
            do
            {
                values.Add(ExpectLiteral());
            }
            while (Accept(","));

            Expect(")");

            // Text against text literals is a case-insensitive equality (Same), so a set answers it; a 15-character
            // literal on an id field (a prefix match) or any other value type goes through Same.
            var isIdField = field.EndsWith("Id", StringComparison.Ordinal);
            var texts = values.All(v => v is string text && !(isIdField && text.Length == 15))
                ? new HashSet<string>(values.Cast<string>(), StringComparer.OrdinalIgnoreCase)
                : null;
            return row =>
            {
                var value = row(field);
                return value is string text && texts is not null ? texts.Contains(text) : values.Any(v => value is not null && Same(field, value, v));
            };
        }

        if (Accept("LIKE"))
        {
            var pattern = ExpectLiteral() as string ?? throw Malformed("LIKE needs a string");
            var regex = LikeToRegex(pattern);
            return row => row(field) is string value && regex.IsMatch(value);
        }

        var op = Next();
        if (op.Kind != TokenKind.Operator)
        {
            throw Malformed($"expected an operator after '{field}', got '{op.Text}'");
        }

        var literal = ExpectLiteral();
        return op.Text switch
        {
            "=" => row => literal is null ? row(field) is null : row(field) is { } v && Same(field, v, literal),
            "!=" or "<>" => row => literal is null ? row(field) is not null : row(field) is not { } v || CompareValues(v, literal) != 0,
            "<" => row => row(field) is { } v && CompareValues(v, literal) < 0,
            ">" => row => row(field) is { } v && CompareValues(v, literal) > 0,
            "<=" => row => row(field) is { } v && CompareValues(v, literal) <= 0,
            ">=" => row => row(field) is { } v && CompareValues(v, literal) >= 0,
            _ => throw Malformed($"unknown operator '{op.Text}'"),
        };
    }

    private static Regex LikeToRegex(string pattern)
    {
        var builder = new StringBuilder("^");
        for (var i = 0; i < pattern.Length; i++)
        {
            var c = pattern[i];
            if (c == '\\' && i + 1 < pattern.Length)
            {
                builder.Append(Regex.Escape(pattern[++i].ToString()));
            }
            else if (c == '%')
            {
                builder.Append(".*");
            }
            else if (c == '_')
            {
                builder.Append('.');
            }
            else
            {
                builder.Append(Regex.Escape(c.ToString()));
            }
        }

        return new Regex(builder.Append('$').ToString(), RegexOptions.IgnoreCase | RegexOptions.Singleline | RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1));
    }

    private object? ExpectLiteral()
    {
        var token = Next();
        return token.Kind switch
        {
            TokenKind.String or TokenKind.Number or TokenKind.DateTime => token.Value,
            TokenKind.Word when token.Text.Equals("null", StringComparison.OrdinalIgnoreCase) => null,
            TokenKind.Word when token.Text.Equals("true", StringComparison.OrdinalIgnoreCase) => true,
            TokenKind.Word when token.Text.Equals("false", StringComparison.OrdinalIgnoreCase) => false,
            _ => throw Malformed($"expected a value, got '{token.Text}'"),
        };
    }

    private string ExpectIdentifier()
    {
        var token = Next();
        return token.Kind == TokenKind.Word ? token.Text : throw Malformed($"expected a name, got '{token.Text}'");
    }

    private void Expect(string text)
    {
        if (!Accept(text))
        {
            throw Malformed($"expected {text}, got '{(_position < _tokens.Count ? _tokens[_position].Text : "end of query")}'");
        }
    }

    private bool Accept(string text)
    {
        if (_position < _tokens.Count && _tokens[_position].Kind != TokenKind.String && _tokens[_position].Text.Equals(text, StringComparison.OrdinalIgnoreCase))
        {
            _position++;
            return true;
        }

        return false;
    }

    private Token Next() => _position < _tokens.Count ? _tokens[_position++] : throw Malformed("unexpected end of query");

    private static FormatException Malformed(string message) => new($"unexpected token or syntax: {message}");

    private static List<Token> Tokenize(string text)
    {
        var tokens = new List<Token>();
        var i = 0;
        while (i < text.Length)
        {
            var c = text[i];
            if (char.IsWhiteSpace(c))
            {
                i++;
            }
            else if (c == '\'')
            {
                var builder = new StringBuilder();
                i++;
                while (i < text.Length && text[i] != '\'')
                {
                    if (text[i] == '\\' && i + 1 < text.Length)
                    {
                        var escaped = text[++i];
                        builder.Append(escaped switch { 'n' => '\n', 'r' => '\r', 't' => '\t', _ => escaped });
                        if (escaped is '%' or '_')
                        {
                            // Keep LIKE escapes for the pattern.
                            builder.Insert(builder.Length - 1, '\\');
                        }
                    }
                    else
                    {
                        builder.Append(text[i]);
                    }

                    i++;
                }

                if (i >= text.Length)
                {
                    throw Malformed("unterminated string");
                }

                i++;
                tokens.Add(new Token(TokenKind.String, builder.ToString(), builder.ToString()));
            }
            else if (char.IsAsciiDigit(c))
            {
                var start = i;
                while (i < text.Length && (char.IsAsciiLetterOrDigit(text[i]) || text[i] is ':' or '.' or '+' or '-'))
                {
                    i++;
                }

                var word = text[start..i];
                if (DateTimePattern().IsMatch(word) && DateTimeOffset.TryParse(word, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var date))
                {
                    tokens.Add(new Token(TokenKind.DateTime, word, date));
                }
                else if (decimal.TryParse(word, NumberStyles.Float, CultureInfo.InvariantCulture, out var number))
                {
                    tokens.Add(new Token(TokenKind.Number, word, number));
                }
                else
                {
                    throw Malformed($"'{word}' is not a value");
                }
            }
            else if (char.IsAsciiLetter(c) || c == '_')
            {
                var start = i;
                while (i < text.Length && (char.IsAsciiLetterOrDigit(text[i]) || text[i] is '_' or '.'))
                {
                    i++;
                }

                tokens.Add(new Token(TokenKind.Word, text[start..i], null));
            }
            else if (c is '(' or ')' or ',')
            {
                tokens.Add(new Token(TokenKind.Punctuation, c.ToString(), null));
                i++;
            }
            else if (c is '=' or '!' or '<' or '>')
            {
                var two = i + 1 < text.Length ? text.Substring(i, 2) : string.Empty;
                var op = two is "!=" or "<>" or "<=" or ">=" ? two : c.ToString();
                tokens.Add(new Token(TokenKind.Operator, op, null));
                i += op.Length;
            }
            else
            {
                throw Malformed($"unexpected character '{c}'");
            }
        }

        return tokens;
    }

    [GeneratedRegex(@"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:?\d{2})$", RegexOptions.CultureInvariant)]
    private static partial Regex DateTimePattern();

    private enum TokenKind
    {
        Word,
        String,
        Number,
        DateTime,
        Operator,
        Punctuation,
    }

    private sealed record Token(TokenKind Kind, string Text, object? Value);
}
