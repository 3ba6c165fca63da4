using Concord.Canonical;
using Concord.Connectors.Odoo.Api;
using Concord.Connectors.Odoo.Api.Dtos;
using Concord.Connectors.Odoo.Mapping;

namespace Concord.Connectors.Odoo.Internal;

/// <summary>
/// Reads partners by database id as canonical trees: each partner with its direct children (contacts and addresses),
/// in one <c>search_read</c> per <see cref="OdooConnectorOptions.PageSize"/> partners (<c>id in ids OR parent_id in ids</c>), plus
/// the country, state and tag lookups the rows need and the <see cref="ReferenceCache"/> does not hold yet.
/// </summary>
/// <remarks>
/// <c>search_read</c> rather than <c>read</c>: a missing or deleted id simply does not come back (facts §12: <c>read</c>
/// answers <c>[]</c> for it on 18.0, but §3 documents MissingError), and search and read happen in one transaction.
/// Archived partners are read too (<c>active_test: false</c> in the call context).
/// </remarks>
internal sealed class PartnerTreeReader
{
    private const string PartnerModel = "res.partner";

    private readonly string _system;
    private readonly OdooClient _client;
    private readonly OdooCalls _calls;
    private readonly ReferenceCache _references;
    private readonly int _maxRootsPerCall;

    public PartnerTreeReader(string system, OdooClient client, OdooCalls calls, ReferenceCache references, int maxRootsPerCall)
    {
        _system = system;
        _client = client;
        _calls = calls;
        _references = references;
        _maxRootsPerCall = maxRootsPerCall;
    }

    /// <summary>
    /// The partners among <paramref name="rootIds"/> that exist, by id, each with its children; duplicates are read once.
    /// When <paramref name="rows"/> is given, it receives the rows each tree was built from (the root first).
    /// </summary>
    public async Task<Dictionary<long, CanonicalCustomer>> ReadAsync(IEnumerable<long> rootIds, string[] fields, string operation, CancellationToken cancellationToken, Dictionary<long, List<PartnerRecord>>? rows = null)
    {
        var result = new Dictionary<long, CanonicalCustomer>();
        foreach (var chunk in rootIds.Distinct().Chunk(_maxRootsPerCall))
        {
            await ReadChunkAsync(chunk, fields, operation, result, rows, cancellationToken).ConfigureAwait(false);
        }

        return result;
    }

    /// <summary>
    /// One entry per id, in input order: the partner's tree, or null when the id is not a positive integer (no call is
    /// made for it) or no partner has it. A repeated id gets the same answer each time and is read once.
    /// </summary>
    public async Task<CanonicalCustomer?[]> ReadByExternalIdsAsync(IReadOnlyList<string> externalIds, string[] fields, string operation, CancellationToken cancellationToken)
    {
        var ids = new long?[externalIds.Count];
        for (var i = 0; i < ids.Length; i++)
        {
            ids[i] = PartnerIds.TryParse(externalIds[i], out var id) ? id : null;
        }

        var wanted = ids.OfType<long>().ToArray();
        var trees = wanted.Length == 0 ? new Dictionary<long, CanonicalCustomer>() : await ReadAsync(wanted, fields, operation, cancellationToken).ConfigureAwait(false);
        var found = new CanonicalCustomer?[ids.Length];
        for (var i = 0; i < ids.Length; i++)
        {
            found[i] = ids[i] is long id ? trees.GetValueOrDefault(id) : null;
        }

        return found;
    }

    private async Task ReadChunkAsync(long[] rootIds, string[] fields, string operation, Dictionary<long, CanonicalCustomer> result, Dictionary<long, List<PartnerRecord>>? rows, CancellationToken cancellationToken)
    {
        var domain = OdooDomain.Empty.Or().WhereIn("id", rootIds).WhereIn("parent_id", rootIds);
        var records = await _client.ExecuteAsync(_calls.SearchRead(PartnerModel, domain, fields, order: "id asc"), OdooJsonContext.Default.PartnerRecordArray, operation, cancellationToken).ConfigureAwait(false);
        await _references.EnsureIdsAsync(
            [.. records.Where(r => r.CountryId is not null).Select(r => r.CountryId!.Value)],
            [.. records.Where(r => r.StateId is not null).Select(r => r.StateId!.Value)],
            [.. records.SelectMany(r => r.CategoryIds)],
            operation,
            cancellationToken).ConfigureAwait(false);

        var wanted = new HashSet<long>(rootIds);
        var children = records.Where(r => r.ParentId is long parent && wanted.Contains(parent)).ToLookup(r => r.ParentId!.Value);
        foreach (var root in records.Where(r => wanted.Contains(r.Id)))
        {
            result[root.Id] = PartnerReader.ToCustomer(root, children[root.Id], _references, _system);
            if (rows is not null)
            {
                rows[root.Id] = [root, .. children[root.Id]];
            }
        }
    }
}
