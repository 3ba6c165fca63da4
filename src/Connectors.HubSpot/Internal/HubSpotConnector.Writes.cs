using System.Net;
using Concord.Canonical;
using Concord.Canonical.Connectors;
using Concord.Canonical.Errors;
using Concord.Canonical.Privacy;
using Concord.Connectors.HubSpot.Api.Dtos;
using Concord.Connectors.HubSpot.Diagnostics;
using Concord.Connectors.HubSpot.Mapping;
using Refit;

namespace Concord.Connectors.HubSpot.Internal;

/// <summary>Writes: companies, then their contacts, then the links, then the links of contacts no longer there.</summary>
internal sealed partial class HubSpotConnector
{
    private const int MaxLockedAttempts = 3;
    private const int MaxItemRetries = 2;
    private const int AssociationWriteBatch = 2_000;

    public async Task<UpsertResult> UpsertAsync(UpsertRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        return (await UpsertCoreAsync([request], "upsert", cancellationToken).ConfigureAwait(false))[0];
    }

    public Task<IReadOnlyList<UpsertResult>> UpsertManyAsync(IReadOnlyList<UpsertRequest> requests, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(requests);
        return UpsertCoreAsync(requests, "upsert-many", cancellationToken);
    }

    private async Task<IReadOnlyList<UpsertResult>> UpsertCoreAsync(IReadOnlyList<UpsertRequest> requests, string operation, CancellationToken cancellationToken)
    {
        var results = new UpsertResult?[requests.Count];
        var valid = new List<int>(requests.Count);
        for (var i = 0; i < requests.Count; i++)
        {
            if (Invalid(requests[i], operation) is { } invalid)
            {
                results[i] = invalid;
            }
            else
            {
                valid.Add(i);
            }
        }

        if (valid.Count > 0)
        {
            await EnsureReadyAsync(cancellationToken).ConfigureAwait(false);
            await WriteSlicesAsync(requests, valid, results, operation, cancellationToken).ConfigureAwait(false);
        }

        var final = new UpsertResult[results.Length];
        for (var i = 0; i < results.Length; i++)
        {
            final[i] = results[i] ?? throw new InvalidOperationException($"No result for request {i}.");
        }

        return final;
    }

    /// <summary>
    /// Writes the customers slice by slice, the slices side by side (see <see cref="Slice"/>): each slice goes through
    /// companies, contacts and links in turn, but a slice's links need not wait for every other slice's contacts, and while
    /// one slice waits for its answers the others use the write's free slots (<see cref="WriteGate"/>: at most
    /// <see cref="HubSpotConnectorOptions.MaxParallelBatches"/> calls in flight for the whole write, the earliest slice
    /// first). One slice (any write with at most 2,000 contacts) is written as it always was.
    /// </summary>
    private async Task WriteSlicesAsync(IReadOnlyList<UpsertRequest> requests, List<int> valid, UpsertResult?[] results, string operation, CancellationToken cancellationToken)
    {
        var slices = Slice(requests, valid);
        if (slices.Count == 1)
        {
            await WriteCustomersAsync(requests, valid, results, operation, cancellationToken).ConfigureAwait(false);
            return;
        }

        var gate = new WriteGate(_options.MaxParallelBatches);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var running = new Task[slices.Count];
        for (var i = 0; i < slices.Count; i++)
        {
            running[i] = RunSliceAsync(slices[i], i);
        }

        try
        {
            await Task.WhenAll(running).ConfigureAwait(false);
        }
        catch (Exception) when (!cancellationToken.IsCancellationRequested)
        {
            // A failure of the whole call (authorization, an outage past the retries) stopped the other slices: report it, not their cancellation.
            if (running.Where(t => t.IsFaulted).Select(t => t.Exception!.InnerException).FirstOrDefault(e => e is not null and not OperationCanceledException) is not { } cause)
            {
                throw;
            }

            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(cause).Throw();
        }

        async Task RunSliceAsync(List<int> slice, int priority)
        {
            await Task.Yield();
            using (gate.Enter(priority))
            {
                try
                {
                    await WriteCustomersAsync(requests, slice, results, operation, stop.Token).ConfigureAwait(false);
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    await stop.CancelAsync().ConfigureAwait(false);
                    throw;
                }
            }
        }
    }

    /// <summary>
    /// Cuts a write into slices of whole company batches (<see cref="ConnectorOptions.BatchSize"/> customers each) holding at
    /// most one association batch of contacts (2,000), so a slice costs ⌈companies/100⌉ + ⌈contacts/100⌉ + 1 calls, as
    /// the whole write would. Customers that share a key (the company's, or a contact's email or id) stay in one slice:
    /// no two slices ever write one record at the same time, and duplicate keys are merged as in one batch.
    /// </summary>
    private List<List<int>> Slice(IReadOnlyList<UpsertRequest> requests, List<int> valid)
    {
        // Union-find over the valid positions, joined by every key they write.
        var parent = new int[valid.Count];
        for (var v = 0; v < parent.Length; v++)
        {
            parent[v] = v;
        }

        int Root(int v)
        {
            while (parent[v] != v)
            {
                parent[v] = parent[parent[v]];
                v = parent[v];
            }

            return v;
        }

        var owner = new Dictionary<string, int>(StringComparer.Ordinal);
        var contacts = new int[valid.Count];
        for (var v = 0; v < valid.Count; v++)
        {
            var request = requests[valid[v]];
            var companyKey = request.KnownExternalId is { Length: > 0 } known ? WriteKey.Id(known) : new WriteKey(_schema.CompanyUnique, request.Customer.Provenance.CanonicalId!);
            Join("c" + companyKey.Normalized, v);
            foreach (var contact in request.Customer.Contacts)
            {
                contacts[v]++;
                if (ContactKey(contact) is { } key)
                {
                    Join("p" + key.Normalized, v);
                }
            }
        }

        void Join(string key, int v)
        {
            if (owner.TryGetValue(key, out var other))
            {
                parent[Root(v)] = Root(other);
            }
            else
            {
                owner[key] = v;
            }
        }

        // Groups in input order (a group at its first member), then batches of about BatchSize customers, then slices.
        var groups = new Dictionary<int, List<int>>();
        var order = new List<List<int>>();
        for (var v = 0; v < valid.Count; v++)
        {
            var root = Root(v);
            if (!groups.TryGetValue(root, out var group))
            {
                groups[root] = group = [];
                order.Add(group);
            }

            group.Add(v);
        }

        var slices = new List<List<int>>();
        var slice = new List<int>();
        var sliceContacts = 0;
        var batch = new List<int>();
        var batchContacts = 0;
        foreach (var group in order)
        {
            batch.AddRange(group);
            batchContacts += group.Sum(v => contacts[v]);
            if (batch.Count >= _options.BatchSize)
            {
                AddBatch();
            }
        }

        AddBatch();
        if (slice.Count > 0)
        {
            slices.Add(slice);
        }

        return [.. slices.Select(s => s.Select(v => valid[v]).ToList())];

        void AddBatch()
        {
            if (batch.Count == 0)
            {
                return;
            }

            if (slice.Count > 0 && sliceContacts + batchContacts > AssociationWriteBatch)
            {
                slices.Add(slice);
                slice = [];
                sliceContacts = 0;
            }

            slice.AddRange(batch);
            sliceContacts += batchContacts;
            batch = [];
            batchContacts = 0;
        }
    }

    private async Task WriteCustomersAsync(IReadOnlyList<UpsertRequest> requests, List<int> valid, UpsertResult?[] results, string operation, CancellationToken cancellationToken)
    {
        // 1. Companies: by HubSpot id when the engine knows it, else upsert on the unique property.
        var companyWrites = valid.Select(i =>
        {
            var request = requests[i];
            var key = request.KnownExternalId is { Length: > 0 } known ? WriteKey.Id(known) : new WriteKey(_schema.CompanyUnique, request.Customer.Provenance.CanonicalId!);
            return new ObjectWrite(key, CompanyMapper.ToCompany(request.Customer, _schema), request.IdempotencyKey.Value);
        }).ToList();
        var companies = await WriteObjectsAsync(HubSpotSchema.Companies, companyWrites, operation, cancellationToken).ConfigureAwait(false);

        // 2. Contacts of the companies that were written: by known id, else by email, else by the unique property.
        var contactWrites = new List<ObjectWrite>();
        var contactOwners = new List<(int Valid, string? CanonicalId)>();
        for (var v = 0; v < valid.Count; v++)
        {
            var index = valid[v];
            if (companies[v].Error is { } companyError)
            {
                results[index] = UpsertResult.Failure(companyError);
                continue;
            }

            var customer = requests[index].Customer;
            for (var c = 0; c < customer.Contacts.Length; c++)
            {
                var contact = customer.Contacts[c];
                if (ContactKey(contact) is not { } key)
                {
                    results[index] = UpsertResult.Failure(new ConcordException(
                        ErrorCategory.Validation,
                        $"Contact {c} of the customer has neither an email nor a canonical id; HubSpot contacts are upserted by email or by {_schema.ContactUnique}.")
                    {
                        System = Name,
                        Operation = operation,
                        FieldErrors = [new FieldError($"$.contacts[{c}]", "an email or an id is required to upsert the contact", "required")],
                    });
                    break;
                }

                contactWrites.Add(new ObjectWrite(key, CompanyMapper.ToContact(contact, customer, _schema), $"{requests[index].IdempotencyKey.Value}/c{c}"));
                contactOwners.Add((v, contact.Id));
            }
        }

        var contacts = await WriteObjectsAsync(HubSpotSchema.Contacts, contactWrites, operation, cancellationToken).ConfigureAwait(false);
        var contactIds = new Dictionary<int, Dictionary<string, string>>();
        var written = new Dictionary<int, List<string>>();
        for (var k = 0; k < contactWrites.Count; k++)
        {
            var (v, canonicalId) = contactOwners[k];
            var index = valid[v];
            if (contacts[k].Error is { } error)
            {
                // The company is written; the customer is not complete until every contact is. Retrying is safe (upserts).
                results[index] ??= UpsertResult.Failure(error);
                continue;
            }

            (written.TryGetValue(v, out var list) ? list : written[v] = []).Add(contacts[k].Id!);
            if (canonicalId is not null)
            {
                (contactIds.TryGetValue(v, out var ids) ? ids : contactIds[v] = new Dictionary<string, string>(StringComparer.Ordinal))[canonicalId] = contacts[k].Id!;
            }
        }

        // 3. Links, after both sides exist: contact → company unlabelled (279) and primary (1).
        var linkable = valid.Select((index, v) => (index, v)).Where(p => results[p.index] is null).ToList();
        var links = linkable.SelectMany(p => (written.GetValueOrDefault(p.v) ?? []).Select(contact => (Owner: p.v, Contact: contact, Company: companies[p.v].Id!))).ToList();
        foreach (var (owner, error) in await AssociateAsync(links, operation, cancellationToken).ConfigureAwait(false))
        {
            results[valid[owner]] ??= UpsertResult.Failure(error);
        }

        // 4. Contacts linked to an existing company that the customer no longer has: disassociated, never deleted.
        var updated = linkable.Where(p => !companies[p.v].Created && results[p.index] is null).ToList();
        if (updated.Count > 0)
        {
            // Inputs merged onto one company (one key twice) keep every contact any of them brought.
            var keep = new Dictionary<string, IReadOnlySet<string>>(StringComparer.Ordinal);
            foreach (var p in updated)
            {
                var id = companies[p.v].Id!;
                var linked = keep.TryGetValue(id, out var set) ? (HashSet<string>)set : new HashSet<string>(StringComparer.Ordinal);
                linked.UnionWith(written.GetValueOrDefault(p.v) ?? []);
                keep[id] = linked;
            }

            foreach (var (companyId, error) in await DisassociateRemovedAsync(keep, operation, cancellationToken).ConfigureAwait(false))
            {
                foreach (var owner in updated.Where(p => companies[p.v].Id == companyId))
                {
                    results[owner.index] ??= UpsertResult.Failure(error);
                }
            }
        }

        for (var v = 0; v < valid.Count; v++)
        {
            var index = valid[v];
            var company = companies[v];
            results[index] ??= UpsertResult.Success(company.Created ? UpsertOutcome.Created : UpsertOutcome.Updated, company.Id!, contactIds.GetValueOrDefault(v));
        }
    }

    private WriteKey? ContactKey(Contact contact)
    {
        if (contact.ExternalRefs.FirstOrDefault(r => r.System == Name) is { } known)
        {
            return WriteKey.Id(known.Id);
        }

        if (contact.Emails.FirstOrDefault(e => !string.IsNullOrWhiteSpace(e.Address)) is { } email)
        {
            return new WriteKey("email", email.Address.Trim().ToLowerInvariant());
        }

        return string.IsNullOrWhiteSpace(contact.Id) ? null : new WriteKey(_schema.ContactUnique, contact.Id);
    }

    /// <summary>
    /// Writes records of one type: inputs with the same key merged into one (later values win), chunks of at most
    /// <see cref="ConnectorOptions.BatchSize"/>, results mapped back by key (the unique property value HubSpot
    /// returns, then <c>objectWriteTraceId</c>, then id) whatever order HubSpot answers in; a conflict naming an existing
    /// record is adopted (written by id instead). Returns one outcome per input, in input order.
    /// </summary>
    private async Task<ObjectOutcome[]> WriteObjectsAsync(string objectType, IReadOnlyList<ObjectWrite> writes, string operation, CancellationToken cancellationToken)
    {
        var merged = new List<MergedWrite>();
        var byKey = new Dictionary<string, MergedWrite>(StringComparer.Ordinal);
        for (var i = 0; i < writes.Count; i++)
        {
            var write = writes[i];
            var key = write.Key with { Value = WriteKey.NormalizeValue(write.Key.IdProperty, write.Key.Value) };
            if (!byKey.TryGetValue(key.Normalized, out var target))
            {
                target = new MergedWrite(key, new Dictionary<string, string>(write.Properties, StringComparer.Ordinal), write.TraceId);
                byKey[key.Normalized] = target;
                merged.Add(target);
            }
            else
            {
                foreach (var (property, value) in write.Properties)
                {
                    target.Properties[property] = value;
                }
            }

            target.Members.Add(i);
        }

        for (var round = 0; round < 2; round++)
        {
            var chunks = merged.Where(m => m.Outcome is null)
                .GroupBy(m => m.Key.IdProperty ?? string.Empty)
                .SelectMany(group => group.Chunk(_options.BatchSize))
                .ToList();

            // Chunks hold distinct keys and touch only their own items: they may go in parallel, paced by the window limiter.
            await Parallel.ForEachAsync(
                chunks,
                new ParallelOptions { MaxDegreeOfParallelism = _options.MaxParallelBatches, CancellationToken = cancellationToken },
                (chunk, ct) => new ValueTask(SendChunkAsync(objectType, chunk, operation, ct))).ConfigureAwait(false);

            // A record that already holds the key (409 CONFLICT "Existing ID: n") is adopted: written by id, linked by the engine.
            var adopted = 0;
            foreach (var item in merged.Where(m => m.Outcome is { Error.Category: ErrorCategory.Conflict } && !m.Adopted))
            {
                if (item.Outcome!.Value.ConflictWith is { } existing)
                {
                    Log.Adopted(_logger, Name, objectType, existing);
                    item.Key = WriteKey.Id(existing);
                    item.Adopted = true;
                    item.Outcome = null;
                    adopted++;
                }
            }

            if (adopted == 0)
            {
                break;
            }
        }

        var outcomes = new ObjectOutcome[writes.Count];
        foreach (var item in merged)
        {
            var outcome = item.Outcome ?? ObjectOutcome.Failed(new ConcordException(ErrorCategory.Transient, $"HubSpot did not write {objectType} {Masked(item.Key)}.") { System = Name, Operation = operation });
            if (item.Adopted && outcome.Error is null)
            {
                outcome = outcome with { Created = false, Adopted = true };
            }

            foreach (var member in item.Members)
            {
                outcomes[member] = outcome;
            }
        }

        return outcomes;
    }

    /// <summary>
    /// Sends one chunk (all by id, or all on one unique property) and records each item's outcome: a 423 resends the
    /// chunk after <see cref="HubSpotConnectorOptions.LockedRetryDelay"/>; per-item failures (207, or <c>errors</c> in a
    /// 200/201) fail only their items, transient ones are resent; a lifecycle stage HubSpot refuses to move back is left
    /// out and the record resent (forward-only).
    /// </summary>
    private async Task SendChunkAsync(string objectType, MergedWrite[] chunk, string operation, CancellationToken cancellationToken)
    {
        var where = $"{chunk.Length} {objectType}";
        var todo = chunk.ToList();
        for (var locked = 1; todo.Count > 0; )
        {
            var body = new BatchInputs<WriteInput>
            {
                Inputs = [.. todo.Select(m => new WriteInput { Id = m.Key.Value, IdProperty = m.Key.IdProperty, Properties = m.Properties, ObjectWriteTraceId = m.TraceId })],
            };
            var byId = todo[0].Key.ById;
            using var response = await SendAsync(
                ct => byId
                    ? _api.BatchUpdateAsync(_paths.Objects1, _paths.Objects2, objectType, body, idempotent: true, operation, ct)
                    : _api.BatchUpsertAsync(_paths.Objects1, _paths.Objects2, objectType, body, idempotent: true, operation, ct),
                operation,
                cancellationToken).ConfigureAwait(false);

            if (response.StatusCode == (HttpStatusCode)423)
            {
                if (locked++ >= MaxLockedAttempts)
                {
                    var error = Failure(response, operation, where);
                    todo.ForEach(m => m.Outcome = ObjectOutcome.Failed(error));
                    return;
                }

                Log.Locked(_logger, Name, _options.LockedRetryDelay, locked);
                await Task.Delay(_options.LockedRetryDelay, _time, cancellationToken).ConfigureAwait(false);
                continue;
            }

            if (!response.IsSuccessful || response.Content is not { } answer)
            {
                var error = Failure(response, operation, where);
                if (!error.IsRecordLevel || error.Category == ErrorCategory.Authorization)
                {
                    throw error;
                }

                // A call refused as a whole (400: a bad value HubSpot checks per call; 409: a conflict): each of its records fails
                // with it. A 409 names the record holding the key; with one record in the call, it is that record's conflict.
                var holder = error.Category == ErrorCategory.Conflict && todo.Count == 1 && response.HasResponseError(out var conflict)
                    ? HubSpotErrorClassifier.ExistingId(HubSpotErrorClassifier.Parse(conflict.Content)?.Message)
                    : null;
                todo.ForEach(m => m.Outcome = ObjectOutcome.Failed(error, holder));
                return;
            }

            todo = Collect(objectType, todo, answer, (int)response.StatusCode, operation);
            Log.BatchWritten(_logger, Name, operation, body.Inputs.Count, objectType, answer.Errors.Count);
        }
    }

    /// <summary>Maps one answer back onto its inputs; returns the inputs to send again.</summary>
    private List<MergedWrite> Collect(string objectType, List<MergedWrite> sent, BatchResponse answer, int status, string operation)
    {
        var byKey = new Dictionary<string, MergedWrite>(StringComparer.Ordinal);
        var byTrace = new Dictionary<string, MergedWrite>(StringComparer.Ordinal);
        foreach (var item in sent)
        {
            byKey[WriteKey.NormalizeValue(item.Key.IdProperty, item.Key.Value)] = item;
            byTrace[item.TraceId] = item;
        }

        var answered = new HashSet<MergedWrite>();
        foreach (var result in answer.Results)
        {
            var item = (sent[0].Key.IdProperty is { } idProperty && result.Get(idProperty) is { } value ? byKey.GetValueOrDefault(WriteKey.NormalizeValue(idProperty, value)) : null)
                ?? (result.ObjectWriteTraceId is { } trace ? byTrace.GetValueOrDefault(trace) : null)
                ?? (result.Id is { } id && sent[0].Key.ById ? byKey.GetValueOrDefault(id) : null);
            if (item is null || result.Id is null || !answered.Add(item))
            {
                continue;
            }

            item.Outcome = new ObjectOutcome(result.Id, result.New == true, null);
        }

        var again = new List<MergedWrite>();
        foreach (var error in answer.Errors)
        {
            var targets = new List<MergedWrite>();
            foreach (var trace in error.Context?.GetValueOrDefault("objectWriteTraceId") ?? [])
            {
                if (byTrace.TryGetValue(trace, out var item))
                {
                    targets.Add(item);
                }
            }

            foreach (var id in error.Context?.GetValueOrDefault("ids") ?? [])
            {
                if (byKey.TryGetValue(WriteKey.NormalizeValue(sent[0].Key.IdProperty, id), out var item))
                {
                    targets.Add(item);
                }
            }

            foreach (var item in targets.Distinct())
            {
                if (!answered.Add(item))
                {
                    continue;
                }

                var failure = HubSpotErrorClassifier.FromItem(error, status, Name, operation, $"{objectType} {Masked(item.Key)}");
                if (failure.Category == ErrorCategory.Validation && !item.LifecycleDropped
                    && item.Properties.GetValueOrDefault("lifecyclestage") is { Length: > 0 } && HubSpotErrorClassifier.Concerns(error, "lifecyclestage"))
                {
                    // HubSpot only moves a stage forward: keep its (later) stage, write everything else.
                    Log.LifecycleKept(_logger, Name, objectType);
                    item.Properties.Remove("lifecyclestage");
                    item.LifecycleDropped = true;
                    again.Add(item);
                }
                else if (failure.IsRetryable && item.TransientRetries++ < MaxItemRetries)
                {
                    again.Add(item);
                }
                else
                {
                    item.Outcome = ObjectOutcome.Failed(failure, failure.Category == ErrorCategory.Conflict ? HubSpotErrorClassifier.ExistingId(error.Message) : null);
                }
            }
        }

        var complete = string.Equals(answer.Status, "COMPLETE", StringComparison.OrdinalIgnoreCase) || answer.Status is null;
        foreach (var item in sent.Where(i => !answered.Contains(i)))
        {
            // Neither a result nor an error (or a PENDING/PROCESSING/CANCELED batch): upserts are safe to send again.
            if (item.TransientRetries++ < MaxItemRetries)
            {
                again.Add(item);
            }
            else
            {
                item.Outcome = ObjectOutcome.Failed(new ConcordException(
                    ErrorCategory.Transient,
                    $"HubSpot answered {(complete ? "no result and no error" : $"status {answer.Status}")} for {objectType} {Masked(item.Key)}.")
                {
                    System = Name,
                    Operation = operation,
                    StatusCode = status,
                });
            }
        }

        return again;
    }

    /// <summary>Links each contact to its company (279 and primary 1) in batches; returns the owners whose links failed.</summary>
    private async Task<List<(int Owner, ConcordException Error)>> AssociateAsync(List<(int Owner, string Contact, string Company)> links, string operation, CancellationToken cancellationToken)
    {
        var failures = new List<(int, ConcordException)>();
        await Parallel.ForEachAsync(
            links.Chunk(AssociationWriteBatch),
            new ParallelOptions { MaxDegreeOfParallelism = _options.MaxParallelBatches, CancellationToken = cancellationToken },
            async (chunk, ct) =>
            {
                var failed = await AssociateChunkAsync(chunk, operation, ct).ConfigureAwait(false);
                lock (failures)
                {
                    failures.AddRange(failed);
                }
            }).ConfigureAwait(false);
        return failures;
    }

    private async Task<List<(int Owner, ConcordException Error)>> AssociateChunkAsync((int Owner, string Contact, string Company)[] chunk, string operation, CancellationToken cancellationToken)
    {
        var failures = new List<(int, ConcordException)>();
        var body = new BatchInputs<AssociationCreateInput>
        {
            Inputs = [.. chunk.Select(l => new AssociationCreateInput
            {
                From = new ObjectRef { Id = l.Contact },
                To = new ObjectRef { Id = l.Company },
                Types = [new AssociationSpec { AssociationTypeId = 279 }, new AssociationSpec { AssociationTypeId = 1 }],
            })],
        };
        using var response = await SendAsync(
            ct => _api.CreateAssociationsAsync(_paths.Associations1, _paths.Associations2, HubSpotSchema.Contacts, HubSpotSchema.Companies, body, idempotent: true, operation, ct),
            operation,
            cancellationToken).ConfigureAwait(false);
        if (!response.IsSuccessful || response.Content is not { } answer)
        {
            var error = Failure(response, operation, $"{chunk.Length} contact-company links");
            if (!error.IsRecordLevel || error.Category == ErrorCategory.Authorization)
            {
                throw error;
            }

            failures.AddRange(chunk.Select(l => (l.Owner, error)));
            return failures;
        }

        foreach (var error in answer.Errors)
        {
            var from = error.Context?.GetValueOrDefault("fromObjectId") ?? [];
            var failure = HubSpotErrorClassifier.FromItem(error, (int)response.StatusCode, Name, operation, "a contact-company link");
            var hit = chunk.Where(l => from.Count == 0 || from.Contains(l.Contact)).ToList();
            failures.AddRange(hit.Select(l => (l.Owner, failure)));
        }

        return failures;
    }

    /// <summary>Removes the links between each company and the contacts it is linked to but no longer has.</summary>
    private async Task<List<(string CompanyId, ConcordException Error)>> DisassociateRemovedAsync(Dictionary<string, IReadOnlySet<string>> keep, string operation, CancellationToken cancellationToken)
    {
        var linked = await ReadLinksAsync(HubSpotSchema.Companies, HubSpotSchema.Contacts, [.. keep.Keys], operation, cancellationToken).ConfigureAwait(false);
        var removals = linked
            .Select(p => (Company: p.Key, Contacts: p.Value.Where(c => !keep[p.Key].Contains(c)).ToList()))
            .Where(p => p.Contacts.Count > 0)
            .ToList();
        var failures = new List<(string, ConcordException)>();
        foreach (var chunk in removals.Chunk(AssociationWriteBatch / 10))
        {
            var body = new BatchInputs<AssociationArchiveInput>
            {
                Inputs = [.. chunk.Select(r => new AssociationArchiveInput { From = new ObjectRef { Id = r.Company }, To = [.. r.Contacts.Select(c => new ObjectRef { Id = c })] })],
            };
            HttpResponseMessage response;
            _limits.Daily.EnsureWithinBudget(Name, operation);
            try
            {
                Task<HttpResponseMessage> Archive() => _api.ArchiveAssociationsAsync(_paths.Associations1, _paths.Associations2, HubSpotSchema.Companies, HubSpotSchema.Contacts, body, idempotent: true, operation, cancellationToken);
                response = WriteGate.Current is { } lane
                    ? await lane.RunAsync(Archive, cancellationToken).ConfigureAwait(false)
                    : await Archive().ConfigureAwait(false);
            }
            catch (Exception ex) when (Translate(ex, operation, cancellationToken) is { } translated)
            {
                throw translated;
            }

            using (response)
            {
                var text = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
                if (!response.IsSuccessStatusCode)
                {
                    var error = HubSpotErrorClassifier.FromResponse(response.StatusCode, text, response.Headers.RetryAfter?.Delta, Name, operation, "contact-company unlinks");
                    if (!error.IsRecordLevel || error.Category == ErrorCategory.Authorization)
                    {
                        throw error;
                    }

                    failures.AddRange(chunk.Select(r => (r.Company, error)));
                }
                else if (HubSpotErrorClassifier.ParseWrite(text) is { Errors.Count: > 0 } answer)
                {
                    var failure = HubSpotErrorClassifier.FromItem(answer.Errors[0], (int)response.StatusCode, Name, operation, "contact-company unlinks");
                    failures.AddRange(chunk.Select(r => (r.Company, failure)));
                }
            }
        }

        return failures;
    }

    private static string Masked(WriteKey key) => key.IdProperty switch
    {
        null => "id " + key.Value,
        "email" => "email " + PersonalDataMasker.MaskEmail(key.Value),
        var property => property + " " + PersonalDataMasker.MaskIdentifier(key.Value),
    };

    private UpsertResult? Invalid(UpsertRequest? request, string operation)
    {
        if (request?.Customer is null)
        {
            return UpsertResult.Failure(new ConcordException(ErrorCategory.Validation, "The upsert request has no customer.") { System = Name, Operation = operation });
        }

        if (string.IsNullOrWhiteSpace(request.Customer.Provenance.CanonicalId))
        {
            return UpsertResult.Failure(new ConcordException(ErrorCategory.Validation, $"The customer has no canonical id; HubSpot companies are upserted on {_schema.CompanyUnique}.")
            {
                System = Name,
                Operation = operation,
                FieldErrors = [new FieldError("$.provenance.canonicalId", "required as the unique-property upsert key", "required")],
            });
        }

        if (string.IsNullOrWhiteSpace(request.Customer.Name))
        {
            return UpsertResult.Failure(new ConcordException(ErrorCategory.Validation, "The customer has no name; a HubSpot company needs one.")
            {
                System = Name,
                Operation = operation,
                FieldErrors = [new FieldError("$.name", "required (company name)", "required")],
            });
        }

        return null;
    }
}
