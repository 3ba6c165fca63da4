namespace Concord.Connectors.Odoo.Matching;

/// <summary>
/// PostgreSQL's <c>LIKE</c> / <c>ILIKE</c>, which Odoo's <c>like</c>, <c>ilike</c>, <c>=like</c> and <c>=ilike</c>
/// operators become: the pattern must match the whole value; <c>%</c> matches any run of characters, <c>_</c> exactly
/// one, and a backslash makes the next character literal. Odoo passes the operand through unescaped (<c>ilike</c> only
/// wraps it in <c>%…%</c>), so an <c>_</c> in an email address is a wildcard on the server, and here too.
/// </summary>
/// <remarks>
/// Case-insensitive comparison folds each UTF-16 unit with the invariant culture; PostgreSQL folds by the database
/// collation's rules, which differ only for a few scripts (Turkish dotted I, for instance). With the <c>unaccent</c>
/// server option on, Odoo also ignores accents; that option is off by default and not reproduced.
/// </remarks>
internal static class SqlLike
{
    /// <summary>Odoo's <c>=ilike</c>: a case-insensitive match of the whole value.</summary>
    public static bool EqualsIgnoreCase(string? value, string pattern) => IsMatch(value, pattern, ignoreCase: true);

    /// <summary>Odoo's <c>ilike</c>: the pattern, case-insensitively, anywhere in the value.</summary>
    public static bool ContainsIgnoreCase(string? value, string pattern) => IsMatch(value, "%" + pattern + "%", ignoreCase: true);

    /// <summary>Whether <paramref name="value"/> matches <paramref name="pattern"/>; a null value (SQL NULL) matches nothing.</summary>
    public static bool IsMatch(string? value, string pattern, bool ignoreCase)
    {
        if (value is null)
        {
            return false;
        }

        // Greedy matching with one backtrack point: the last % seen and where in the value it started matching.
        int v = 0, p = 0, resumeAt = -1, resumeFrom = 0;
        while (v < value.Length)
        {
            if (p < pattern.Length)
            {
                var c = pattern[p];
                if (c == '%')
                {
                    resumeAt = ++p;
                    resumeFrom = v;
                    continue;
                }

                if (c == '_')
                {
                    p++;
                    v++;
                    continue;
                }

                var width = 1;
                if (c == '\\' && p + 1 < pattern.Length)
                {
                    c = pattern[p + 1];
                    width = 2;
                }

                if (Same(value[v], c, ignoreCase))
                {
                    p += width;
                    v++;
                    continue;
                }
            }

            if (resumeAt < 0)
            {
                return false;
            }

            p = resumeAt;
            v = ++resumeFrom;
        }

        while (p < pattern.Length && pattern[p] == '%')
        {
            p++;
        }

        return p == pattern.Length;
    }

    private static bool Same(char a, char b, bool ignoreCase) =>
        a == b || (ignoreCase && char.ToLowerInvariant(a) == char.ToLowerInvariant(b));
}
