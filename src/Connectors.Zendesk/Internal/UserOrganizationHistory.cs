using System.Globalization;
using System.Text;

namespace Concord.Connectors.Zendesk.Internal;

/// <summary>
/// The organizations a user was read in, kept in the <see cref="Canonical.Connectors.IConnectorStateStore"/> under
/// <c>user-org:{id}</c> as <c>organization@updated_at</c> entries (0 for none), the newest three. A user's record names
/// only its organization now; the one it left is the entry before the change being read. Keyed by the change's own
/// <c>updated_at</c>, so a read repeated from an older cursor (the store already holds the change) finds the same
/// organization before it and re-reads the one the user left again.
/// </summary>
internal static class UserOrganizationHistory
{
    private const int Kept = 3;

    public static string Key(long userId) => string.Create(CultureInfo.InvariantCulture, $"user-org:{userId}");

    /// <summary>The organization of the newest entry older than <paramref name="since"/>, or null when none is known (or it was none).</summary>
    public static long? Before(string? history, long since)
    {
        var before = Parse(history).Where(e => e.Since < since).OrderByDescending(e => e.Since).Select(e => (long?)e.Organization).FirstOrDefault();
        return before is null or 0 ? null : before;
    }

    /// <summary><paramref name="history"/> with the user in <paramref name="organization"/> from <paramref name="since"/>.</summary>
    public static string With(string? history, long? organization, long since)
    {
        var entries = Parse(history).Where(e => e.Since != since).Append((Organization: organization ?? 0, Since: since)).OrderByDescending(e => e.Since).Take(Kept);
        var text = new StringBuilder();
        foreach (var (org, at) in entries)
        {
            text.Append(text.Length == 0 ? string.Empty : ";").Append(CultureInfo.InvariantCulture, $"{org}@{at}");
        }

        return text.ToString();
    }

    private static IEnumerable<(long Organization, long Since)> Parse(string? history)
    {
        foreach (var entry in (history ?? string.Empty).Split(';', StringSplitOptions.RemoveEmptyEntries))
        {
            var at = entry.IndexOf('@', StringComparison.Ordinal);
            if (at > 0
                && long.TryParse(entry.AsSpan(0, at), NumberStyles.None, CultureInfo.InvariantCulture, out var organization)
                && long.TryParse(entry.AsSpan(at + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var since))
            {
                yield return (organization, since);
            }
        }
    }
}
