using System.Buffers.Text;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Concord.Connectors.Salesforce.Api;

namespace Concord.Connectors.Salesforce.Query;

/// <summary>
/// The change feed's position on one object (Account or Contact): a horizon and the rows emitted after it. The feed reads
/// every row after the horizon and skips those <see cref="Seen"/> as they are, so a row that commits late, with a stamp
/// older than rows already read, is still emitted, and a row the window reads again is not emitted twice. A row is
/// remembered by its stamp and a fingerprint of its values: stamps are second-granular, so a second edit in the same
/// second that commits late has the same stamp, and only its values tell it apart.
/// </summary>
/// <remarks>
/// <para>
/// The horizon is a keyset: a <c>SystemModstamp</c> (<see cref="Horizon"/>) and, when it falls inside a group of rows
/// sharing that stamp, the id of the last row of the group it covers (<see cref="HorizonId"/>); rows after it are those
/// with a later stamp, or the same stamp and a greater id. It trails the newest stamp emitted by the overlap (whole
/// seconds) and never moves back; the rows at or before it are forgotten.
/// </para>
/// <para>
/// At most <see cref="Capacity"/> rows are remembered once their second is over: past that, each new row forgets the
/// oldest row stamped before <see cref="OpenSeconds"/> ago on the connector's clock by moving the horizon to it (a keyset,
/// so the rest of its second is still read). A bulk load therefore keeps its cursors a few kilobytes long; the price is
/// that while more than <see cref="Capacity"/> rows fall inside the overlap, the overlap shrinks to those rows (a row
/// committing later than that is found by reconciliation, as one committing later than the overlap is). The rows of a
/// second that may still be going on are never forgotten: an edit later in that second stamps a row of a lower id with the
/// same <c>SystemModstamp</c>, and a keyset inside that second would hide it for good.
/// </para>
/// <para>
/// The window's text is kept: an unchanged window encodes to the very text it was read from, and a checkpoint re-encodes
/// only a window that changed.
/// </para>
/// </remarks>
internal sealed class FeedWindow
{
    /// <summary>How many emitted rows the window remembers once their second is over.</summary>
    public const int Capacity = 256;

    /// <summary>
    /// How recent a row's stamp may be, on the connector's clock, for its second to be still going on at Salesforce: the
    /// current second and the one before it (so a connector clock up to a second ahead of Salesforce's is allowed for).
    /// </summary>
    public static readonly TimeSpan OpenSeconds = TimeSpan.FromSeconds(2);

    // Sorted by (stamp, key); the dictionary holds each key's id as read (18 characters from a query, 15 from a cursor),
    // stamp and fingerprint. The text keeps the 15-character keys.
    private readonly List<(DateTimeOffset Stamp, string Key)> _entries;
    private readonly Dictionary<string, Row> _byKey;
    private string? _text;

    public FeedWindow(DateTimeOffset? horizon)
        : this(horizon, null, new Dictionary<string, Row>(StringComparer.Ordinal), null)
    {
    }

    private FeedWindow(DateTimeOffset? horizon, string? horizonId, Dictionary<string, Row> byKey, string? text)
    {
        Horizon = horizon;
        HorizonId = horizonId;
        _byKey = byKey;
        _entries = [.. byKey.Select(e => (e.Value.Stamp, e.Key))];
        _entries.Sort(EntryComparer.Instance);
        _text = text;
    }

    /// <summary>The feed reads rows whose <c>SystemModstamp</c> is after this (or equal, see <see cref="HorizonId"/>); null: from the beginning.</summary>
    public DateTimeOffset? Horizon { get; private set; }

    /// <summary>
    /// Null: every row stamped <see cref="Horizon"/> is behind the window. Otherwise the rows stamped <see cref="Horizon"/>
    /// whose id is greater than this one are still ahead of it.
    /// </summary>
    public string? HorizonId { get; private set; }

    /// <summary>How many emitted rows the window remembers.</summary>
    public int Count => _entries.Count;

    /// <summary>The newest stamp the window's reads have reached: its newest row, or the overlap after an empty horizon.</summary>
    public DateTimeOffset? ReadUpTo(TimeSpan overlap) => _entries.Count > 0 ? _entries[^1].Stamp : Horizon + (HorizonId is null ? overlap : TimeSpan.Zero);

    /// <summary>Whether the row <paramref name="id"/> was emitted already as it is now: with <paramref name="stamp"/> and the fingerprint <paramref name="print"/>.</summary>
    public bool Seen(string id, DateTimeOffset stamp, string print) =>
        _byKey.TryGetValue(SalesforceId.Key(id), out var emitted) && emitted.Stamp == stamp && emitted.Print == print;

    /// <summary>
    /// Remembers that <paramref name="id"/> was emitted with <paramref name="stamp"/> and the values whose fingerprint is
    /// <paramref name="print"/>, moves the horizon to <paramref name="overlap"/> before the newest stamp (never back), and
    /// forgets the oldest rows past <see cref="Capacity"/> whose second is over by <paramref name="now"/>.
    /// </summary>
    public void Add(string id, DateTimeOffset stamp, string print, TimeSpan overlap, DateTimeOffset now)
    {
        var key = SalesforceId.Key(id);
        if (_byKey.TryGetValue(key, out var previous))
        {
            _entries.RemoveAt(_entries.BinarySearch((previous.Stamp, key), EntryComparer.Instance));
        }

        var at = _entries.BinarySearch((stamp, key), EntryComparer.Instance);
        _entries.Insert(at < 0 ? ~at : at, (stamp, key));
        _byKey[key] = new Row(id, stamp, print);
        _text = null;

        // Whole seconds before the newest stamp: every row stamped up to then was read (stamps are whole seconds). At the
        // least the end of the second before the newest one: rows of the newest second may still come, on a later page or
        // edited later in that second, whatever their ids.
        var newest = Floor(_entries[^1].Stamp);
        var trailing = Floor(_entries[^1].Stamp - overlap);
        MoveHorizon(trailing < newest ? trailing : newest.AddSeconds(-1), null);
        Forget(Floor(now) - OpenSeconds + TimeSpan.FromSeconds(1));
    }

    /// <summary>
    /// Encodes the window as <c>{horizon}[,{id}]|{seconds after it}~{15-character id}.{fingerprint},…;…</c> (<c>-</c> for none); the
    /// text it was read from while it is unchanged.
    /// </summary>
    public string Encode() => _text ??= Write();

    /// <summary>Reads what <see cref="Encode"/> wrote, given as its two parts.</summary>
    public static bool TryDecode(string horizonPart, string seenPart, out FeedWindow? window)
    {
        window = null;
        if (horizonPart == "-")
        {
            window = seenPart == "-" ? new FeedWindow(null) : null;
            return window is not null;
        }

        var comma = horizonPart.IndexOf(',', StringComparison.Ordinal);
        var horizonId = comma < 0 ? null : horizonPart[(comma + 1)..];
        if (!SalesforceDateTimeConverter.TryParse(comma < 0 ? horizonPart : horizonPart[..comma], out var horizon)
            || (horizonId is not null && !SalesforceId.IsValid(horizonId)))
        {
            return false;
        }

        var entries = new Dictionary<string, Row>(StringComparer.Ordinal);
        if (seenPart != "-")
        {
            foreach (var group in seenPart.Split(';'))
            {
                var tilde = group.IndexOf('~', StringComparison.Ordinal);
                if (tilde <= 0
                    || !decimal.TryParse(group.AsSpan(0, tilde), NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var seconds)
                    || seconds > 366m * 24 * 3600)
                {
                    return false;
                }

                var stamp = horizon.AddTicks((long)(seconds * TimeSpan.TicksPerSecond));
                foreach (var entry in group[(tilde + 1)..].Split(','))
                {
                    var dot = entry.IndexOf('.', StringComparison.Ordinal);
                    var id = dot < 0 ? entry : entry[..dot];
                    if (dot is not (15 or 18) || !SalesforceId.IsValid(id) || !entries.TryAdd(SalesforceId.Key(id), new Row(id, stamp, entry[(dot + 1)..])))
                    {
                        return false;
                    }
                }
            }
        }

        window = new FeedWindow(horizon, horizonId, entries, horizonPart + "|" + seenPart);
        return true;
    }

    /// <summary>A short fingerprint of a row's values as Salesforce returned them (48 bits of SHA-256, base64url).</summary>
    public static string Fingerprint(ReadOnlySpan<byte> json)
    {
        Span<byte> hash = stackalloc byte[32];
        SHA256.HashData(json, hash);
        return Base64Url.EncodeToString(hash[..6]);
    }

    private static DateTimeOffset Floor(DateTimeOffset value) => new(value.UtcTicks - (value.UtcTicks % TimeSpan.TicksPerSecond), TimeSpan.Zero);

    /// <summary>Moves the horizon to (<paramref name="stamp"/>, <paramref name="id"/>) when that is after it (a null id is the end of its second).</summary>
    private void MoveHorizon(DateTimeOffset stamp, string? id)
    {
        if (Horizon is not { } current || stamp > current || (stamp == current && HorizonId is not null && (id is null || string.CompareOrdinal(SalesforceId.Key(id), SalesforceId.Key(HorizonId)) > 0)))
        {
            Horizon = stamp;
            HorizonId = id;
        }
    }

    /// <summary>Whether the row (<paramref name="stamp"/>, <paramref name="key"/>) is at or before the horizon.</summary>
    private bool Behind(DateTimeOffset stamp, string key) =>
        Horizon is { } horizon && (stamp < horizon || (stamp == horizon && (HorizonId is null || string.CompareOrdinal(key, SalesforceId.Key(HorizonId)) <= 0)));

    /// <summary>
    /// Forgets the rows at or before the horizon, then, past <see cref="Capacity"/>, the oldest stamped before
    /// <paramref name="openFrom"/> (the horizon moving to the last one forgotten).
    /// </summary>
    private void Forget(DateTimeOffset openFrom)
    {
        var drop = 0;
        while (drop < _entries.Count && Behind(_entries[drop].Stamp, _entries[drop].Key))
        {
            drop++;
        }

        var behind = drop;
        while (_entries.Count - drop > Capacity && _entries[drop].Stamp < openFrom)
        {
            drop++;
        }

        if (drop > behind)
        {
            var (stamp, key) = _entries[drop - 1];
            MoveHorizon(stamp, _byKey[key].Id);
        }

        for (var i = 0; i < drop; i++)
        {
            _byKey.Remove(_entries[i].Key);
        }

        _entries.RemoveRange(0, drop);
    }

    private string Write()
    {
        if (Horizon is not { } horizon)
        {
            return "-|-";
        }

        var builder = new StringBuilder(SalesforceDateTimeConverter.ToSoqlLiteral(horizon));
        if (HorizonId is not null)
        {
            builder.Append(',').Append(HorizonId);
        }

        builder.Append('|');
        if (_entries.Count == 0)
        {
            return builder.Append('-').ToString();
        }

        var group = decimal.MinusOne;
        foreach (var (stamp, key) in _entries)
        {
            // Milliseconds are written only when there are any (a horizon from an older version's fractional overlap).
            var seconds = decimal.Round((decimal)(stamp - horizon).Ticks / TimeSpan.TicksPerSecond, 3);
            if (seconds != group)
            {
                if (group >= 0)
                {
                    builder.Append(';');
                }

                builder.Append(seconds.ToString("0.###", CultureInfo.InvariantCulture)).Append('~');
                group = seconds;
            }
            else
            {
                builder.Append(',');
            }

            builder.Append(key).Append('.').Append(_byKey[key].Print);
        }

        return builder.ToString();
    }

    private readonly record struct Row(string Id, DateTimeOffset Stamp, string Print);

    private sealed class EntryComparer : IComparer<(DateTimeOffset Stamp, string Key)>
    {
        public static readonly EntryComparer Instance = new();

        public int Compare((DateTimeOffset Stamp, string Key) x, (DateTimeOffset Stamp, string Key) y)
        {
            var order = x.Stamp.CompareTo(y.Stamp);
            return order != 0 ? order : string.CompareOrdinal(x.Key, y.Key);
        }
    }
}
