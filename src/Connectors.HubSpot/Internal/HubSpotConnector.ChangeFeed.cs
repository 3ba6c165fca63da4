using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text;
using Concord.Canonical;
using Concord.Canonical.Connectors;
using Concord.Connectors.HubSpot.Api.Dtos;
using Concord.Connectors.HubSpot.ChangeFeed;
using Concord.Connectors.HubSpot.Diagnostics;
using Concord.Connectors.HubSpot.Mapping;

namespace Concord.Connectors.HubSpot.Internal;

/// <summary>
/// The change feed (facts §4): companies searched by <c>hs_lastmodifieddate</c>, then contacts by
/// <c>lastmodifieddate</c> (each changed contact surfaces as a change of the company it is linked to now), then archived
/// companies as deletions. Each search re-reads an overlap window, sorts ascending with <c>hs_object_id</c> breaking
/// ties, pages 200 at a time and restarts before the 10,000-result cap (draining one timestamp by id when more than
/// 10,000 records share it). A merge surfaces as a <see cref="ChangeKind.Merged"/> change of each id in the survivor's
/// <c>hs_merged_object_ids</c> into the survivor, before the survivor's own change.
/// </summary>
internal sealed partial class HubSpotConnector
{
    private const int ResultCap = 10_000;

    public async IAsyncEnumerable<CustomerChange> ReadChangesAsync(ChangeCursor? from, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        const string Operation = "read-changes";
        var cursor = from is null ? new HubSpotChangeCursor() : HubSpotChangeCursor.Parse(from, Name);
        var overlap = (long)_options.ChangeFeedOverlap.TotalMilliseconds;
        var emitted = new Dictionary<string, string>(StringComparer.Ordinal);

        if (from is null)
        {
            // A first read returns every company with its current contacts, so contact edits so far are covered: the contact
            // stream starts at the newest contact now (a later edit may repeat a company, never lose one).
            // The newest contacts (as many as the cursor remembers) count as read, so that resuming does not take the overlap
            // window's contacts for new ones.
            var newest = await SearchPageAsync(HubSpotSchema.Contacts, [], new SearchSort { PropertyName = HubSpotSchema.ContactLastModified, Direction = "DESCENDING" }, [HubSpotSchema.ContactLastModified, "hs_object_id"], HubSpotChangeCursor.MemoryLimit, null, Operation, cancellationToken).ConfigureAwait(false);
            foreach (var contact in Enumerable.Reverse(newest.Results))
            {
                if (Position(contact, HubSpotSchema.ContactLastModified) is { } position)
                {
                    cursor.Contacts = HubSpotChangeCursor.Advance(cursor.Contacts, cursor.ContactMemory, position, overlap);
                }
            }
        }

        // 1. Companies changed since the company position (minus the overlap).
        var companyMemory = cursor.CompanyMemory.ToHashSet();
        await foreach (var page in ScanAsync(HubSpotSchema.Companies, HubSpotSchema.CompanyLastModified, Lower(cursor.Companies, overlap), _schema.CompanyProperties, Operation, cancellationToken).ConfigureAwait(false))
        {
            var fresh = page.Where(r => Position(r, HubSpotSchema.CompanyLastModified) is { } p && !companyMemory.Contains(p)).ToList();
            var known = fresh.Where(r => r.Id is not null).ToDictionary(r => r.Id!, StringComparer.Ordinal);
            var customers = await AssembleAsync([.. known.Keys], known, Operation, cancellationToken).ConfigureAwait(false);
            foreach (var record in fresh)
            {
                var position = Position(record, HubSpotSchema.CompanyLastModified)!.Value;
                var before = cursor.ToChangeCursor();
                cursor.Companies = HubSpotChangeCursor.Advance(cursor.Companies, cursor.CompanyMemory, position, overlap);
                var customer = customers[record.Id!];
                var modifiedAt = DateTimeOffset.FromUnixTimeMilliseconds(position.Ms);
                foreach (var merged in (record.Get("hs_merged_object_ids") ?? string.Empty).Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
                {
                    // The merge as it is: the merged id is gone (HubSpot returns nothing for it) into this company, whose own
                    // change follows.
                    yield return new CustomerChange { Kind = ChangeKind.Merged, ExternalId = merged, MergedIntoExternalId = record.Id, ModifiedAt = modifiedAt, Cursor = before };
                }

                if (Emit(emitted, record.Id!, customer))
                {
                    yield return new CustomerChange { Kind = ChangeKind.Upserted, ExternalId = record.Id!, Customer = customer, ModifiedAt = modifiedAt, Cursor = cursor.ToChangeCursor() };
                }
            }
        }

        // 2. Contacts changed since the contact position: each surfaces as a change of the company it is linked to now
        //    (the company it left changed too: its calculated link count moved its own last-modified date).
        var contactMemory = cursor.ContactMemory.ToHashSet();
        await foreach (var page in ScanAsync(HubSpotSchema.Contacts, HubSpotSchema.ContactLastModified, Lower(cursor.Contacts, overlap), [HubSpotSchema.ContactLastModified, "hs_object_id"], Operation, cancellationToken).ConfigureAwait(false))
        {
            var fresh = page.Where(r => Position(r, HubSpotSchema.ContactLastModified) is { } p && !contactMemory.Contains(p)).ToList();
            var companiesOf = await ReadLinksAsync(HubSpotSchema.Contacts, HubSpotSchema.Companies, [.. fresh.Select(r => r.Id!)], Operation, cancellationToken).ConfigureAwait(false);
            var lastOnPage = new Dictionary<string, int>(StringComparer.Ordinal);
            for (var i = 0; i < fresh.Count; i++)
            {
                foreach (var company in companiesOf.GetValueOrDefault(fresh[i].Id!) ?? [])
                {
                    lastOnPage[company] = i;
                }
            }

            var customers = await AssembleAsync([.. lastOnPage.Keys], null, Operation, cancellationToken).ConfigureAwait(false);
            for (var i = 0; i < fresh.Count; i++)
            {
                var position = Position(fresh[i], HubSpotSchema.ContactLastModified)!.Value;
                cursor.Contacts = HubSpotChangeCursor.Advance(cursor.Contacts, cursor.ContactMemory, position, overlap);
                foreach (var company in companiesOf.GetValueOrDefault(fresh[i].Id!) ?? [])
                {
                    if (lastOnPage[company] != i || !customers.TryGetValue(company, out var customer) || !Emit(emitted, company, customer))
                    {
                        continue;
                    }

                    yield return new CustomerChange
                    {
                        Kind = ChangeKind.Upserted,
                        ExternalId = company,
                        Customer = customer,
                        ModifiedAt = DateTimeOffset.FromUnixTimeMilliseconds(position.Ms),
                        Cursor = cursor.ToChangeCursor(),
                    };
                }
            }
        }

        // 3. Companies archived since the archived position: search never shows them, the archived list does.
        var archived = new List<(FeedPosition Position, HubSpotObject Record)>();
        string? after = null;
        do
        {
            var page = await CallAsync(
                ct => _api.ListAsync(_paths.Objects1, _paths.Objects2, HubSpotSchema.Companies, 100, after, string.Join(',', _schema.CompanyProperties), "true", Operation, ct),
                Operation,
                "archived companies",
                cancellationToken).ConfigureAwait(false);
            foreach (var record in page.Results)
            {
                if (record.ArchivedAt is { } at && long.TryParse(record.Id, NumberStyles.None, CultureInfo.InvariantCulture, out var id))
                {
                    var position = new FeedPosition(at.ToUnixTimeMilliseconds(), id);
                    if (cursor.Archived is not { } seen || position > seen)
                    {
                        archived.Add((position, record));
                    }
                }
            }

            after = page.Paging?.Next?.After;
        }
        while (after is not null);

        foreach (var (position, record) in archived.OrderBy(a => a.Position))
        {
            cursor.Archived = position;
            yield return new CustomerChange
            {
                Kind = ChangeKind.Deleted,
                ExternalId = record.Id!,
                Customer = CompanyMapper.ToCustomer(record, [], Name, _schema),
                ModifiedAt = DateTimeOffset.FromUnixTimeMilliseconds(position.Ms),
                Cursor = cursor.ToChangeCursor(),
            };
        }
    }

    /// <summary>
    /// Every record of <paramref name="objectType"/> whose <paramref name="property"/> is at or after
    /// <paramref name="fromMs"/>, in pages, oldest first: 200 per page, a new query from the last timestamp before the
    /// 10,000-result cap (records already returned are dropped), and a drain by <c>hs_object_id</c> when 10,000 records
    /// share one timestamp.
    /// </summary>
    private async IAsyncEnumerable<List<HubSpotObject>> ScanAsync(string objectType, string property, long fromMs, IReadOnlyList<string> properties, string operation, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var seen = new HashSet<FeedPosition>();
        var lower = fromMs;
        var inclusive = true;
        var sort = new SearchSort { PropertyName = property };
        while (true)
        {
            var filters = new List<FilterGroup> { Group(new Filter { PropertyName = property, Operator = inclusive ? "GTE" : "GT", Value = Ms(lower) }) };
            var offset = 0;
            var lastMs = lower;
            long? firstMs = null;
            var capped = false;
            while (true)
            {
                var page = await SearchPageAsync(objectType, filters, sort, properties, SearchPageSize, offset == 0 ? null : Ms(offset), operation, cancellationToken).ConfigureAwait(false);
                firstMs ??= page.Results.Select(r => Position(r, property)?.Ms).FirstOrDefault(ms => ms is not null);
                var batch = Fresh(page.Results, property, seen, ref lastMs);
                if (batch.Count > 0)
                {
                    yield return batch;
                }

                var returned = offset + page.Results.Count;
                if (page.Paging?.Next?.After is { } next && int.TryParse(next, NumberStyles.None, CultureInfo.InvariantCulture, out var nextOffset))
                {
                    offset = nextOffset;
                    if (offset + SearchPageSize > ResultCap)
                    {
                        capped = true;
                        break;
                    }

                    continue;
                }

                // No next page: the end, unless the 10,000-result cap cut it short.
                capped = page.Results.Count > 0 && returned < page.Total && returned >= ResultCap - SearchPageSize;
                break;
            }

            if (!capped)
            {
                yield break;
            }

            Log.FeedRestarted(_logger, Name, objectType, lastMs);
            if (firstMs == lastMs)
            {
                // A whole window of 10,000 records shares one timestamp: drain it in id order, then go on after it.
                await foreach (var batch in DrainAsync(objectType, property, lastMs, properties, seen, operation, cancellationToken).ConfigureAwait(false))
                {
                    yield return batch;
                }

                lower = lastMs;
                inclusive = false;
            }
            else
            {
                lower = lastMs;
                inclusive = true;
            }
        }
    }

    private async IAsyncEnumerable<List<HubSpotObject>> DrainAsync(string objectType, string property, long timestamp, IReadOnlyList<string> properties, HashSet<FeedPosition> seen, string operation, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        long lastId = 0;
        var sort = new SearchSort { PropertyName = "hs_object_id" };
        while (true)
        {
            var filters = new List<FilterGroup>
            {
                new() { Filters = [new Filter { PropertyName = property, Operator = "EQ", Value = Ms(timestamp) }, new Filter { PropertyName = "hs_object_id", Operator = "GT", Value = Ms(lastId) }] },
            };
            var offset = 0;
            var capped = false;
            while (true)
            {
                var page = await SearchPageAsync(objectType, filters, sort, properties, SearchPageSize, offset == 0 ? null : Ms(offset), operation, cancellationToken).ConfigureAwait(false);
                var ignored = timestamp;
                var batch = Fresh(page.Results, property, seen, ref ignored);
                lastId = page.Results.Select(r => CompanyMapper.IdOrder(r.Id)).Where(id => id != long.MaxValue).DefaultIfEmpty(lastId).Max();
                if (batch.Count > 0)
                {
                    yield return batch;
                }

                if (page.Paging?.Next?.After is { } next && int.TryParse(next, NumberStyles.None, CultureInfo.InvariantCulture, out var nextOffset))
                {
                    offset = nextOffset;
                    if (offset + SearchPageSize > ResultCap)
                    {
                        capped = true;
                        break;
                    }

                    continue;
                }

                capped = page.Results.Count > 0 && offset + page.Results.Count < page.Total && offset + page.Results.Count >= ResultCap - SearchPageSize;
                break;
            }

            if (!capped)
            {
                yield break;
            }
        }
    }

    private Task<SearchResponse> SearchPageAsync(string objectType, List<FilterGroup> filters, SearchSort sort, IReadOnlyList<string> properties, int limit, string? after, string operation, CancellationToken cancellationToken)
    {
        var body = new SearchRequest { FilterGroups = filters, Sorts = [sort], Properties = [.. properties], Limit = limit, After = after };
        return CallAsync(
            ct => _api.SearchAsync(_paths.Objects1, _paths.Objects2, objectType, body, idempotent: true, operation, ct),
            operation,
            $"{objectType} search",
            cancellationToken);
    }

    /// <summary>The records of a page not returned before in this scan; moves <paramref name="lastMs"/> to the newest timestamp seen.</summary>
    private static List<HubSpotObject> Fresh(List<HubSpotObject> results, string property, HashSet<FeedPosition> seen, ref long lastMs)
    {
        var fresh = new List<HubSpotObject>(results.Count);
        foreach (var record in results)
        {
            if (Position(record, property) is not { } position)
            {
                continue;
            }

            lastMs = Math.Max(lastMs, position.Ms);
            if (seen.Add(position))
            {
                fresh.Add(record);
            }
        }

        return fresh;
    }

    private static FeedPosition? Position(HubSpotObject record, string property) =>
        long.TryParse(record.Id, NumberStyles.None, CultureInfo.InvariantCulture, out var id) && CompanyMapper.Timestamp(record.Get(property)) is { } time
            ? new FeedPosition(time.ToUnixTimeMilliseconds(), id)
            : null;

    private static long Lower(FeedPosition? position, long overlapMs) => position is { } p ? Math.Max(0, p.Ms - overlapMs) : 0;

    /// <summary>Whether this company, with these contacts, was not emitted yet in this read (a contact change repeats an unchanged company otherwise).</summary>
    private static bool Emit(Dictionary<string, string> emitted, string companyId, CanonicalCustomer customer)
    {
        var signature = new StringBuilder(customer.Provenance.SourceVersion);
        foreach (var contact in customer.Contacts)
        {
            signature.Append('|').Append(contact.ExternalRefs.FirstOrDefault()?.Id).Append(':').Append(contact.Name).Append(':').Append(contact.Emails.FirstOrDefault()?.Address);
        }

        var text = signature.ToString();
        if (emitted.TryGetValue(companyId, out var previous) && previous == text)
        {
            return false;
        }

        emitted[companyId] = text;
        return true;
    }

    private static FilterGroup Group(Filter filter) => new() { Filters = [filter] };

    private static string Ms(long value) => value.ToString(CultureInfo.InvariantCulture);
}
