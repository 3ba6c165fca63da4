using Concord.Canonical;
using Concord.Canonical.Connectors;
using Concord.Connectors.Odoo.Api;
using Concord.Connectors.Odoo.Api.Dtos;
using Concord.Connectors.Odoo.Internal;

namespace Concord.Connectors.Odoo.Matching;

/// <summary>
/// Finds the partners that match many entries' <see cref="MatchKeys"/> with one search per group of entries instead of
/// one per entry. <c>FindAsync</c> is the one-entry case, so both answer alike.
/// </summary>
/// <remarks>
/// <para>
/// What an entry matches: top-level partners (<c>parent_id = false</c>: companies and standalone persons, archived ones
/// included through the read context) satisfying at least one of its conditions (<see cref="PartnerMatchCriteria"/>);
/// at most <see cref="MaxMatchesPerEntry"/> of them, the lowest ids first; ordered by
/// <see cref="PartnerMatchCriteria.Score"/>, best first, ties by id.
/// </para>
/// <para>
/// How: per group of entries (at most <see cref="MaxEntriesPerSearch"/> entries and <see cref="MaxLeavesPerSearch"/>
/// email and domain leaves), one <c>search_read</c> of the match fields for the union of their conditions, by id, then
/// each row is given to the entries whose own conditions it satisfies. A page that comes back full is followed by the
/// next (<c>id &gt;</c> the last one) for the entries that still have room, so no entry loses a match to another
/// entry's. Then the matched partners are read as trees (<see cref="PartnerTreeReader"/>).
/// </para>
/// </remarks>
internal sealed class PartnerFinder
{
    /// <summary>At most this many matches per entry (a key shared by more partners than this is no identity key).</summary>
    public const int MaxMatchesPerEntry = 50;

    /// <summary>At most this many entries per search.</summary>
    public const int MaxEntriesPerSearch = 200;

    /// <summary>At most this many email and domain leaves per search (tax ids, registry numbers and references are one <c>in</c> leaf each).</summary>
    public const int MaxLeavesPerSearch = 400;

    /// <summary>At most this many match rows per page.</summary>
    public const int MaxRowsPerPage = 1000;

    private const string Operation = "find";
    private const string PartnerModel = "res.partner";
    private static readonly string[] MatchFields = ["vat", "company_registry", "email", "website", "ref"];

    private readonly OdooClient _client;
    private readonly OdooCalls _calls;
    private readonly PartnerTreeReader _trees;

    public PartnerFinder(OdooClient client, OdooCalls calls, PartnerTreeReader trees)
    {
        _client = client;
        _calls = calls;
        _trees = trees;
    }

    /// <summary>One list per entry, in input order: the partners that match it, best first; empty for empty keys (no call).</summary>
    public async Task<IReadOnlyList<CanonicalCustomer>[]> FindManyAsync(IReadOnlyList<MatchKeys> keys, CancellationToken cancellationToken)
    {
        var results = new IReadOnlyList<CanonicalCustomer>[keys.Count];
        var entries = new List<Entry>(keys.Count);
        for (var i = 0; i < keys.Count; i++)
        {
            ArgumentNullException.ThrowIfNull(keys[i], $"{nameof(keys)}[{i}]");
            results[i] = [];
            var criteria = PartnerMatchCriteria.From(keys[i]);
            if (!criteria.IsEmpty)
            {
                entries.Add(new Entry(i, criteria));
            }
        }

        if (entries.Count == 0)
        {
            return results;
        }

        var profile = await _client.GetProfileAsync(cancellationToken).ConfigureAwait(false);
        var fields = PartnerUpsert.FieldsFor(profile.Version.HasMobile);
        foreach (var group in Groups(entries))
        {
            await SearchAsync(group, cancellationToken).ConfigureAwait(false);
            var trees = await _trees.ReadAsync(group.SelectMany(e => e.Ids), fields, Operation, cancellationToken).ConfigureAwait(false);
            foreach (var entry in group)
            {
                // Ids ascending, as the search returned them; a partner deleted since the search drops out. OrderBy is stable.
                results[entry.Index] = [.. entry.Ids.Where(trees.ContainsKey).Select(id => trees[id]).OrderByDescending(entry.Criteria.Score)];
            }
        }

        return results;
    }

    private static IEnumerable<List<Entry>> Groups(List<Entry> entries)
    {
        var group = new List<Entry>();
        var leaves = 0;
        foreach (var entry in entries)
        {
            if (group.Count > 0 && (group.Count == MaxEntriesPerSearch || leaves + entry.Criteria.OwnLeaves > MaxLeavesPerSearch))
            {
                yield return group;
                group = [];
                leaves = 0;
            }

            group.Add(entry);
            leaves += entry.Criteria.OwnLeaves;
        }

        yield return group;
    }

    private async Task SearchAsync(List<Entry> group, CancellationToken cancellationToken)
    {
        var open = group;
        var after = 0L;
        while (open.Count > 0)
        {
            var limit = Math.Min(MaxRowsPerPage, MaxMatchesPerEntry * open.Count);
            var domain = OdooDomain.Empty.Where("parent_id", "=", (string?)null);
            if (after > 0)
            {
                domain = domain.Where("id", ">", after);
            }

            domain = domain.AnyOf(PartnerMatchCriteria.Alternatives([.. open.Select(e => e.Criteria)]));
            var rows = await _client.ExecuteAsync(_calls.SearchRead(PartnerModel, domain, MatchFields, limit, "id asc"), OdooJsonContext.Default.PartnerRecordArray, Operation, cancellationToken).ConfigureAwait(false);
            foreach (var row in rows)
            {
                foreach (var entry in open)
                {
                    if (entry.Ids.Count < MaxMatchesPerEntry && entry.Criteria.Matches(row))
                    {
                        entry.Ids.Add(row.Id);
                    }
                }
            }

            if (rows.Length < limit)
            {
                return;
            }

            after = rows[^1].Id;
            open = [.. open.Where(e => e.Ids.Count < MaxMatchesPerEntry)];
        }
    }

    private sealed record Entry(int Index, PartnerMatchCriteria Criteria)
    {
        public List<long> Ids { get; } = [];
    }
}
