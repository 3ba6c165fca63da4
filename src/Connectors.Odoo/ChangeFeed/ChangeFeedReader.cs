using System.Globalization;
using System.Runtime.CompilerServices;
using Concord.Canonical;
using Concord.Canonical.Connectors;
using Concord.Connectors.Odoo.Api;
using Concord.Connectors.Odoo.Api.Dtos;
using Concord.Connectors.Odoo.Diagnostics;
using Concord.Connectors.Odoo.Internal;
using Concord.Connectors.Odoo.Mapping;
using Microsoft.Extensions.Logging;

namespace Concord.Connectors.Odoo.ChangeFeed;

/// <summary>
/// Polls <c>res.partner</c> for changes (facts §6) and reports each changed customer — a root partner with its
/// contacts and addresses — once per poll, in ascending root id.
/// </summary>
/// <remarks>
/// <para>A poll reads every partner (archived included) whose <c>write_date</c> is at or after the newest one of the
/// previous polls minus <see cref="OdooConnectorOptions.ChangeOverlap"/>, paged by id up to the highest id that existed
/// when it started, and maps each row to its tree. What was already sent is recognised by content, not by
/// <c>write_date</c> (which Odoo reads back in whole seconds): the cursor keeps, per range of root ids, the number and
/// the XOR of the <see cref="RowFingerprint"/>s of the rows sent inside the window (<see cref="RootChunk"/>), so a
/// second write in the same second, or a transaction that commits after the poll with an older <c>write_date</c>,
/// changes a tree's fingerprint and the tree comes out again. The lower bound comes from Odoo's own
/// <c>write_date</c> values, never from the client's clock.</para>
/// <para>Every <see cref="OdooConnectorOptions.DeleteCheckEveryPolls"/> polls, the (partner, root) pairs Odoo holds are
/// compared with those of the previous check, kept in the cursor as a <see cref="PartnerSetSketch"/>: a vanished root
/// comes out as <see cref="ChangeKind.Deleted"/>, a tree that lost or gained a child (unlinked, moved, or detached when
/// its parent was deleted) as <see cref="ChangeKind.Upserted"/>.</para>
/// <para>Every change carries a cursor a consumer may keep: inside a poll it records how far the poll got, and the
/// last change of a poll carries the poll's end. A read that resumes a poll and finds nothing more to report goes on
/// with a new poll, so a consumer holding a cursor from inside a finished poll never stalls on it.</para>
/// </remarks>
internal sealed class ChangeFeedReader
{
    private const string Operation = "read-changes";
    private const string PartnerModel = "res.partner";
    private static readonly string[] TreeFields = ["parent_id", "commercial_partner_id"];

    private readonly string _system;
    private readonly OdooClient _client;
    private readonly OdooCalls _calls;
    private readonly PartnerTreeReader _trees;
    private readonly OdooConnectorOptions _options;
    private readonly ILogger _logger;
    private int _pollsSinceCheck;

    public ChangeFeedReader(string system, OdooClient client, OdooCalls calls, PartnerTreeReader trees, OdooConnectorOptions options, ILogger logger)
    {
        _system = system;
        _client = client;
        _calls = calls;
        _trees = trees;
        _options = options;
        _logger = logger;
    }

    public async IAsyncEnumerable<CustomerChange> ReadAsync(ChangeCursor? from, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var state = ChangeCursorState.Decode(from, _system);
        var profile = await _client.GetProfileAsync(cancellationToken).ConfigureAwait(false);
        var fields = PartnerUpsert.FieldsFor(profile.Version.HasMobile);
        var resumed = state.InPoll;
        var emitted = 0;
        await foreach (var change in PollAsync(state, fields, cancellationToken).ConfigureAwait(false))
        {
            emitted++;
            yield return change;
        }

        if (resumed && emitted == 0)
        {
            // The poll the cursor was taken in ended without a change to carry its end: go on with the next poll, or a
            // consumer that keeps that cursor would resume the finished poll forever and never see a later write.
            await foreach (var change in PollAsync(state, fields, cancellationToken).ConfigureAwait(false))
            {
                yield return change;
            }
        }
    }

    /// <summary>One poll from <paramref name="state"/>, which it leaves as the poll's end.</summary>
    /// <remarks>
    /// A poll resumed from a cursor taken inside it (<see cref="ChangeCursorState.LastRoot"/>) reports only the trees after
    /// that point; a tree before it that changed since is held for the next poll (its rows keep the window open), so no
    /// tree comes out twice in one poll and a tree's newest record is always the one that decides whether it changed.
    /// </remarks>
    private async IAsyncEnumerable<CustomerChange> PollAsync(ChangeCursorState state, string[] fields, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var overlap = (long)Math.Ceiling(_options.ChangeOverlap.TotalSeconds);
        var low = state.Watermark - overlap;
        var lastRoot = state.InPoll ? state.LastRoot : 0;
        var lower = state.Sent.Where(c => c.To <= lastRoot).ToList();
        var upper = state.Sent.Where(c => c.To > lastRoot).ToList();
        var high = await HighestIdAsync(cancellationToken).ConfigureAwait(false);

        // Deletions and moves: found by this poll's check, or left to report by the poll the cursor was taken in.
        var pendingDeleted = new SortedSet<long>(state.PendingDeleted);
        var pendingAffected = new SortedSet<long>(state.PendingAffected.Where(root => root > lastRoot));
        var baseline = state.Baseline;
        var baselineHigh = state.BaselineHighId;
        var checkedAt = state.CheckedAt;
        if (NeedsCheck(state, low, overlap))
        {
            var check = await CheckAsync(state, high, cancellationToken).ConfigureAwait(false);
            pendingDeleted.UnionWith(check.Deleted);
            pendingAffected.UnionWith(check.Affected);
            (baseline, baselineHigh, checkedAt) = (check.Baseline, check.HighId, state.Watermark ?? 0);
        }

        var scan = await ScanAsync(low, high, fields, cancellationToken).ConfigureAwait(false);
        if (baseline is null && low is null)
        {
            // The first poll reads every partner: that is the first check's reference.
            baseline = new PartnerSetSketch();
            baselineHigh = 0;
            checkedAt = 0;
        }

        if (baseline is not null && high > baselineHigh)
        {
            // Partners created since the reference was taken are all inside the window (their write_date is at least
            // their transaction's start): add them, so that one created, reported and deleted before the next check
            // is still found deleted by it.
            foreach (var row in scan.Rows.Values.SelectMany(r => r).Where(r => r.Id > baselineHigh))
            {
                baseline.Add(row.Id, row.Root);
            }

            baselineHigh = high;
        }

        // Which trees changed: those whose rows in the window no longer add up to what was last sent of them.
        var sums = new SortedDictionary<long, (int Count, ulong Hash)>();
        foreach (var (root, rows) in scan.Rows)
        {
            sums[root] = Sum(rows.Select(r => (r.Second, r.Hash)), null);
        }

        var scannedRoots = new ScannedRoots(sums);
        var verified = scannedRoots.Verified(state.Sent, lastRoot);
        var sent = new Dictionary<long, List<(long Second, ulong Hash)>>();
        long? held = null;
        foreach (var (root, rows) in scan.Rows)
        {
            if (verified.Contains(root))
            {
                sent[root] = [.. rows.Select(r => (r.Second, r.Hash))];
            }
            else if (root <= lastRoot)
            {
                Hold(rows);
            }
        }

        var toSend = new SortedSet<long>(scan.Rows.Keys.Where(root => root > lastRoot && !verified.Contains(root)));
        toSend.UnionWith(pendingAffected);
        toSend.UnionWith(scannedRoots.Departed.Where(root => root > lastRoot));
        toSend.ExceptWith(pendingDeleted);

        var builder = new RootDigestBuilder(ChangeCursorState.MaxChunks);
        var order = sent.Keys.Where(root => root > lastRoot).Concat(toSend).Distinct().Order().ToArray();
        CustomerChange? pending = null;
        var emitted = 0;

        ChangeCursor Inside(long upTo)
        {
            var chunks = new List<RootChunk>(lower.Count + ChangeCursorState.MaxChunks + upper.Count);
            chunks.AddRange(lower);
            chunks.AddRange(builder.Snapshot());
            var room = Math.Max(0, (2 * ChangeCursorState.MaxChunks) - chunks.Count);
            var carried = upper.Where(c => c.To > upTo).Take(room);

            // Forgetting a chunk (beyond the room) only makes its trees come out again: a repeat, never a loss.
            chunks.AddRange(carried);
            return new ChangeCursorState
            {
                Watermark = state.Watermark,
                InPoll = true,
                LastRoot = upTo,
                PendingDeleted = [.. pendingDeleted],
                PendingAffected = [.. pendingAffected.Where(root => root > upTo)],
                Sent = chunks,
                Baseline = baseline,
                BaselineHighId = baselineHigh,
                CheckedAt = checkedAt,
            }.Encode();
        }

        var deletedAt = DateTimeOffset.FromUnixTimeSeconds(Math.Max(scan.MaxSecond ?? 0, state.Watermark ?? 0));
        foreach (var id in pendingDeleted.ToList())
        {
            pendingDeleted.Remove(id);
            var change = new CustomerChange
            {
                Kind = ChangeKind.Deleted,
                ExternalId = id.ToString(CultureInfo.InvariantCulture),
                ModifiedAt = deletedAt,
                Cursor = Inside(lastRoot),
            };
            if (pending is not null)
            {
                emitted++;
                yield return pending;
            }

            pending = change;
        }

        var position = 0;
        foreach (var batch in toSend.Chunk(_options.PageSize))
        {
            var treeRows = new Dictionary<long, List<PartnerRecord>>();
            var trees = await _trees.ReadAsync(batch, fields, Operation, cancellationToken, treeRows).ConfigureAwait(false);
            var batchEnd = batch[^1];
            while (position < order.Length && order[position] <= batchEnd)
            {
                var root = order[position++];
                var scanned = scan.Rows.GetValueOrDefault(root) ?? [];
                if (!toSend.Contains(root))
                {
                    Keep(root, sent[root]);
                    continue;
                }

                if (!trees.TryGetValue(root, out var customer) || treeRows[root][0].ParentId is not null)
                {
                    // Gone, or no longer a root, since the scan: the check reports a deletion; keep the window open on its rows.
                    Hold(scanned);
                    continue;
                }

                var rows = treeRows[root].Select(r => (Id: r.Id, Second: RowFingerprint.Second(r.WriteDate), Hash: RowFingerprint.Of(r))).ToList();
                var inTree = rows.Select(r => r.Id).ToHashSet();
                rows.AddRange(scanned.Where(r => !inTree.Contains(r.Id)).Select(r => (r.Id, r.Second, r.Hash)));
                pendingAffected.Remove(root);
                Keep(root, [.. rows.Select(r => (r.Second, r.Hash))]);

                var change = new CustomerChange
                {
                    Kind = ChangeKind.Upserted,
                    ExternalId = root.ToString(CultureInfo.InvariantCulture),
                    Customer = customer,
                    ModifiedAt = ModifiedAt(customer, scanned, state.Watermark),
                    Cursor = Inside(root),
                };
                if (pending is not null)
                {
                    emitted++;
                    yield return pending;
                }

                pending = change;
            }
        }

        while (position < order.Length)
        {
            var root = order[position++];
            Keep(root, sent[root]);
        }

        // The poll's end: the newest write_date read (held back for rows that were not sent), and what was sent of the
        // trees whose rows stay inside the next poll's window.
        var newest = Max(state.Watermark, scan.MaxSecond);
        if (held is long oldest && newest is long n && oldest + overlap < n)
        {
            newest = Math.Max(state.Watermark ?? long.MinValue, oldest + overlap);
        }

        var floor = newest - overlap;
        var completed = new RootDigestBuilder(ChangeCursorState.MaxChunks);
        foreach (var (root, rows) in sent.OrderBy(s => s.Key))
        {
            var (count, hash) = Sum(rows, floor);
            completed.Add(root, count, hash);
        }

        state.Watermark = newest;
        state.InPoll = false;
        state.LastRoot = 0;
        state.PendingDeleted = [];
        state.PendingAffected = [];
        state.Sent = completed.Snapshot();
        state.Baseline = baseline;
        state.BaselineHighId = baselineHigh;
        state.CheckedAt = baseline is not null && checkedAt == 0 ? newest ?? 0 : checkedAt;
        state.LegacyKnownRoots = null;

        if (pending is not null)
        {
            emitted++;
            yield return pending with { Cursor = state.Encode() };
        }

        Log.PollCompleted(_logger, _system, low is long l ? RowFingerprint.Text(l) : "the beginning", scan.Count, emitted);

        void Keep(long root, List<(long Second, ulong Hash)> rows)
        {
            sent[root] = rows;
            var (count, hash) = Sum(rows, low);
            builder.Add(root, count, hash);
        }

        void Hold(List<ScanRow> rows)
        {
            foreach (var row in rows)
            {
                held = held is long h ? Math.Min(h, row.Second) : row.Second;
            }
        }
    }

    private static DateTimeOffset ModifiedAt(CanonicalCustomer customer, List<ScanRow> scanned, long? watermark)
    {
        var modified = customer.Provenance.SourceModifiedAt ?? DateTimeOffset.UnixEpoch;
        foreach (var row in scanned)
        {
            var at = DateTimeOffset.FromUnixTimeSeconds(row.Second);
            modified = at > modified ? at : modified;
        }

        if (scanned.Count == 0 && watermark is long newest && DateTimeOffset.FromUnixTimeSeconds(newest) > modified)
        {
            // Found by the check (a child deleted or moved away): no write_date says when; the newest Odoo has shown is the best bound.
            modified = DateTimeOffset.FromUnixTimeSeconds(newest);
        }

        return modified;
    }

    /// <summary>
    /// A check is due every <see cref="OdooConnectorOptions.DeleteCheckEveryPolls"/> polls, and whenever Odoo's clock has
    /// moved half the overlap past the last one: then a child reported in a tree since that check is still inside the
    /// window (its tree's record would see it leave) until the next check records it.
    /// </summary>
    private bool NeedsCheck(ChangeCursorState state, long? low, long overlap)
    {
        if (state.LegacyKnownRoots is not null || (state.Baseline is null && low is not null))
        {
            return true;
        }

        if (state.Baseline is null || state.InPoll)
        {
            // The first poll builds the reference from its full read; a resumed poll finishes with what its check found.
            return false;
        }

        if (Interlocked.Increment(ref _pollsSinceCheck) < _options.DeleteCheckEveryPolls
            && (state.Watermark is not long watermark || watermark - state.CheckedAt < Math.Max(1, overlap / 2)))
        {
            return false;
        }

        Interlocked.Exchange(ref _pollsSinceCheck, 0);
        return true;
    }

    private async Task<long> HighestIdAsync(CancellationToken cancellationToken)
    {
        var newest = await _client.ExecuteAsync(_calls.Search(PartnerModel, OdooDomain.Empty, limit: 1, order: "id desc"), OdooJsonContext.Default.Int64Array, Operation, cancellationToken).ConfigureAwait(false);
        return newest.Length > 0 ? newest[0] : 0;
    }

    private async Task<Scan> ScanAsync(long? low, long high, string[] fields, CancellationToken cancellationToken)
    {
        var scan = new Scan();
        long after = 0;
        while (high > after)
        {
            var domain = OdooDomain.Empty.Where("id", ">", after).Where("id", "<=", high);
            if (low is long since)
            {
                domain = domain.Where("write_date", ">=", RowFingerprint.Text(since));
            }

            var page = await _client.ExecuteAsync(_calls.SearchRead(PartnerModel, domain, fields, _options.PageSize, "id asc"), OdooJsonContext.Default.PartnerRecordArray, Operation, cancellationToken).ConfigureAwait(false);
            foreach (var record in page)
            {
                var row = new ScanRow(record.Id, RowFingerprint.RootOf(record.Id, record.ParentId, record.CommercialPartnerId), RowFingerprint.Second(record.WriteDate), RowFingerprint.Of(record));
                if (!scan.Rows.TryGetValue(row.Root, out var rows))
                {
                    rows = [];
                    scan.Rows[row.Root] = rows;
                }

                rows.Add(row);
                scan.Count++;
                scan.MaxSecond = Max(scan.MaxSecond, row.Second);
            }

            if (page.Length < _options.PageSize)
            {
                break;
            }

            after = page[^1].Id;
        }

        return scan;
    }

    /// <summary>Compares the (partner, root) pairs Odoo holds with the cursor's baseline: deleted roots, and trees that lost or gained a child.</summary>
    private async Task<Check> CheckAsync(ChangeCursorState state, long high, CancellationToken cancellationToken)
    {
        var rootOf = new Dictionary<long, long>();
        var pageSize = Math.Max(_options.PageSize, 2000);
        long after = 0;
        while (high > after)
        {
            var domain = OdooDomain.Empty.Where("id", ">", after).Where("id", "<=", high);
            var page = await _client.ExecuteAsync(_calls.SearchRead(PartnerModel, domain, TreeFields, pageSize, "id asc"), OdooJsonContext.Default.PartnerRecordArray, Operation, cancellationToken).ConfigureAwait(false);
            foreach (var record in page)
            {
                rootOf[record.Id] = RowFingerprint.RootOf(record.Id, record.ParentId, record.CommercialPartnerId);
            }

            if (page.Length < pageSize)
            {
                break;
            }

            after = page[^1].Id;
        }

        var check = new Check { HighId = high };
        foreach (var (id, root) in rootOf)
        {
            check.Baseline.Add(id, root);
        }

        if (state.Baseline is { } baseline)
        {
            var current = new PartnerSetSketch();
            foreach (var (id, root) in rootOf)
            {
                if (id <= state.BaselineHighId)
                {
                    current.Add(id, root);
                }
            }

            var complete = baseline.Subtract(current).TryList(out var differences);
            foreach (var (id, root, sign) in differences)
            {
                if (sign < 0)
                {
                    // In a tree it was not in before (moved, or detached when its parent was deleted).
                    check.Affected.Add(root);
                    continue;
                }

                if (!rootOf.ContainsKey(id))
                {
                    // Gone. A child may have been reported as a customer of its own since the reference was taken
                    // (detached, then deleted): every vanished partner is reported, a consumer ignores ids it never had.
                    check.Deleted.Add(id);
                }

                if (rootOf.TryGetValue(root, out var rootNow))
                {
                    // Gone from a tree that is still there: that tree lost a child.
                    check.Affected.Add(rootNow);
                }
            }

            if (!complete)
            {
                Log.DeletionsNotListed(_logger, _system, PartnerSetSketch.Capacity, differences.Count);
            }
        }
        else if (state.LegacyKnownRoots is { } known)
        {
            check.Deleted.UnionWith(known.Where(id => !rootOf.ContainsKey(id)));
        }

        return check;
    }

    private static (int Count, ulong Hash) Sum(IEnumerable<(long Second, ulong Hash)> rows, long? floor)
    {
        var count = 0;
        ulong hash = 0;
        foreach (var (second, rowHash) in rows)
        {
            if (floor is not long f || second >= f)
            {
                count++;
                hash ^= rowHash;
            }
        }

        return (count, hash);
    }

    private static long? Max(long? a, long? b) => a is null ? b : b is null ? a : Math.Max(a.Value, b.Value);

    private readonly record struct ScanRow(long Id, long Root, long Second, ulong Hash);

    private sealed class Scan
    {
        public SortedDictionary<long, List<ScanRow>> Rows { get; } = [];

        public int Count { get; set; }

        public long? MaxSecond { get; set; }
    }

    private sealed class Check
    {
        public SortedSet<long> Deleted { get; } = [];

        public HashSet<long> Affected { get; } = [];

        public PartnerSetSketch Baseline { get; } = new();

        public long HighId { get; init; }
    }
}
