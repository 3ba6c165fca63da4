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
}
