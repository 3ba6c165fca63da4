using System.Globalization;
using System.Text;
using Concord.Canonical.Connectors;
using Concord.Canonical.Errors;

namespace Concord.Connectors.HubSpot.ChangeFeed;

/// <summary>A keyset position in one search stream: last-modified milliseconds, then <c>hs_object_id</c>.</summary>
internal readonly record struct FeedPosition(long Ms, long Id) : IComparable<FeedPosition>
{
    public int CompareTo(FeedPosition other) => Ms != other.Ms ? Ms.CompareTo(other.Ms) : Id.CompareTo(other.Id);

    public static bool operator <(FeedPosition left, FeedPosition right) => left.CompareTo(right) < 0;

    public static bool operator >(FeedPosition left, FeedPosition right) => left.CompareTo(right) > 0;

    public static bool operator <=(FeedPosition left, FeedPosition right) => left.CompareTo(right) <= 0;

    public static bool operator >=(FeedPosition left, FeedPosition right) => left.CompareTo(right) >= 0;
}

/// <summary>
/// Where the change feed stands: the company search position, the contact search position, the archived-companies
/// position, and for each search the (id, timestamp) pairs already emitted inside the overlap window, so a re-read of
/// the window drops exactly those (facts §4 step 2) and returns only records that were indexed late. Encoded as
/// <c>hs1|ms:id|ms:id|ms:id|id@ms,…|id@ms,…</c> with <c>-</c> for a position not reached.
/// </summary>
internal sealed class HubSpotChangeCursor
{
    public const int MemoryLimit = 32;
    private const string Prefix = "hs1";

    public FeedPosition? Companies { get; set; }

    public FeedPosition? Contacts { get; set; }

    public FeedPosition? Archived { get; set; }

    public List<FeedPosition> CompanyMemory { get; } = [];

    public List<FeedPosition> ContactMemory { get; } = [];

    public static HubSpotChangeCursor Parse(ChangeCursor cursor, string connectorName)
    {
        var parts = cursor.Value.Split('|');
        var parsed = new HubSpotChangeCursor();
        if (parts.Length == 6 && parts[0] == Prefix
            && TryPosition(parts[1], out var companies) && TryPosition(parts[2], out var contacts) && TryPosition(parts[3], out var archived)
            && TryMemory(parts[4], parsed.CompanyMemory) && TryMemory(parts[5], parsed.ContactMemory))
        {
            parsed.Companies = companies;
            parsed.Contacts = contacts;
            parsed.Archived = archived;
            return parsed;
        }

        throw new ConcordException(ErrorCategory.Validation, $"'{cursor.Value}' is not a HubSpot change cursor (expected hs1|ms:id|ms:id|ms:id|…|…).")
        {
            System = connectorName,
            Operation = "read-changes",
        };
    }

    /// <summary>Moves a stream forward to <paramref name="seen"/> (never back) and remembers it, forgetting what fell out of the overlap window.</summary>
    public static FeedPosition Advance(FeedPosition? position, List<FeedPosition> memory, FeedPosition seen, long overlapMs)
    {
        var next = position is { } p && p > seen ? p : seen;
        memory.Add(seen);
        memory.RemoveAll(m => m.Ms < next.Ms - overlapMs);
        if (memory.Count > MemoryLimit)
        {
            memory.Sort();
            memory.RemoveRange(0, memory.Count - MemoryLimit);
        }

        return next;
    }

    public ChangeCursor ToChangeCursor()
    {
        var text = new StringBuilder(Prefix);
        text.Append('|').Append(Part(Companies)).Append('|').Append(Part(Contacts)).Append('|').Append(Part(Archived));
        text.Append('|').AppendJoin(',', CompanyMemory.Select(m => string.Create(CultureInfo.InvariantCulture, $"{m.Id}@{m.Ms}")));
        text.Append('|').AppendJoin(',', ContactMemory.Select(m => string.Create(CultureInfo.InvariantCulture, $"{m.Id}@{m.Ms}")));
        return new ChangeCursor(text.ToString());
    }

    private static string Part(FeedPosition? position) =>
        position is { } p ? string.Create(CultureInfo.InvariantCulture, $"{p.Ms}:{p.Id}") : "-";

    private static bool TryPosition(string text, out FeedPosition? position)
    {
        position = null;
        if (text == "-")
        {
            return true;
        }

        var colon = text.IndexOf(':', StringComparison.Ordinal);
        if (colon > 0 && long.TryParse(text.AsSpan(0, colon), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var ms)
            && long.TryParse(text.AsSpan(colon + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var id))
        {
            position = new FeedPosition(ms, id);
            return true;
        }

        return false;
    }

    private static bool TryMemory(string text, List<FeedPosition> memory)
    {
        foreach (var entry in text.Split(',', StringSplitOptions.RemoveEmptyEntries))
        {
            var at = entry.IndexOf('@', StringComparison.Ordinal);
            if (at <= 0 || !long.TryParse(entry.AsSpan(0, at), NumberStyles.None, CultureInfo.InvariantCulture, out var id)
                || !long.TryParse(entry.AsSpan(at + 1), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var ms))
            {
                return false;
            }

            memory.Add(new FeedPosition(ms, id));
        }

        return memory.Count <= MemoryLimit;
    }
}
