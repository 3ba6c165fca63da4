using System.Text.RegularExpressions;

namespace Concord.Canonical.Privacy;

/// <summary>
/// Masks personal data in free text (vendor messages, log values): email addresses keep their first character and
/// domain; phone numbers, tax ids, IBANs and long account or card numbers keep their last two digits (and their
/// country letters and layout). What diagnostics need stays readable: dates and times, IP addresses and ports,
/// version numbers, decimal numbers, quantities with a unit, standard names (<c>ISO 3166-1</c>), hexadecimal ids and
/// GUIDs, and plain numbers of up to eight digits (record ids, sizes, counts). Names cannot be recognised in free text:
/// the sync engine removes a record's own names before its reasons reach this masker.
/// </summary>
public static partial class PersonalDataMasker
{
    /// <summary>Returns <paramref name="text"/> with emails, phone numbers and long digit runs masked.</summary>
    /// <param name="text">The text to mask.</param>
    /// <returns>The masked text.</returns>
    /// <remarks>Never throws for odd input: text the patterns cannot scan in time is withheld as a whole.</remarks>
    public static string Mask(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        try
        {
            var masked = EmailPattern().Replace(text, m => MaskEmail(m.Value));
            return NumberPattern().Replace(masked, m => IsPersonal(m, masked) ? MaskDigits(m.Value) : m.Value);
        }
        catch (RegexMatchTimeoutException)
        {
            return Withheld;
        }
    }

    /// <summary>What <see cref="Mask"/> returns for text it could not scan in time.</summary>
    public const string Withheld = "[withheld: the text could not be scanned for personal data]";

    /// <summary>Masks one email address: <c>ada@example.com</c> becomes <c>a***@example.com</c>.</summary>
    /// <param name="email">The address.</param>
    /// <returns>The masked address.</returns>
    public static string MaskEmail(string? email)
    {
        if (string.IsNullOrEmpty(email))
        {
            return string.Empty;
        }

        var at = email.IndexOf('@', StringComparison.Ordinal);
        return at <= 0 ? "***" : string.Concat(email.AsSpan(0, 1), "***", email.AsSpan(at));
    }

    /// <summary>Masks an identifier or number, keeping its last two characters: <c>DE123456789</c> becomes <c>*********89</c>.</summary>
    /// <param name="value">The value.</param>
    /// <returns>The masked value.</returns>
    public static string MaskIdentifier(string? value)
    {
        if (string.IsNullOrEmpty(value))
        {
            return string.Empty;
        }

        return value.Length <= 2 ? new string('*', value.Length) : string.Concat(new string('*', value.Length - 2), value.AsSpan(value.Length - 2));
    }

    /// <summary>
    /// Whether a run of digits is personal data: one with a <c>+</c> or country letters in front and at least seven
    /// digits (a phone number, a tax id, an IBAN), one of at least seven digits laid out in groups (a phone number),
    /// or a plain run of at least nine digits (an account, card or unformatted phone number) — unless it reads as a
    /// date, an IP address, a version, a decimal number or a quantity with a unit.
    /// </summary>
    private static bool IsPersonal(Match match, string text)
    {
        var run = match.Groups["digits"].Value;
        var digits = 0;
        var separated = false;
        var dotsOnly = true;
        var dots = 0;
        foreach (var c in run)
        {
            if (char.IsAsciiDigit(c))
            {
                digits++;
                continue;
            }

            separated = true;
            dots += c == '.' ? 1 : 0;
            dotsOnly &= c == '.';
        }

        if (digits < MinimumDigits)
        {
            return false;
        }

        if (match.Groups["plus"].Success || match.Groups["letters"].Success)
        {
            return true;
        }

        var end = match.Index + match.Length;
        if (end < text.Length && char.IsAsciiLetterLower(text[end]))
        {
            return false; // inside an identifier (a hash, a hexadecimal id)
        }

        if (DatePattern().IsMatch(run) || UnitPattern().IsMatch(text.AsSpan(end)))
        {
            return false;
        }

        if (separated && dotsOnly)
        {
            // 1234.5678 (a decimal), 10.0.15 and 127.0.0.1 (versions, addresses: no group of more than three digits).
            return dots > 1 && !AllGroupsShort(run);
        }

        return separated || digits >= MinimumPlainDigits;
    }

    private static bool AllGroupsShort(string run)
    {
        foreach (var group in run.Split('.'))
        {
            if (group.Length > 3)
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Digits a phone number, tax id or IBAN has at least.</summary>
    private const int MinimumDigits = 7;

    /// <summary>Digits a plain run (no <c>+</c>, no country letters, no grouping) needs before it counts as an account or card number.</summary>
    private const int MinimumPlainDigits = 9;

    private static string MaskDigits(string run)
    {
        var chars = run.ToCharArray();
        var digitsSeen = 0;
        for (var i = chars.Length - 1; i >= 0; i--)
        {
            if (char.IsAsciiDigit(chars[i]) && ++digitsSeen > 2)
            {
                chars[i] = '*';
            }
        }

        return new string(chars);
    }

    [GeneratedRegex(@"[A-Za-z0-9._%+\-]+@[A-Za-z0-9.\-]+\.[A-Za-z]{2,}", RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 1000)]
    private static partial Regex EmailPattern();

    // A run of digits, not inside a word, with single separators (space, dash, dot, slash, parentheses) between them,
    // optionally after a + or two or three country letters (DE, CHE, ATU) and one space or dash.
    [GeneratedRegex(@"(?<![\w+.\-/])(?:(?<plus>\+)|(?<letters>\b[A-Z]{2,3})[ \-]?)?(?<digits>\(?\d(?:(?:[ \-./]|\) ?| ?\()?\d)*)", RegexOptions.CultureInvariant | RegexOptions.ExplicitCapture, matchTimeoutMilliseconds: 1000)]
    private static partial Regex NumberPattern();

    // Dates: 2026-11-23, 2026/11/23, 23/11/2026, 23.11.2026, each possibly followed by the hour of a time (2026-11-23 09:00).
    [GeneratedRegex(@"^(?:\d{4}[\-/]\d{1,2}[\-/]\d{1,2}|\d{1,2}[/.\-]\d{1,2}[/.\-]\d{4})(?: \d{1,2})?$", RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 1000)]
    private static partial Regex DatePattern();

    // A unit right after a number makes it a quantity: 1048576 bytes, 2500000 microseconds, 12345 ms.
    [GeneratedRegex(@"^ ?(?:bytes?|[KMGT]i?B|B|[mun]?s|ms|µs|microseconds?|milliseconds?|seconds?|secs?|minutes?|mins?|hours?|h|days?|records?|rows?|items?|events?|requests?|calls?|attempts?|characters?|chars?|%)\b", RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 1000)]
    private static partial Regex UnitPattern();
}
