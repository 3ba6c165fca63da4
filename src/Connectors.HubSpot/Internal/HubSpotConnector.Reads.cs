using System.Globalization;
using Concord.Canonical;
using Concord.Canonical.Connectors;
using Concord.Connectors.HubSpot.Api.Dtos;
using Concord.Connectors.HubSpot.Mapping;

namespace Concord.Connectors.HubSpot.Internal;

/// <summary>Reads: batch reads of companies, their links and contacts; search for twins by domain, tax id and email.</summary>
internal sealed partial class HubSpotConnector
{
    private const int AssociationReadBatch = 1_000;
    private const int SearchPageSize = 200;

    /// <summary>How many values one <c>IN</c> filter carries (the facts page gives no limit; kept small).</summary>
    private const int InValues = 100;

    public async Task<CanonicalCustomer?> GetAsync(string externalId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(externalId);
        return (await GetManyAsync([externalId], cancellationToken).ConfigureAwait(false))[0];
    }

    public async Task<IReadOnlyList<CanonicalCustomer?>> GetManyAsync(IReadOnlyList<string> externalIds, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(externalIds);
        const string Operation = "get-many";
        var ids = externalIds.Where(IsId).Distinct(StringComparer.Ordinal).ToList();
        var customers = await AssembleAsync(ids, null, Operation, cancellationToken).ConfigureAwait(false);
        return [.. externalIds.Select(id => id is not null && customers.TryGetValue(id, out var customer) ? customer : null)];
    }

    public async Task<IReadOnlyList<CanonicalCustomer>> FindAsync(MatchKeys keys, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(keys);
        return (await FindManyAsync([keys], cancellationToken).ConfigureAwait(false))[0];
    }

    /// <summary>
    /// One company search over every domain (and tax id, when mapped) with <c>IN</c> filters, one contact search over
    /// every email (their companies through the links), then one batch read of the companies found. Search never
    /// returns archived records, so twins archived in HubSpot are not found.
    /// </summary>
    public async Task<IReadOnlyList<IReadOnlyList<CanonicalCustomer>>> FindManyAsync(IReadOnlyList<MatchKeys> keys, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(keys);
        const string Operation = "find-many";
        var domains = keys.Where(k => k?.Domain is not null).Select(k => k.Domain!.ToLowerInvariant()).Distinct(StringComparer.Ordinal).ToList();
        var taxValues = _schema.TaxIdProperty is null ? [] : keys.Where(k => k is not null).SelectMany(k => k.TaxIds).SelectMany(TaxValues).Distinct(StringComparer.Ordinal).ToList();
        var emails = keys.Where(k => k is not null).SelectMany(k => k.Emails).Select(e => e.ToLowerInvariant()).Distinct(StringComparer.Ordinal).ToList();

        var byDomain = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        var byTax = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        var groups = new List<FilterGroup>();
        groups.AddRange(domains.Chunk(InValues).Select(slice => In("domain", slice)));
        if (_schema.TaxIdProperty is { } taxProperty)
        {
            // String IN values must be lower case (facts §4).
            groups.AddRange(taxValues.Chunk(InValues).Select(slice => In(taxProperty, slice.Select(v => v.ToLowerInvariant()))));
        }

        foreach (var request in groups.Chunk(5))
        {
            var properties = new List<string> { "domain", "hs_object_id" };
            if (_schema.TaxIdProperty is { } tax)
            {
                properties.Add(tax);
            }

            await foreach (var company in SearchAllAsync(HubSpotSchema.Companies, [.. request], properties, Operation, cancellationToken).ConfigureAwait(false))
            {
                if (company.Id is null)
                {
                    continue;
                }

                if (company.Get("domain") is { } domain)
                {
                    Add(byDomain, domain.ToLowerInvariant(), company.Id);
                }

                if (_schema.TaxIdProperty is { } taxName && company.Get(taxName) is { } value)
                {
                    Add(byTax, value.ToUpperInvariant(), company.Id);
                }
            }
        }

        var byEmail = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        if (emails.Count > 0)
        {
            var contactsByEmail = new Dictionary<string, List<string>>(StringComparer.Ordinal);
            foreach (var request in emails.Chunk(InValues).Select(slice => In("email", slice)).Chunk(5))
            {
                await foreach (var contact in SearchAllAsync(HubSpotSchema.Contacts, [.. request], ["email", "hs_object_id"], Operation, cancellationToken).ConfigureAwait(false))
                {
                    if (contact.Id is not null && contact.Get("email") is { } email)
                    {
                        Add(contactsByEmail, email.ToLowerInvariant(), contact.Id);
                    }
                }
            }

            var companiesOf = await ReadLinksAsync(HubSpotSchema.Contacts, HubSpotSchema.Companies, [.. contactsByEmail.Values.SelectMany(v => v).Distinct(StringComparer.Ordinal)], Operation, cancellationToken).ConfigureAwait(false);
            foreach (var (email, contactIds) in contactsByEmail)
            {
                foreach (var contactId in contactIds)
                {
                    foreach (var companyId in companiesOf.GetValueOrDefault(contactId) ?? [])
                    {
                        Add(byEmail, email, companyId);
                    }
                }
            }
        }

        var all = byTax.Values.Concat(byDomain.Values).Concat(byEmail.Values).SelectMany(v => v).Distinct(StringComparer.Ordinal).ToList();
        var customers = await AssembleAsync(all, null, Operation, cancellationToken).ConfigureAwait(false);
        var answers = new IReadOnlyList<CanonicalCustomer>[keys.Count];
        for (var i = 0; i < keys.Count; i++)
        {
            var key = keys[i];
            if (key is null || key.IsEmpty)
            {
                answers[i] = [];
                continue;
            }

            // Best match first: tax id, then domain, then email.
            var ids = new List<string>();
            foreach (var value in _schema.TaxIdProperty is null ? [] : key.TaxIds.SelectMany(TaxValues))
            {
                ids.AddRange(byTax.GetValueOrDefault(value) ?? []);
            }

            if (key.Domain is { } d)
            {
                ids.AddRange(byDomain.GetValueOrDefault(d.ToLowerInvariant()) ?? []);
            }

            foreach (var email in key.Emails)
            {
                ids.AddRange(byEmail.GetValueOrDefault(email.ToLowerInvariant()) ?? []);
            }

            answers[i] = [.. ids.Distinct(StringComparer.Ordinal).Select(id => customers.GetValueOrDefault(id)).Where(c => c is not null).Select(c => c!)];
        }

        return answers;
    }

    /// <summary>
    /// The customers of <paramref name="companyIds"/>: the companies (batch read unless <paramref name="known"/> has
    /// them), their contact links (batch read, ≤ 1,000 ids per call) and the contacts (batch read).
    /// </summary>
    private async Task<Dictionary<string, CanonicalCustomer>> AssembleAsync(IReadOnlyList<string> companyIds, IReadOnlyDictionary<string, HubSpotObject>? known, string operation, CancellationToken cancellationToken)
    {
        var companies = new Dictionary<string, HubSpotObject>(StringComparer.Ordinal);
        var missing = new List<string>();
        foreach (var id in companyIds)
        {
            if (known?.GetValueOrDefault(id) is { } company)
            {
                companies[id] = company;
            }
            else
            {
                missing.Add(id);
            }
        }

        foreach (var (id, company) in await ReadObjectsAsync(HubSpotSchema.Companies, missing, _schema.CompanyProperties, operation, cancellationToken).ConfigureAwait(false))
        {
            companies[id] = company;
        }

        var links = await ReadLinksAsync(HubSpotSchema.Companies, HubSpotSchema.Contacts, [.. companies.Keys], operation, cancellationToken).ConfigureAwait(false);
        var contacts = await ReadObjectsAsync(HubSpotSchema.Contacts, [.. links.Values.SelectMany(v => v).Distinct(StringComparer.Ordinal)], _schema.ContactProperties, operation, cancellationToken).ConfigureAwait(false);
        var customers = new Dictionary<string, CanonicalCustomer>(StringComparer.Ordinal);
        foreach (var (id, company) in companies)
        {
            var own = (links.GetValueOrDefault(id) ?? []).Select(c => contacts.GetValueOrDefault(c)).Where(c => c is not null).Select(c => c!).ToList();
            customers[id] = CompanyMapper.ToCustomer(company, own, Name, _schema);
        }

        return customers;
    }

    /// <summary>Batch-reads records by id, 100 per call; ids HubSpot does not know are left out.</summary>
    private async Task<Dictionary<string, HubSpotObject>> ReadObjectsAsync(string objectType, IReadOnlyList<string> ids, IReadOnlyList<string> properties, string operation, CancellationToken cancellationToken)
    {
        var found = new Dictionary<string, HubSpotObject>(StringComparer.Ordinal);
        foreach (var chunk in ids.Chunk(_options.BatchSize))
        {
            var body = new BatchReadRequest { Inputs = [.. chunk.Select(id => new ReadInput { Id = id })], Properties = [.. properties], PropertiesWithHistory = [] };
            var answer = await CallAsync(
                ct => _api.BatchReadAsync(_paths.Objects1, _paths.Objects2, objectType, body, idempotent: true, operation, ct),
                operation,
                $"{chunk.Length} {objectType}",
                cancellationToken).ConfigureAwait(false);
            foreach (var record in answer.Results)
            {
                if (record.Id is not null)
                {
                    found[record.Id] = record;
                }
            }

            // Unknown ids come back as OBJECT_NOT_FOUND errors (207, or errors[] in a 200): they are simply not found.
        }

        return found;
    }

    /// <summary>The linked ids of each record (v4 batch read, ≤ 1,000 ids per call, following each record's paging).</summary>
    private async Task<Dictionary<string, List<string>>> ReadLinksAsync(string fromType, string toType, IReadOnlyList<string> ids, string operation, CancellationToken cancellationToken)
    {
        var links = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        var pending = ids.Select(id => new AssociationReadInput { Id = id }).ToList();
        while (pending.Count > 0)
        {
            var next = new List<AssociationReadInput>();
            foreach (var chunk in pending.Chunk(AssociationReadBatch))
            {
                var body = new BatchInputs<AssociationReadInput> { Inputs = [.. chunk] };
                var answer = await CallAsync(
                    ct => _api.ReadAssociationsAsync(_paths.Associations1, _paths.Associations2, fromType, toType, body, idempotent: true, operation, ct),
                    operation,
                    $"{chunk.Length} {fromType} links",
                    cancellationToken).ConfigureAwait(false);
                foreach (var result in answer.Results)
                {
                    if (result.From?.Id is not { } from)
                    {
                        continue;
                    }

                    if (!links.TryGetValue(from, out var targets))
                    {
                        links[from] = targets = [];
                    }

                    targets.AddRange(result.To.Where(t => t.ToObjectId is not null).Select(t => t.ToObjectId!));
                    if (result.Paging?.Next?.After is { Length: > 0 } after)
                    {
                        next.Add(new AssociationReadInput { Id = from, After = after });
                    }
                }
            }

            pending = next;
        }

        foreach (var list in links.Values)
        {
            list.Sort((a, b) => CompanyMapper.IdOrder(a).CompareTo(CompanyMapper.IdOrder(b)));
        }

        return links;
    }

    /// <summary>Every record a search finds, 200 per page (for match keys: far below the 10,000 cap).</summary>
    private async IAsyncEnumerable<HubSpotObject> SearchAllAsync(string objectType, List<FilterGroup> groups, List<string> properties, string operation, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        string? after = null;
        do
        {
            var body = new SearchRequest { FilterGroups = groups, Properties = properties, Limit = SearchPageSize, After = after };
            var page = await CallAsync(
                ct => _api.SearchAsync(_paths.Objects1, _paths.Objects2, objectType, body, idempotent: true, operation, ct),
                operation,
                $"{objectType} search",
                cancellationToken).ConfigureAwait(false);
            foreach (var record in page.Results)
            {
                yield return record;
            }

            after = page.Paging?.Next?.After;
        }
        while (after is not null);
    }

    private static FilterGroup In(string property, IEnumerable<string> values) =>
        new() { Filters = [new Filter { PropertyName = property, Operator = "IN", Values = [.. values] }] };

    private static IEnumerable<string> TaxValues(TaxIdentifier taxId)
    {
        var prefix = taxId.Country == "GR" ? "EL" : taxId.Country;
        var value = taxId.Value.ToUpperInvariant();
        yield return value.StartsWith(prefix, StringComparison.Ordinal) ? value : prefix + value;
    }

    private static void Add(Dictionary<string, List<string>> map, string key, string id)
    {
        if (!map.TryGetValue(key, out var list))
        {
            map[key] = list = [];
        }

        if (!list.Contains(id, StringComparer.Ordinal))
        {
            list.Add(id);
        }
    }

    private static bool IsId(string? id) => !string.IsNullOrEmpty(id) && long.TryParse(id, NumberStyles.None, CultureInfo.InvariantCulture, out _);
}
