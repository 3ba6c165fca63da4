namespace Concord.Connectors.Odoo.ChangeFeed;

/// <summary>
/// The rows already sent for the customers (trees) whose root ids lie in <see cref="From"/>..<see cref="To"/>: how
/// many rows of those trees had a <c>write_date</c> inside the window, and the XOR of their
/// <see cref="RowFingerprint"/>s. The next poll reads the same window; when the trees' rows it reads add up to the same
/// count and hash, none of them changed, and none of those customers comes out again.
/// </summary>
internal readonly record struct RootChunk(long From, long To, int Count, ulong Hash);

/// <summary>
/// Builds at most <c>max</c> <see cref="RootChunk"/>s from roots added in ascending order: one chunk per root while
/// they fit, then, each time the list is full, adjacent chunks are merged pairwise (the merged hash is the XOR of the
/// two). So the record of what was sent is bounded whatever the number of customers: beyond <c>max</c> trees in the
/// window, a change to one tree makes the others of its chunk come out again — a repeat, never a loss.
/// </summary>
internal sealed class RootDigestBuilder
{
    private readonly int _max;
    private readonly List<RootChunk> _chunks;
    private RootChunk _open;
    private bool _hasOpen;
    private int _openRoots;
    private int _rootsPerChunk = 1;

    public RootDigestBuilder(int max)
    {
        _max = Math.Max(2, max);
        _chunks = new List<RootChunk>(_max);
    }

    /// <summary>The last root added (0 before the first).</summary>
    public long LastRoot { get; private set; }

    public void Add(long root, int count, ulong hash)
    {
        if (count == 0)
        {
            return;
        }

        LastRoot = root;
        if (_hasOpen && _openRoots < _rootsPerChunk)
        {
            _open = _open with { To = root, Count = _open.Count + count, Hash = _open.Hash ^ hash };
            _openRoots++;
            return;
        }

        if (_hasOpen)
        {
            _chunks.Add(_open);
            if (_chunks.Count >= _max)
            {
                Halve();
            }
        }

        _open = new RootChunk(root, root, count, hash);
        _hasOpen = true;
        _openRoots = 1;
    }

    /// <summary>The chunks so far, the open one included.</summary>
    public List<RootChunk> Snapshot()
    {
        var result = new List<RootChunk>(_chunks.Count + 1);
        result.AddRange(_chunks);
        if (_hasOpen)
        {
            result.Add(_open);
        }

        return result;
    }

    private void Halve()
    {
        var merged = 0;
        for (var i = 0; i < _chunks.Count; i += 2)
        {
            _chunks[merged++] = i + 1 < _chunks.Count
                ? new RootChunk(_chunks[i].From, _chunks[i + 1].To, _chunks[i].Count + _chunks[i + 1].Count, _chunks[i].Hash ^ _chunks[i + 1].Hash)
                : _chunks[i];
        }

        _chunks.RemoveRange(merged, _chunks.Count - merged);
        _rootsPerChunk *= 2;
    }
}

/// <summary>The roots a poll read, in ascending order, each with the count and XOR hash of its rows inside the window.</summary>
internal sealed class ScannedRoots
{
    public ScannedRoots(SortedDictionary<long, (int Count, ulong Hash)> roots)
    {
        Ids = [.. roots.Keys];
        Counts = new int[Ids.Length];
        Hashes = new ulong[Ids.Length];
        var i = 0;
        foreach (var (count, hash) in roots.Values)
        {
            Counts[i] = count;
            Hashes[i++] = hash;
        }
    }

    public long[] Ids { get; }

    public int[] Counts { get; }

    public ulong[] Hashes { get; }

    /// <summary>After <see cref="Verified"/>: roots recorded alone in a chunk that have no row in the window any more.</summary>
    public List<long> Departed { get; } = [];

    /// <summary>
    /// The roots whose rows are exactly what <paramref name="chunks"/> recorded as sent. A chunk ending at or before
    /// <paramref name="lastRoot"/> was written by the poll in progress and vouches for every root in its range; a chunk
    /// ending after it comes from before that point and vouches only for the roots after <paramref name="lastRoot"/>.
    /// </summary>
    public HashSet<long> Verified(IReadOnlyList<RootChunk> chunks, long lastRoot)
    {
        var verified = new HashSet<long>();
        foreach (var chunk in chunks)
        {
            var lo = LowerBound(chunk.From);
            var hi = LowerBound(chunk.To == long.MaxValue ? chunk.To : chunk.To + 1);
            var count = 0;
            ulong hash = 0;
            for (var i = lo; i < hi; i++)
            {
                count += Counts[i];
                hash ^= Hashes[i];
            }

            if (count != chunk.Count || hash != chunk.Hash)
            {
                if (chunk.From == chunk.To && lo == hi && (chunk.To <= lastRoot || chunk.From > lastRoot))
                {
                    // A tree of its own whose rows in the window are gone: a child left it (moved, or deleted).
                    Departed.Add(chunk.From);
                }

                continue;
            }

            for (var i = lo; i < hi; i++)
            {
                if (chunk.To <= lastRoot || Ids[i] > lastRoot)
                {
                    verified.Add(Ids[i]);
                }
            }
        }

        return verified;
    }

    private int LowerBound(long value)
    {
        var index = Array.BinarySearch(Ids, value);
        return index >= 0 ? index : ~index;
    }
}
