using PhoneNumbers;

namespace Concord.Canonical.Normalization;

/// <summary>Derives E.164 numbers with libphonenumber; a number that does not parse to a valid number has no E.164 form.</summary>
internal static class PhoneNormalizer
{
    // Longer raw values are not phone numbers; libphonenumber itself refuses above 250 characters.
    private const int MaxRawLength = 100;

    private static readonly PhoneNumberUtil Util = PhoneNumberUtil.GetInstance();

    public static string? ToE164(string? raw, string? regionHint)
    {
        if (string.IsNullOrWhiteSpace(raw) || raw.Length > MaxRawLength)
        {
            return null;
        }

        try
        {
            var number = Util.Parse(raw, regionHint ?? "ZZ");
            return Util.IsValidNumber(number) ? Util.Format(number, PhoneNumberFormat.E164) : null;
        }
        catch (NumberParseException)
        {
            return null;
        }
    }
}
