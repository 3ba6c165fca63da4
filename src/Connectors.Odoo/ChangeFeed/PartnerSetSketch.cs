namespace Concord.Connectors.Odoo.ChangeFeed;

/// <summary>
/// An invertible Bloom lookup table of (partner id, root id) pairs: a fixed number of cells, whatever the number of
/// partners and the gaps between their ids, from which the difference between two such sets can be listed as long as
/// it is small (up to about <see cref="Capacity"/> pairs). The change feed keeps one of every partner at the last check
/// in its cursor; at the next check, the difference with the partners Odoo holds now names every partner deleted (its
/// pair is gone) and every one moved to another tree (its pair changed), which <c>write_date</c> cannot show: an unlink
/// leaves no tombstone and a detached child keeps its <c>write_date</c>.
/// </summary>
/// <remarks>
/// Each pair goes into three cells, one in each third of the table, chosen by a fixed 64-bit mix of the pair (never
/// the runtime's randomised string hashing: a cursor written by one process is read by another). A cell keeps the
/// number of pairs, the XOR of their ids, of their roots, and of a check word; a cell holding exactly one pair
/// (count ±1 and a matching check word) gives that pair back, and removing it from its other cells frees more.
/// </remarks>
internal sealed class PartnerSetSketch
{
    public const int CellsPerTable = 50;
    public const int Cells = 3 * CellsPerTable;

    /// <summary>How many differing pairs a difference of two sketches lists reliably.</summary>
    public const int Capacity = 100;

    private readonly long[] _counts = new long[Cells];
    private readonly ulong[] _ids = new ulong[Cells];
    private readonly ulong[] _roots = new ulong[Cells];
    private readonly ulong[] _checks = new ulong[Cells];

    public void Add(long id, long root) => Toggle((ulong)id, (ulong)root, +1);

    /// <summary>This sketch minus <paramref name="other"/>: pairs only here count +1, pairs only there −1.</summary>
    public PartnerSetSketch Subtract(PartnerSetSketch other)
    {
        var result = new PartnerSetSketch();
        for (var i = 0; i < Cells; i++)
        {
            result._counts[i] = _counts[i] - other._counts[i];
            result._ids[i] = _ids[i] ^ other._ids[i];
            result._roots[i] = _roots[i] ^ other._roots[i];
            result._checks[i] = _checks[i] ^ other._checks[i];
        }

        return result;
    }

    /// <summary>
    /// Lists the pairs of a difference (<see cref="Subtract"/>): <c>+1</c> for a pair of the first set only, <c>−1</c>
    /// for one of the second only. Returns false when the difference was too large to list whole; the pairs listed
    /// so far are still right.
    /// </summary>
    public bool TryList(out List<(long Id, long Root, int Sign)> pairs)
    {
        pairs = [];
        var work = Subtract(new PartnerSetSketch());
        var queue = new Queue<int>();
        for (var i = 0; i < Cells; i++)
        {
            if (work.IsPure(i))
            {
                queue.Enqueue(i);
            }
        }

        while (queue.Count > 0 && pairs.Count < 2 * Capacity)
        {
            var cell = queue.Dequeue();
            if (!work.IsPure(cell))
            {
                continue;
            }

            var sign = (int)work._counts[cell];
            var id = work._ids[cell];
            var root = work._roots[cell];
            pairs.Add(((long)id, (long)root, sign));
            work.Toggle(id, root, -sign);
            foreach (var other in Positions(Key(id, root)))
            {
                if (work.IsPure(other))
                {
                    queue.Enqueue(other);
                }
            }
        }

        for (var i = 0; i < Cells; i++)
        {
            if (work._counts[i] != 0 || work._ids[i] != 0 || work._roots[i] != 0 || work._checks[i] != 0)
            {
                return false;
            }
        }

        return true;
    }

    public void Write(CursorWriter writer)
    {
        for (var i = 0; i < Cells; i++)
        {
            writer.VarLong(_counts[i]);
            writer.VarUInt(_ids[i]);
            writer.VarUInt(_roots[i]);
            writer.Word(_checks[i]);
        }
    }

    public static PartnerSetSketch Read(ref CursorReader reader)
    {
        var sketch = new PartnerSetSketch();
        for (var i = 0; i < Cells; i++)
        {
            sketch._counts[i] = reader.VarLong();
            sketch._ids[i] = reader.VarUInt();
            sketch._roots[i] = reader.VarUInt();
            sketch._checks[i] = reader.Word();
        }

        return sketch;
    }

    private bool IsPure(int cell) =>
        _counts[cell] is 1 or -1 && _checks[cell] == Check(Key(_ids[cell], _roots[cell]));

    private void Toggle(ulong id, ulong root, int sign)
    {
        var key = Key(id, root);
        var check = Check(key);
        foreach (var cell in Positions(key))
        {
            _counts[cell] += sign;
            _ids[cell] ^= id;
            _roots[cell] ^= root;
            _checks[cell] ^= check;
        }
    }

    private static ulong Key(ulong id, ulong root) => Mix(Mix(id + 0x9E3779B97F4A7C15UL) ^ root);

    private static ulong Check(ulong key) => Mix(key ^ 0xD6E8FEB86659FD93UL);

    private static int[] Positions(ulong key) =>
    [
        (int)(Mix(key + 1) % CellsPerTable),
        CellsPerTable + (int)(Mix(key + 2) % CellsPerTable),
        (2 * CellsPerTable) + (int)(Mix(key + 3) % CellsPerTable),
    ];

    // SplitMix64's finaliser: a fixed, well-spread 64-bit mix.
    private static ulong Mix(ulong x)
    {
        x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9UL;
        x = (x ^ (x >> 27)) * 0x94D049BB133111EBUL;
        return x ^ (x >> 31);
    }
}
