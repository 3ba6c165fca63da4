namespace Concord.Connectors.Salesforce.Query;

/// <summary>
/// Salesforce record ids: 15 case-sensitive characters, or 18 with a case-checksum suffix. Queries accept either and
/// answer with the 18-character form, so an answer is matched to what was asked by the first 15 characters.
/// </summary>
internal static class SalesforceId
{
    /// <summary>Whether <paramref name="id"/> has the shape of an id Salesforce could have issued (asking with anything else only gets MALFORMED_ID).</summary>
    public static bool IsValid(string id) => id.Length is 15 or 18 && id.All(char.IsAsciiLetterOrDigit);

    /// <summary>The case-sensitive 15-character form of a valid id.</summary>
    public static string Key(string id) => id.Length == 15 ? id : id[..15];

    /// <summary>
    /// The 18-character form of a valid id: the 15 characters and, for each group of five, a character whose bits say
    /// which of them are upper-case letters (what Salesforce appends, so that the id survives case-insensitive handling).
    /// </summary>
    public static string To18(string id)
    {
        if (id.Length == 18)
        {
            return id;
        }

        const string Alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ012345";
        Span<char> full = stackalloc char[18];
        id.AsSpan().CopyTo(full);
        for (var group = 0; group < 3; group++)
        {
            var bits = 0;
            for (var i = 0; i < 5; i++)
            {
                bits |= char.IsAsciiLetterUpper(id[(group * 5) + i]) ? 1 << i : 0;
            }

            full[15 + group] = Alphabet[bits];
        }

        return full.ToString();
    }
}
