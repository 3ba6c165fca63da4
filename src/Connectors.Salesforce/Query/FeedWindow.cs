using System.Buffers.Text;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Concord.Connectors.Salesforce.Api;

namespace Concord.Connectors.Salesforce.Query;

/// <summary>
/// The change feed's position on one object (Account or Contact): a horizon and the rows emitted after it. The feed reads
/// every row whose <c>SystemModstamp</c> is after <see cref="Horizon"/> and skips those <see cref="Seen"/> as they are, so
/// a row that commits late, with a stamp older than rows already read, is still emitted, and a row the window reads again
/// is not emitted twice. A row is remembered by its stamp and a fingerprint of its values: stamps are second-granular, so a
/// second edit in the same second that commits late has the same stamp, and only its values tell it apart. The horizon
/// trails the newest stamp emitted by the overlap; the rows at or before it are forgotten.
/// </summary>
/// <remarks>
/// At most <see cref="Capacity"/> rows are remembered. Beyond that the oldest are forgotten by moving the horizon past
/// them, but only once they are older than the overlap on the connector's clock too; until then the window keeps them
/// all (a burst of writes makes a longer cursor for a few minutes, never a lost row).
/// </remarks>
internal sealed class FeedWindow
{
    /// <summary>How many emitted rows the window remembers before it forgets the oldest (if the clock allows).</summary>
    public const int Capacity = 2000;

    // Sorted by (stamp, key); the dictionary holds each key's stamp and fingerprint.
    private readonly List<(DateTimeOffset Stamp, string Key)> _entries;
    private readonly Dictionary<string, (DateTimeOffset Stamp, string Print)> _byKey;

    public FeedWindow(DateTimeOffset? horizon)
        : this(horizon, new Dictionary<string, (DateTimeOffset Stamp, string Print)>(StringComparer.Ordinal))
    {
    }

    private FeedWindow(DateTimeOffset? horizon, Dictionary<string, (DateTimeOffset Stamp, string Print)> byKey)
    {
        Horizon = horizon;
        _byKey = byKey;
        _entries = [.. byKey.Select(e => (e.Value.Stamp, e.Key))];
        _entries.Sort(EntryComparer.Instance);
    }

    /// <summary>The feed reads rows whose <c>SystemModstamp</c> is after this; null: from the beginning.</summary>
    public DateTimeOffset? Horizon { get; private set; }

    /// <summary>How many emitted rows the window remembers.</summary>
    public int Count => _entries.Count;

    /// <summary>Whether the row <paramref name="id"/> was emitted already as it is now: with <paramref name="stamp"/> and the fingerprint <paramref name="print"/>.</summary>
    public bool Seen(string id, DateTimeOffset stamp, string print) =>
        _byKey.TryGetValue(SalesforceId.Key(id), out var emitted) && emitted.Stamp == stamp && emitted.Print == print;

    /// <summary>
    /// Remembers that <paramref name="id"/> was emitted with <paramref name="stamp"/> and the values whose fingerprint is
    /// <paramref name="print"/>, and moves the horizon to <paramref name="overlap"/> before the newest stamp (never back).
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
        _byKey[key] = (stamp, print);
        var trailing = _entries[^1].Stamp - overlap;
        if (Horizon is null || trailing > Horizon)
        {
            Horizon = trailing;
        }

        Forget(now - overlap);
    }

    /// <summary>Encodes the window as <c>{horizon}|{seconds after it}~{id}.{fingerprint},…;…</c> (<c>-</c> for none).</summary>
    public string Encode()
    {
        if (Horizon is not { } horizon)
        {
            return "-|-";
        }

        var builder = new StringBuilder(SalesforceDateTimeConverter.ToSoqlLiteral(horizon)).Append('|');
        if (_entries.Count == 0)
        {
            return builder.Append('-').ToString();
        }

        long group = -1;
        foreach (var (stamp, key) in _entries)
        {
            var seconds = (long)(stamp - horizon).TotalSeconds;
            if (seconds != group)
            {
                if (group >= 0)
                {
                    builder.Append(';');
                }

                builder.Append(seconds.ToString(CultureInfo.InvariantCulture)).Append('~');
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

    /// <summary>Reads what <see cref="Encode"/> wrote, given as its two parts.</summary>
    public static bool TryDecode(string horizonPart, string seenPart, out FeedWindow? window)
    {
        window = null;
        if (horizonPart == "-")
        {
            window = seenPart == "-" ? new FeedWindow(null) : null;
            return window is not null;
        }

        if (!SalesforceDateTimeConverter.TryParse(horizonPart, out var horizon))
        {
            return false;
        }

        var entries = new Dictionary<string, (DateTimeOffset Stamp, string Print)>(StringComparer.Ordinal);
        if (seenPart != "-")
        {
            foreach (var group in seenPart.Split(';'))
            {
                var tilde = group.IndexOf('~', StringComparison.Ordinal);
                if (tilde <= 0 || !long.TryParse(group.AsSpan(0, tilde), NumberStyles.None, CultureInfo.InvariantCulture, out var seconds) || seconds > 366L * 24 * 3600)
                {
                    return false;
                }

                foreach (var entry in group[(tilde + 1)..].Split(','))
                {
                    var dot = entry.IndexOf('.', StringComparison.Ordinal);
                    var key = dot < 0 ? entry : entry[..dot];
                    if (dot != 15 || !SalesforceId.IsValid(key) || !entries.TryAdd(key, (horizon.AddSeconds(seconds), entry[(dot + 1)..])))
                    {
                        return false;
                    }
                }
            }
        }

        window = new FeedWindow(horizon, entries);
        return true;
    }

    /// <summary>Forgets the rows at or before the horizon, and, past <see cref="Capacity"/>, the oldest rows older than <paramref name="safeBefore"/>.</summary>
    private void Forget(DateTimeOffset safeBefore)
    {
        var drop = 0;
        while (drop < _entries.Count && _entries[drop].Stamp <= Horizon)
        {
            drop++;
        }

        while (_entries.Count - drop > Capacity && _entries[drop].Stamp <= safeBefore)
        {
            // Moving the horizon to this row's stamp forgets it and every row with the same stamp.
            Horizon = _entries[drop].Stamp;
            while (drop < _entries.Count && _entries[drop].Stamp <= Horizon)
            {
                drop++;
            }
        }

        for (var i = 0; i < drop; i++)
        {
            _byKey.Remove(_entries[i].Key);
        }

        _entries.RemoveRange(0, drop);
    }

    /// <summary>A short fingerprint of a row's values as Salesforce returned them (48 bits of SHA-256, base64url).</summary>
    public static string Fingerprint(ReadOnlySpan<byte> json)
    {
        Span<byte> hash = stackalloc byte[32];
        SHA256.HashData(json, hash);
        return Base64Url.EncodeToString(hash[..6]);
    }

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
