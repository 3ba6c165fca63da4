using System.Text.RegularExpressions;

namespace Concord.Canonical.Privacy;

/// <summary>
/// Masks personal data in free text (vendor messages, log values): email addresses keep their first
/// character and domain, phone numbers and long digit runs (tax ids, account numbers) keep their last two digits.
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
            return DigitRunPattern().Replace(masked, m => MaskDigits(m.Value));
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

    // Five or more digits, optionally separated by spaces, dots, dashes or parentheses, optionally with a leading + or country letters.
    [GeneratedRegex(@"(?:\+|\b[A-Z]{2})?\d(?:[\s\-\.\(\)]?\d){4,}", RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 1000)]
    private static partial Regex DigitRunPattern();
}
