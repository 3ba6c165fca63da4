using System.Globalization;
using Concord.Canonical;
using Concord.Canonical.Connectors;
using Concord.Canonical.Errors;
using Concord.Canonical.Privacy;
using Concord.Connectors.Zendesk.Api;
using Concord.Connectors.Zendesk.Diagnostics;
using Concord.Connectors.Zendesk.Mapping;

namespace Concord.Connectors.Zendesk.Internal;

internal sealed partial class ZendeskConnector
{
    private const int ShowManyLimit = 100;
    private const int ReadConcurrency = 8;

    /// <summary>
    /// One organization: <c>create_or_update</c> keyed on <c>external_id</c>, or an update by id when the identity map
    /// knows it (never a second create). A name another organization holds runs the matcher. Then its contacts.
    /// </summary>
    public async Task<UpsertResult> UpsertAsync(UpsertRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        const string Operation = "upsert";
        if (Invalid(request, Operation) is { } invalid)
        {
            return invalid;
        }

        await _fields.EnsureAsync(_mapper.OrganizationFieldKeys, _mapper.UserFieldKeys, cancellationToken).ConfigureAwait(false);
        var customer = request.Customer;
        var key = customer.Provenance.CanonicalId!;
        var work = new OrganizationWork(key, customer, [0]) { KnownId = Known(request) };
        var write = _mapper.ToOrganization(customer);
        var where = $"organization {PersonalDataMasker.MaskIdentifier(key)}";
        try
        {
            if (work.KnownId is { } known)
            {
                await _session.Records.AcquireAsync("organization:" + Id(known), cancellationToken).ConfigureAwait(false);
                var response = await _api.SendAsync(HttpMethod.Put, $"api/v2/organizations/{Id(known)}.json", Body(write), ZendeskJsonContext.Default.OrganizationEnvelope, Operation, where, idempotent: true, cancellationToken).ConfigureAwait(false);
                work.Succeed(response.Value?.Organization?.Id ?? known, UpsertOutcome.Updated);
            }
            else
            {
                await _session.Records.AcquireAsync("organization:" + key, cancellationToken).ConfigureAwait(false);
                var response = await _api.SendAsync(HttpMethod.Post, "api/v2/organizations/create_or_update.json", Body(write), ZendeskJsonContext.Default.OrganizationEnvelope, Operation, where, idempotent: true, cancellationToken).ConfigureAwait(false);
                if (response.Value?.Organization?.Id is not { } id)
                {
                    throw Error(ErrorCategory.ContractViolation, $"Zendesk create_or_update answered HTTP {response.Status} without an organization id.", Operation);
                }

                work.Succeed(id, response.Status == 201 ? UpsertOutcome.Created : UpsertOutcome.Updated);
            }
        }
        catch (ConcordException ex) when (ex.Category == ErrorCategory.Conflict && ex.StatusCode == 422)
        {
            // DuplicateValue: the name is another organization's (create_or_update never matches by name).
            work.DuplicateError = ex;
            await ResolveDuplicatesAsync([work], Operation, cancellationToken).ConfigureAwait(false);
            if (work.Pending is { } adopt)
            {
                work.Pending = null;
                await _session.Records.AcquireAsync("organization:" + Id(adopt), cancellationToken).ConfigureAwait(false);
                try
                {
                    await _api.SendAsync(HttpMethod.Put, $"api/v2/organizations/{Id(adopt)}.json", Body(write), ZendeskJsonContext.Default.OrganizationEnvelope, Operation, where, idempotent: true, cancellationToken).ConfigureAwait(false);
                    work.Succeed(adopt, UpsertOutcome.Updated);
                }
                catch (ConcordException adoptError) when (adoptError.IsRecordLevel)
                {
                    work.Fail(adoptError);
                }
            }
        }
        catch (ConcordException ex) when (ex.IsRecordLevel)
        {
            work.Fail(ex);
        }

        if (work.Error is null)
        {
            await WriteContactsAsync([work], Operation, cancellationToken).ConfigureAwait(false);
        }

        return work.Result();
    }

    /// <summary>
    /// Many organizations: inputs with one canonical id coalesced into one write (the last wins: Zendesk allows five updates
    /// a minute per record), the existing ones read with <c>show_many?external_ids=</c> (or <c>?ids=</c> for known ids),
    /// the unchanged ones left alone, <c>create_many</c> for new keys and <c>update_many</c> for known ones in jobs of at
    /// most 100, results mapped by <c>index</c> (creates) or id (updates), duplicates resolved, then the contacts. One result
    /// per input, in input order; an input its job says nothing about fails.
    /// </summary>
    public async Task<IReadOnlyList<UpsertResult>> UpsertManyAsync(IReadOnlyList<UpsertRequest> requests, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(requests);
        const string Operation = "upsert-many";
        var results = new UpsertResult?[requests.Count];
        var works = new List<OrganizationWork>();
        var byKey = new Dictionary<string, OrganizationWork>(StringComparer.OrdinalIgnoreCase); // external_id is case-insensitive
        for (var i = 0; i < requests.Count; i++)
        {
            if (Invalid(requests[i], Operation) is { } invalid)
            {
                results[i] = invalid;
                continue;
            }

            var customer = requests[i].Customer;
            var key = customer.Provenance.CanonicalId!;
            if (byKey.TryGetValue(key, out var same))
            {
                same.Customer = customer;
                same.Inputs.Add(i);
                same.KnownId = Known(requests[i]) ?? same.KnownId;
            }
            else
            {
                var work = new OrganizationWork(key, customer, [i]) { KnownId = Known(requests[i]) };
                byKey[key] = work;
                works.Add(work);
            }
        }

        if (works.Count > 0)
        {
            await _fields.EnsureAsync(_mapper.OrganizationFieldKeys, _mapper.UserFieldKeys, cancellationToken).ConfigureAwait(false);
            await ReadExistingAsync(works, Operation, cancellationToken).ConfigureAwait(false);
            await WriteOrganizationsAsync(works, Operation, cancellationToken).ConfigureAwait(false);
            await WriteContactsAsync([.. works.Where(w => w.Error is null)], Operation, cancellationToken).ConfigureAwait(false);
            foreach (var work in works)
            {
                var result = work.Result();
                foreach (var input in work.Inputs)
                {
                    results[input] = result;
                }
            }
        }

        var final = new UpsertResult[results.Length];
        for (var i = 0; i < results.Length; i++)
        {
            final[i] = results[i] ?? throw new InvalidOperationException($"No result for request {i}.");
        }

        return final;
    }

    private static long? Known(UpsertRequest request) =>
        request.KnownExternalId is { } known && long.TryParse(known, NumberStyles.None, CultureInfo.InvariantCulture, out var id) ? id : null;

    private static byte[] Body(OrganizationWrite write) =>
        ZendeskApiClient.Serialize(new OrganizationWriteEnvelope { Organization = write }, ZendeskJsonContext.Default.OrganizationWriteEnvelope);

    /// <summary>Reads the organizations the writes concern: by id for known ids (a missing one fails as NotFound), by external id for the rest.</summary>
    private async Task ReadExistingAsync(List<OrganizationWork> works, string operation, CancellationToken cancellationToken)
    {
        var known = works.Where(w => w.KnownId is not null).ToList();
        await Concurrently(known.Chunk(ShowManyLimit), async (chunk, ct) =>
        {
            var found = await ShowOrganizationsAsync("ids", chunk.Select(w => Id(w.KnownId!.Value)), operation, ct).ConfigureAwait(false);
            var byId = found.ToDictionary(o => o.Id);
            foreach (var work in chunk)
            {
                if (byId.TryGetValue(work.KnownId!.Value, out var existing))
                {
                    work.Existing = existing;
                }
                else
                {
                    // The identity map points at a deleted organization: say so, never create a second one.
                    work.Fail(Error(ErrorCategory.NotFound, $"Zendesk organization {Id(work.KnownId.Value)} (the known id of {PersonalDataMasker.MaskIdentifier(work.Key)}) no longer exists.", operation));
                }
            }
        }, cancellationToken).ConfigureAwait(false);

        var unknown = works.Where(w => w.KnownId is null).ToList();
        foreach (var work in unknown.Where(w => w.Key.Contains(',', StringComparison.Ordinal)))
        {
            // A comma would split the show_many list: look it up alone.
            var found = await SearchOrganizationsAsync($"external_id={Uri.EscapeDataString(work.Key)}", operation, cancellationToken).ConfigureAwait(false);
            work.Existing = found.FirstOrDefault(o => string.Equals(o.ExternalId, work.Key, StringComparison.OrdinalIgnoreCase));
        }

        await Concurrently(unknown.Where(w => !w.Key.Contains(',', StringComparison.Ordinal)).Chunk(ShowManyLimit), async (chunk, ct) =>
        {
            var found = await ShowOrganizationsAsync("external_ids", chunk.Select(w => w.Key), operation, ct).ConfigureAwait(false);
            foreach (var work in chunk)
            {
                work.Existing = found.FirstOrDefault(o => string.Equals(o.ExternalId, work.Key, StringComparison.OrdinalIgnoreCase));
            }
        }, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Runs independent reads a few at a time: latency, not the budget, bounds a long batch read one by one; the request
    /// gate still holds every call to the minute budget.
    /// </summary>
    private static Task Concurrently<T>(IEnumerable<T> items, Func<T, CancellationToken, Task> body, CancellationToken cancellationToken) =>
        Parallel.ForEachAsync(items, new ParallelOptions { MaxDegreeOfParallelism = ReadConcurrency, CancellationToken = cancellationToken }, async (item, ct) => await body(item, ct).ConfigureAwait(false));

    private async Task<List<OrganizationDto>> ShowOrganizationsAsync(string parameter, IEnumerable<string> values, string operation, CancellationToken cancellationToken)
    {
        var list = values.ToList();
        var path = $"api/v2/organizations/show_many.json?{parameter}={string.Join(',', list.Select(Uri.EscapeDataString))}";
        var response = await _api.SendAsync(HttpMethod.Get, path, null, ZendeskJsonContext.Default.OrganizationsEnvelope, operation, $"{list.Count} organizations", idempotent: true, cancellationToken).ConfigureAwait(false);
        return response.Value?.Organizations ?? [];
    }

    private async Task<List<OrganizationDto>> SearchOrganizationsAsync(string query, string operation, CancellationToken cancellationToken)
    {
        var response = await _api.SendAsync(HttpMethod.Get, $"api/v2/organizations/search.json?{query}", null, ZendeskJsonContext.Default.OrganizationsEnvelope, operation, "organization search", idempotent: true, cancellationToken).ConfigureAwait(false);
        return response.Value?.Organizations ?? [];
    }

    /// <summary>Round 1: creates and updates; round 2: updates of what round 1's duplicates resolved to (our own record, or an adoption).</summary>
    private async Task WriteOrganizationsAsync(List<OrganizationWork> works, string operation, CancellationToken cancellationToken)
    {
        var creates = new List<OrganizationWork>();
        var updates = new List<OrganizationWork>();
        foreach (var work in works.Where(w => w.Error is null))
        {
            work.Write = _mapper.ToOrganization(work.Customer);
            if (work.Existing is not { } existing)
            {
                creates.Add(work);
            }
            else if (ZendeskMapper.Holds(existing, work.Write))
            {
                work.Succeed(existing.Id, UpsertOutcome.Unchanged);
            }
            else
            {
                work.Pending = existing.Id;
                updates.Add(work);
            }
        }

        await RunOrganizationJobsAsync(creates, updates, operation, cancellationToken).ConfigureAwait(false);

        var duplicates = works.Where(w => w.Error is null && w.Id is null && w.Duplicate).ToList();
        if (duplicates.Count == 0)
        {
            return;
        }

        await ResolveDuplicatesAsync(duplicates, operation, cancellationToken).ConfigureAwait(false);
        var second = duplicates.Where(w => w.Error is null && w.Pending is not null).ToList();
        await RunOrganizationJobsAsync([], second, operation, cancellationToken).ConfigureAwait(false);
        foreach (var work in duplicates.Where(w => w.Error is null && w.Id is null))
        {
            work.Fail(work.DuplicateError ?? Error(ErrorCategory.Conflict, "The organization's name or external id is another organization's.", operation));
        }
    }

    private async Task RunOrganizationJobsAsync(List<OrganizationWork> creates, List<OrganizationWork> updates, string operation, CancellationToken cancellationToken)
    {
        var specs = new List<JobSpec>();
        var members = new List<OrganizationWork[]>();
        var isCreate = new List<bool>();
        foreach (var chunk in creates.Chunk(_options.BatchSize))
        {
            var body = ZendeskApiClient.Serialize(new OrganizationsWriteEnvelope { Organizations = [.. chunk.Select(w => w.Write!)] }, ZendeskJsonContext.Default.OrganizationsWriteEnvelope);
            specs.Add(new JobSpec(HttpMethod.Post, "api/v2/organizations/create_many.json", body, chunk.Length, $"{chunk.Length} new organizations"));
            members.Add(chunk);
            isCreate.Add(true);
        }

        foreach (var chunk in updates.Chunk(_options.BatchSize))
        {
            var writes = chunk.Select(w => With(w.Write!, w.Pending!.Value)).ToList();
            var body = ZendeskApiClient.Serialize(new OrganizationsWriteEnvelope { Organizations = writes }, ZendeskJsonContext.Default.OrganizationsWriteEnvelope);
            specs.Add(new JobSpec(HttpMethod.Put, "api/v2/organizations/update_many.json", body, chunk.Length, $"{chunk.Length} organizations"));
            members.Add(chunk);
            isCreate.Add(false);
        }

        if (specs.Count == 0)
        {
            return;
        }

        var outcomes = await _jobs.RunAsync(specs, operation, cancellationToken).ConfigureAwait(false);
        for (var j = 0; j < specs.Count; j++)
        {
            var chunk = members[j];
            var outcome = outcomes[j];
            if (outcome.Error is { } jobError)
            {
                if (!jobError.IsRecordLevel && jobError.Category is ErrorCategory.Authentication or ErrorCategory.Configuration)
                {
                    throw jobError;
                }

                foreach (var work in chunk)
                {
                    work.Fail(jobError);
                }

                continue;
            }

            if (outcome.Status != "completed")
            {
                foreach (var work in chunk)
                {
                    work.Fail(Error(ErrorCategory.Transient, $"Zendesk job {outcome.JobId} ended '{outcome.Status}'{(outcome.Message is null ? string.Empty : ": " + PersonalDataMasker.Mask(outcome.Message))}; writing again is safe.", operation));
                }

                continue;
            }

            for (var k = 0; k < chunk.Length; k++)
            {
                var work = chunk[k];
                var item = isCreate[j]
                    ? outcome.Items.FirstOrDefault(r => r.Index == k)
                    : outcome.Items.FirstOrDefault(r => r.Id == work.Pending);
                var created = isCreate[j];
                work.Pending = null;
                if (item is null)
                {
                    work.Fail(Error(ErrorCategory.Transient, $"Zendesk job {outcome.JobId} completed without a result for {PersonalDataMasker.MaskIdentifier(work.Key)}; it may or may not be written, and writing it again is safe (keyed on external_id).", operation));
                }
                else if (item.Success && item.Id is { } id && id > 0)
                {
                    work.Succeed(id, created ? UpsertOutcome.Created : UpsertOutcome.Updated);
                }
                else
                {
                    var error = ZendeskErrorClassifier.FromJobItem(item.Error, item.Details, Name, operation, $"organization {PersonalDataMasker.MaskIdentifier(work.Key)}");
                    if (error.Category == ErrorCategory.Conflict && error.VendorErrorCode == ZendeskErrorClassifier.DuplicateValue && !work.Resolved)
                    {
                        work.Duplicate = true;
                        work.DuplicateError = error;
                    }
                    else
                    {
                        work.Fail(error);
                    }
                }
            }
        }
    }

    private static OrganizationWrite With(OrganizationWrite write, long id) => new()
    {
        Id = id,
        Name = write.Name,
        ExternalId = write.ExternalId,
        DomainNames = write.DomainNames,
        Details = write.Details,
        Notes = write.Notes,
        Tags = write.Tags,
        OrganizationFields = write.OrganizationFields,
    };

    /// <summary>
    /// A DuplicateValue on a create: the external id may be ours already (a lost answer, then a retry, or another process),
    /// else the name is another organization's. Ours: update it. A namesake without an external id that shares a domain or
    /// tax id with the customer: adopt it (set our external id). Anything else: a Conflict naming the organization.
    /// </summary>
    private async Task ResolveDuplicatesAsync(List<OrganizationWork> works, string operation, CancellationToken cancellationToken)
    {
        var ours = new Dictionary<string, OrganizationDto>(StringComparer.OrdinalIgnoreCase);
        foreach (var chunk in works.Where(w => !w.Key.Contains(',', StringComparison.Ordinal)).Chunk(ShowManyLimit))
        {
            foreach (var organization in await ShowOrganizationsAsync("external_ids", chunk.Select(w => w.Key), operation, cancellationToken).ConfigureAwait(false))
            {
                if (organization.ExternalId is { } externalId)
                {
                    ours[externalId] = organization;
                }
            }
        }

        foreach (var work in works)
        {
            work.Resolved = true;
            work.Write ??= _mapper.ToOrganization(work.Customer);
            if (ours.TryGetValue(work.Key, out var mine))
            {
                if (ZendeskMapper.Holds(mine, work.Write))
                {
                    work.Succeed(mine.Id, UpsertOutcome.Updated);
                }
                else
                {
                    work.Pending = mine.Id;
                }

                continue;
            }

            var namesakes = await SearchOrganizationsAsync($"name={Uri.EscapeDataString(work.Write.Name)}", operation, cancellationToken).ConfigureAwait(false);
            var namesake = namesakes.FirstOrDefault();
            if (namesake is null)
            {
                work.Fail(work.DuplicateError ?? Error(ErrorCategory.Conflict, "Zendesk refused the organization as a duplicate, and no organization holds its name or external id.", operation));
            }
            else if (string.Equals(namesake.ExternalId, work.Key, StringComparison.OrdinalIgnoreCase))
            {
                work.Pending = namesake.Id;
            }
            else if (string.IsNullOrEmpty(namesake.ExternalId) && Agrees(work.Customer, namesake))
            {
                Log.Adopted(_logger, Name, namesake.Id);
                work.Pending = namesake.Id;
            }
            else
            {
                work.Fail(new ConcordException(
                    ErrorCategory.Conflict,
                    $"Zendesk organization {Id(namesake.Id)} already holds the name of {PersonalDataMasker.MaskIdentifier(work.Key)} ({(string.IsNullOrEmpty(namesake.ExternalId) ? "it shares no domain or tax id with the customer" : "it belongs to another external id")}); it was not adopted. Rename one of them or link them by hand.")
                {
                    System = Name,
                    Operation = operation,
                    StatusCode = 422,
                    VendorErrorCode = ZendeskErrorClassifier.DuplicateValue,
                    FieldErrors = [new FieldError("name", $"already the name of Zendesk organization {Id(namesake.Id)}", ZendeskErrorClassifier.DuplicateValue)],
                });
            }
        }
    }

    /// <summary>The matcher: a namesake is the same company when it shares a domain or a tax id with the customer.</summary>
    private bool Agrees(CanonicalCustomer customer, OrganizationDto namesake)
    {
        var domains = (namesake.DomainNames ?? []).Select(d => d.ToLowerInvariant()).ToHashSet(StringComparer.Ordinal);
        if (!string.IsNullOrWhiteSpace(customer.Domain) && domains.Contains(customer.Domain.Trim().ToLowerInvariant()))
        {
            return true;
        }

        var theirs = ZendeskMapper.ParseTaxIds(ZendeskMapper.Text(namesake.OrganizationFields, _options.OrganizationFields?.TaxIds));
        return customer.TaxIds.Any(t => theirs.Any(o => o.Country == t.Country && o.Value == t.Value));
    }

    /// <summary>The state of one organization write (one canonical id, however many inputs share it).</summary>
    private sealed class OrganizationWork(string key, CanonicalCustomer customer, List<int> inputs)
    {
        public string Key { get; } = key;

        public CanonicalCustomer Customer { get; set; } = customer;

        public List<int> Inputs { get; } = inputs;

        public long? KnownId { get; set; }

        public OrganizationDto? Existing { get; set; }

        public OrganizationWrite? Write { get; set; }

        /// <summary>The organization id an update is addressed to.</summary>
        public long? Pending { get; set; }

        public bool Duplicate { get; set; }

        public bool Resolved { get; set; }

        public ConcordException? DuplicateError { get; set; }

        public long? Id { get; private set; }

        public UpsertOutcome Outcome { get; private set; }

        public ConcordException? Error { get; private set; }

        public Dictionary<string, string> ContactIds { get; } = new(StringComparer.Ordinal);

        public bool ContactsChanged { get; set; }

        public void Succeed(long id, UpsertOutcome outcome)
        {
            Id = id;
            Outcome = outcome;
        }

        public void Fail(ConcordException error)
        {
            Error ??= error;
        }

        public UpsertResult Result()
        {
            if (Error is not null)
            {
                return UpsertResult.Failure(Error);
            }

            var outcome = Outcome == UpsertOutcome.Unchanged && ContactsChanged ? UpsertOutcome.Updated : Outcome;
            return UpsertResult.Success(outcome, Id!.Value.ToString(CultureInfo.InvariantCulture), ContactIds);
        }
    }
}
