using System.Globalization;
using System.Text;
using Concord.Connectors.Salesforce.Query;

namespace Concord.Connectors.Salesforce.Internal;

/// <summary>
/// The Accounts a Contact was read under by the change feed, kept in the <see cref="Canonical.Connectors.IConnectorStateStore"/>
/// under <c>contact-account:{id}</c> as <c>accountId@SystemModstamp</c> entries (empty for none; Unix seconds), the newest
/// three. Salesforce keeps no previous <c>AccountId</c> a query could read, so after a restart the Account a Contact left
/// is the entry before the change being read. Keyed by the change's own stamp, so a read repeated from an older cursor
/// (the store already holds the change) finds the same Account before it.
/// </summary>
internal static class ContactOwnerHistory
{
    private const int Kept = 3;

    public static string Key(string contactId) => "contact-account:" + SalesforceId.Key(contactId);

    /// <summary>The Account of the newest entry older than <paramref name="since"/>, or null when none is known (or it was none).</summary>
    public static string? Before(string? history, long since) =>
        Parse(history).Where(e => e.Since < since).OrderByDescending(e => e.Since).Select(e => e.AccountId).FirstOrDefault() is { Length: > 0 } account ? account : null;

    /// <summary><paramref name="history"/> with the Contact under <paramref name="accountId"/> from <paramref name="since"/>.</summary>
    public static string With(string? history, string? accountId, long since)
    {
        var text = new StringBuilder();
        foreach (var (account, at) in Parse(history).Where(e => e.Since != since).Append((AccountId: accountId ?? string.Empty, Since: since)).OrderByDescending(e => e.Since).Take(Kept))
        {
            text.Append(text.Length == 0 ? string.Empty : ";").Append(CultureInfo.InvariantCulture, $"{account}@{at}");
        }

        return text.ToString();
    }

    private static IEnumerable<(string AccountId, long Since)> Parse(string? history)
    {
        foreach (var entry in (history ?? string.Empty).Split(';', StringSplitOptions.RemoveEmptyEntries))
        {
            var at = entry.LastIndexOf('@');
            if (at >= 0 && long.TryParse(entry.AsSpan(at + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var since))
            {
                yield return (entry[..at], since);
            }
        }
    }
}
