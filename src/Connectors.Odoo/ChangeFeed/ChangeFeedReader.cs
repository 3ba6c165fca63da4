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
/// Polls <c>res.partner</c> for changes (facts §6). A poll reads every partner (archived included) whose
/// <c>write_date</c> is at or after the newest one already seen minus <see cref="OdooConnectorOptions.ChangeOverlap"/>,
/// ordered and paged by id up to the highest id that existed when the poll started; pairs (id, write_date) already
/// emitted are skipped. Changed children are reported as their root's tree, rebuilt by <c>parent_id</c>. Every
/// <see cref="OdooConnectorOptions.DeleteCheckEveryPolls"/> polls the roots emitted so far are re-checked, and the
/// vanished ones come out as <see cref="ChangeKind.Deleted"/>.
/// </summary>
/// <remarks>
/// The lower bound comes from Odoo's own <c>write_date</c> values, never from the client's clock or an HTTP
/// <c>Date</c> header (which a proxy may set from another clock). A transaction that commits late carries its start
/// time as <c>write_date</c>: the overlap re-reads it on the next poll.
/// </remarks>
internal sealed class ChangeFeedReader
{
    private const string Operation = "read-changes";
    private const string PartnerModel = "res.partner";

    private readonly string _system;
    private readonly OdooClient _client;
    private readonly OdooCalls _calls;
    private readonly PartnerTreeReader _trees;
    private readonly OdooConnectorOptions _options;
    private readonly ILogger _logger;

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
        var rowsRead = 0;
        var emitted = 0;

        if (state.HighId == 0)
        {
            state.Polls++;
            state.Low = state.MaxWriteDate is null ? null : Shift(state.MaxWriteDate, -_options.ChangeOverlap);
            state.PruneSeen(state.Low);
            state.After = 0;
            var newest = await _client.ExecuteAsync(_calls.Search(PartnerModel, OdooDomain.Empty, limit: 1, order: "id desc"), OdooJsonContext.Default.Int64Array, Operation, cancellationToken).ConfigureAwait(false);
            state.HighId = newest.Length > 0 ? newest[0] : 0;

            if (state.Polls % _options.DeleteCheckEveryPolls == 0 || _options.DeleteCheckEveryPolls == 1)
            {
                await foreach (var deletion in CheckDeletesAsync(state, cancellationToken).ConfigureAwait(false))
                {
                    emitted++;
                    yield return deletion;
                }
            }

            if (state.HighId == 0)
            {
                yield break;
            }
        }

        while (state.HighId != 0)
        {
            var domain = OdooDomain.Empty.Where("id", ">", state.After).Where("id", "<=", state.HighId);
            if (state.Low is not null)
            {
                domain = domain.Where("write_date", ">=", state.Low);
            }

            var page = await _client.ExecuteAsync(_calls.SearchRead(PartnerModel, domain, fields, _options.PageSize, "id asc"), OdooJsonContext.Default.PartnerRecordArray, Operation, cancellationToken).ConfigureAwait(false);
            rowsRead += page.Length;
            var pageStart = state.After;
            var lastPage = page.Length < _options.PageSize;
            var fresh = page.Where(r => r.WriteDate is null || !state.WasSeen(r.Id, r.WriteDate)).ToList();

            var groups = new List<(long RootId, List<PartnerRecord> Rows)>();
            foreach (var row in fresh)
            {
                var rootId = row.ParentId is null ? row.Id : row.CommercialPartnerId is long commercial && commercial != row.Id ? commercial : row.ParentId.Value;
                var group = groups.FindIndex(g => g.RootId == rootId);
                if (group < 0)
                {
                    groups.Add((rootId, [row]));
                }
                else
                {
                    groups[group].Rows.Add(row);
                }
            }

            var trees = groups.Count == 0 ? new Dictionary<long, CanonicalCustomer>() : await _trees.ReadAsync(groups.Select(g => g.RootId), fields, Operation, cancellationToken).ConfigureAwait(false);
            for (var i = 0; i < groups.Count; i++)
            {
                var (rootId, rows) = groups[i];
                foreach (var row in rows)
                {
                    if (row.WriteDate is not null)
                    {
                        state.MarkSeen(row.Id, row.WriteDate);
                    }
                }

                var isLast = i == groups.Count - 1;
                state.After = isLast ? page[^1].Id : pageStart;
                if (isLast && lastPage)
                {
                    state.HighId = 0;
                }

                if (!trees.TryGetValue(rootId, out var customer))
                {
                    // The root vanished between the page and the tree read: the delete check reports it.
                    continue;
                }

                state.AddKnown(rootId);
                emitted++;
                yield return new CustomerChange
                {
                    Kind = ChangeKind.Upserted,
                    ExternalId = rootId.ToString(CultureInfo.InvariantCulture),
                    Customer = customer,
                    ModifiedAt = rows.Select(r => PartnerReader.ParseWriteDate(r.WriteDate)).Max() ?? customer.Provenance.SourceModifiedAt ?? DateTimeOffset.UnixEpoch,
                    Cursor = state.Encode(),
                };
            }

            if (page.Length > 0)
            {
                state.After = page[^1].Id;
            }

            if (lastPage)
            {
                state.HighId = 0;
            }
        }

        Log.PollCompleted(_logger, _system, state.Low ?? "the beginning", rowsRead, emitted);
    }

    private async IAsyncEnumerable<CustomerChange> CheckDeletesAsync(ChangeCursorState state, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var known = state.KnownIds();
        if (known.Count == 0)
        {
            yield break;
        }

        var present = new HashSet<long>();
        foreach (var chunk in known.Chunk(1000))
        {
            var ids = await _client.ExecuteAsync(_calls.Search(PartnerModel, OdooDomain.Empty.WhereIn("id", chunk)), OdooJsonContext.Default.Int64Array, Operation, cancellationToken).ConfigureAwait(false);
            present.UnionWith(ids);
        }

        var when = PartnerReader.ParseWriteDate(state.MaxWriteDate) ?? DateTimeOffset.UnixEpoch;
        var current = new List<long>(known);
        foreach (var id in known.Where(id => !present.Contains(id)).ToList())
        {
            current.Remove(id);
            state.SetKnown(current);
            yield return new CustomerChange
            {
                Kind = ChangeKind.Deleted,
                ExternalId = id.ToString(CultureInfo.InvariantCulture),
                ModifiedAt = when,
                Cursor = state.Encode(),
            };
        }

        state.SetKnown(present);
    }

    private static string Shift(string writeDate, TimeSpan by) =>
        PartnerReader.ParseWriteDate(writeDate) is { } parsed
            ? parsed.Add(by).UtcDateTime.ToString(PartnerReader.WriteDateFormat, CultureInfo.InvariantCulture)
            : writeDate;
}
