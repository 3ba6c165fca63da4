using System.Diagnostics.CodeAnalysis;

namespace Concord.Canonical.Normalization;

/// <summary>
/// The single-value normalisations of the canonical model, for callers that compare values
/// (identity matching, find by match keys) without normalising a whole customer.
/// Every method is pure, allocation-light and never throws for odd input.
/// </summary>
public static class Normalize
{
    /// <summary>Trims and lower-cases an email address (a leading <c>mailto:</c> is dropped).</summary>
    /// <param name="address">The address as a source held it.</param>
    /// <returns>The normalised address, or null when <paramref name="address"/> is null or blank.</returns>
    /// <example><c>Normalize.Email(" Ada@Example.COM ")</c> returns <c>ada@example.com</c>.</example>
    [return: NotNullIfNotNull(nameof(address))]
    public static string? Email(string? address)
    {
        if (address is null)
        {
            return null;
        }

        var span = address.AsSpan().Trim();
        if (span.StartsWith("mailto:", StringComparison.OrdinalIgnoreCase))
        {
            span = span["mailto:".Length..].TrimStart();
        }

        return ToLowerInvariant(span, address);
    }

    /// <summary>
    /// Derives the normalised domain from a website or domain: no scheme, no user info, no port, no path,
    /// query or fragment, no leading <c>www.</c>, no trailing dot, lower case.
    /// </summary>
    /// <param name="websiteOrDomain">A URL (<c>https://www.Example.com:443/about</c>) or a bare domain.</param>
    /// <returns>The domain (<c>example.com</c>), or null when nothing resembling a host is left.</returns>
    public static string? Domain(string? websiteOrDomain)
    {
        if (string.IsNullOrWhiteSpace(websiteOrDomain))
        {
            return null;
        }

        var span = websiteOrDomain.AsSpan().Trim();
        var scheme = span.IndexOf("://", StringComparison.Ordinal);
        if (scheme >= 0)
        {
            span = span[(scheme + 3)..];
        }
        else if (span.StartsWith("//", StringComparison.Ordinal))
        {
            span = span[2..];
        }

        var pathStart = span.IndexOfAny('/', '?', '#');
        if (pathStart >= 0)
        {
            span = span[..pathStart];
        }

        var userInfo = span.LastIndexOf('@');
        if (userInfo >= 0)
        {
            span = span[(userInfo + 1)..];
        }

        var port = span.IndexOf(':');
        if (port >= 0)
        {
            span = span[..port];
        }

        span = span.TrimEnd('.');
        if (span.StartsWith("www.", StringComparison.OrdinalIgnoreCase))
        {
            span = span[4..];
        }

        if (span.IsEmpty || !IsHostLike(span))
        {
            return null;
        }

        return ToLowerInvariant(span, websiteOrDomain);
    }

    /// <summary>The normalised domain of an email address (<c>Ada@Mail.Example.COM</c> gives <c>mail.example.com</c>).</summary>
    /// <param name="address">The email address.</param>
    /// <returns>The domain, or null when the address has no <c>@</c> followed by a host.</returns>
    public static string? DomainOfEmail(string? address)
    {
        if (address is null)
        {
            return null;
        }

        var at = address.LastIndexOf('@');
        return at < 0 ? null : Domain(address[(at + 1)..]);
    }

    /// <summary>Upper-cases a tax or registry identifier and removes spaces, dots and dashes.</summary>
    /// <param name="value">The identifier as a source held it (<c>de 123.456-789</c>).</param>
    /// <returns>The normalised identifier (<c>DE123456789</c>), or null when <paramref name="value"/> is null.</returns>
    [return: NotNullIfNotNull(nameof(value))]
    public static string? TaxIdValue(string? value)
    {
        if (value is null)
        {
            return null;
        }

        var kept = CountKept(value);
        if (kept == value.Length && IsUpperInvariant(value))
        {
            return value;
        }

        return string.Create(kept, value, static (destination, source) =>
        {
            var i = 0;
            foreach (var c in source)
            {
                if (!IsTaxIdSeparator(c))
                {
                    destination[i++] = char.ToUpperInvariant(c);
                }
            }
        });
    }

    /// <summary>Upper-cases and trims a code (country, currency, region).</summary>
    /// <param name="code">The code.</param>
    /// <returns>The upper-case code, or null when <paramref name="code"/> is null.</returns>
    [return: NotNullIfNotNull(nameof(code))]
    public static string? Code(string? code) => code is null ? null : ToUpperInvariant(code.AsSpan().Trim(), code);

    /// <summary>
    /// Checks that <paramref name="tag"/> is a well-formed BCP 47 language tag and returns it in canonical
    /// case (<c>EN_us</c> becomes <c>en-US</c>, <c>zh-hant-tw</c> becomes <c>zh-Hant-TW</c>).
    /// </summary>
    /// <param name="tag">The tag; underscores are read as hyphens.</param>
    /// <param name="normalized">The tag in canonical case, when well-formed.</param>
    /// <returns>True when the tag is well-formed.</returns>
    public static bool TryLanguageTag(string? tag, [NotNullWhen(true)] out string? normalized)
    {
        if (LanguageTag.TryNormalize(tag, out var value))
        {
            normalized = value;
            return true;
        }

        normalized = null;
        return false;
    }

    /// <summary>
    /// Derives the E.164 form of a phone number with libphonenumber. A number written without an
    /// international prefix needs <paramref name="regionHint"/>.
    /// </summary>
    /// <param name="raw">The number as a source held it (<c>030 1234567</c>, <c>+49 (30) 123-4567</c>).</param>
    /// <param name="regionHint">An ISO 3166-1 alpha-2 country to read national numbers in, or null.</param>
    /// <returns>The E.164 number (<c>+49301234567</c>), or null when it does not parse to a valid number.</returns>
    public static string? PhoneE164(string? raw, string? regionHint = null) => PhoneNormalizer.ToE164(raw, regionHint);

    private static bool IsHostLike(ReadOnlySpan<char> host)
    {
        foreach (var c in host)
        {
            if (char.IsWhiteSpace(c) || char.IsControl(c) || c is '\\' or '"' or '<' or '>')
            {
                return false;
            }
        }

        return true;
    }

    private static bool IsUpperInvariant(string value)
    {
        foreach (var c in value)
        {
            if (char.ToUpperInvariant(c) != c)
            {
                return false;
            }
        }

        return true;
    }

    private static bool IsTaxIdSeparator(char c) => c is '.' or '-' || char.IsWhiteSpace(c);

    private static int CountKept(string value)
    {
        var count = 0;
        foreach (var c in value)
        {
            if (!IsTaxIdSeparator(c))
            {
                count++;
            }
        }

        return count;
    }

    // Returns original when the span already is the whole, lower-case string: no allocation on normalised input.
    private static string ToLowerInvariant(ReadOnlySpan<char> span, string original)
    {
        var alreadyLower = span.Length == original.Length;
        foreach (var c in span)
        {
            if (char.ToLowerInvariant(c) != c)
            {
                alreadyLower = false;
                break;
            }
        }

        if (alreadyLower)
        {
            return original;
        }

        return string.Create(span.Length, span, static (destination, source) => source.ToLowerInvariant(destination));
    }

    private static string ToUpperInvariant(ReadOnlySpan<char> span, string original)
    {
        var alreadyUpper = span.Length == original.Length;
        foreach (var c in span)
        {
            if (char.ToUpperInvariant(c) != c)
            {
                alreadyUpper = false;
                break;
            }
        }

        if (alreadyUpper)
        {
            return original;
        }

        return string.Create(span.Length, span, static (destination, source) => source.ToUpperInvariant(destination));
    }
}
