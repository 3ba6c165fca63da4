using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using Concord.Canonical.Connectors;
using Concord.Canonical.Errors;
using Concord.Connectors.Odoo.Api;

namespace Concord.Connectors.Odoo.ChangeFeed;

/// <summary>
/// What the change feed remembers between reads, encoded into <see cref="ChangeCursor.Value"/> (<c>o1.</c> + base64url
/// JSON). Every time in it is Odoo's own <c>write_date</c> text: the connector never compares with its own clock.
/// </summary>
internal sealed class ChangeCursorState
{
    private const string Prefix = "o1.";

    /// <summary>The newest <c>write_date</c> seen so far; the next poll starts at it minus the overlap.</summary>
    [JsonPropertyName("max")]
    public string? MaxWriteDate { get; set; }

    /// <summary>The lower <c>write_date</c> bound of the poll in progress (null: from the beginning).</summary>
    [JsonPropertyName("lo")]
    public string? Low { get; set; }

    /// <summary>The highest partner id the poll in progress reads (0: no poll in progress).</summary>
    [JsonPropertyName("hi")]
    public long HighId { get; set; }

    /// <summary>The id after which the poll in progress resumes.</summary>
    [JsonPropertyName("after")]
    public long After { get; set; }

    /// <summary>How many polls have started (drives the hard-delete check).</summary>
    [JsonPropertyName("polls")]
    public int Polls { get; set; }

    /// <summary>The (id, write_date) pairs already emitted inside the overlap window, by write_date.</summary>
    [JsonPropertyName("seen")]
    public Dictionary<string, List<long>> Seen { get; set; } = new(StringComparer.Ordinal);

    /// <summary>The root partner ids emitted so far, as inclusive ranges flattened to [from, to, from, to, ...].</summary>
    [JsonPropertyName("known")]
    public List<long> KnownRanges { get; set; } = [];

    public bool WasSeen(long id, string writeDate) => Seen.TryGetValue(writeDate, out var ids) && ids.Contains(id);

    public void MarkSeen(long id, string writeDate)
    {
        if (!Seen.TryGetValue(writeDate, out var ids))
        {
            ids = [];
            Seen[writeDate] = ids;
        }

        if (!ids.Contains(id))
        {
            ids.Add(id);
        }

        if (MaxWriteDate is null || string.CompareOrdinal(writeDate, MaxWriteDate) > 0)
        {
            MaxWriteDate = writeDate;
        }
    }

    /// <summary>Forgets emitted pairs older than <paramref name="low"/>: the next window cannot return them again.</summary>
    public void PruneSeen(string? low)
    {
        if (low is null)
        {
            return;
        }

        foreach (var writeDate in Seen.Keys.Where(k => string.CompareOrdinal(k, low) < 0).ToList())
        {
            Seen.Remove(writeDate);
        }
    }

    public IReadOnlyList<long> KnownIds()
    {
        var ids = new List<long>();
        for (var i = 0; i + 1 < KnownRanges.Count; i += 2)
        {
            for (var id = KnownRanges[i]; id <= KnownRanges[i + 1]; id++)
            {
                ids.Add(id);
            }
        }

        return ids;
    }

    public void SetKnown(IEnumerable<long> ids)
    {
        KnownRanges = [];
        long? from = null;
        long to = 0;
        foreach (var id in ids.Distinct().Order())
        {
            if (from is null)
            {
                from = to = id;
            }
            else if (id == to + 1)
            {
                to = id;
            }
            else
            {
                KnownRanges.Add(from.Value);
                KnownRanges.Add(to);
                from = to = id;
            }
        }

        if (from is not null)
        {
            KnownRanges.Add(from.Value);
            KnownRanges.Add(to);
        }
    }

    public void AddKnown(long id)
    {
        var n = KnownRanges.Count;
        if (n == 0 || id > KnownRanges[n - 1] + 1)
        {
            KnownRanges.Add(id);
            KnownRanges.Add(id);
            return;
        }

        if (id == KnownRanges[n - 1] + 1)
        {
            KnownRanges[n - 1] = id;
            return;
        }

        for (var i = 0; i + 1 < KnownRanges.Count; i += 2)
        {
            if (id >= KnownRanges[i] && id <= KnownRanges[i + 1])
            {
                return;
            }
        }

        SetKnown(KnownIds().Append(id));
    }

    public ChangeCursor Encode() =>
        new(Prefix + Convert.ToBase64String(JsonSerializer.SerializeToUtf8Bytes(this, OdooJsonContext.Default.ChangeCursorState)).TrimEnd('=').Replace('+', '-').Replace('/', '_'));

    public static ChangeCursorState Decode(ChangeCursor? cursor, string system)
    {
        if (cursor is null)
        {
            return new ChangeCursorState();
        }

        try
        {
            if (!cursor.Value.StartsWith(Prefix, StringComparison.Ordinal))
            {
                throw new FormatException("Unknown cursor version.");
            }

            var text = cursor.Value[Prefix.Length..].Replace('-', '+').Replace('_', '/');
            text = text.PadRight(text.Length + ((4 - (text.Length % 4)) % 4), '=');
            return JsonSerializer.Deserialize(Convert.FromBase64String(text), OdooJsonContext.Default.ChangeCursorState) ?? new ChangeCursorState();
        }
        catch (Exception ex) when (ex is FormatException or JsonException)
        {
            throw new ConcordException(ErrorCategory.Configuration, "The change cursor was not produced by this Odoo connector (or is corrupt); pass null to read from the beginning.", ex)
            {
                System = system,
                Operation = "read-changes",
            };
        }
    }
}
