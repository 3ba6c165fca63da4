using System.Net;
using System.Text.Json.Nodes;
using Concord.Canonical;
using Concord.Canonical.Connectors;
using Concord.Canonical.Errors;
using Concord.Canonical.Privacy;
using Concord.Connectors.Salesforce.Api.Dtos;
using Concord.Connectors.Salesforce.Diagnostics;
using Concord.Connectors.Salesforce.Mapping;
using Concord.Connectors.Salesforce.Query;
using Refit;

namespace Concord.Connectors.Salesforce.Internal;

/// <summary>
/// Writes: an Account whose Salesforce id is known (<see cref="UpsertRequest.KnownExternalId"/>: adopted by matching, or
/// read from Salesforce without the external id) is updated by that id with the canonical id stamped on it; any other is
/// upserted by its external id. One record goes by URL, many through sObject Collections (an update call for the known
/// ids, an upsert call for the rest, 200 records each). Contacts follow their Account the same way: by the Salesforce
/// id they were read with, else by their external id, linked to the Account by its id.
/// </summary>
internal sealed partial class SalesforceConnector
{
    public async Task<UpsertResult> UpsertAsync(UpsertRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        return (await WriteAsync([request], "upsert", single: true, cancellationToken).ConfigureAwait(false))[0];
    }

    public async Task<IReadOnlyList<UpsertResult>> UpsertManyAsync(IReadOnlyList<UpsertRequest> requests, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(requests);
        return await WriteAsync(requests, "upsert-many", single: false, cancellationToken).ConfigureAwait(false);
    }

    private async Task<UpsertResult[]> WriteAsync(IReadOnlyList<UpsertRequest> requests, string operation, bool single, CancellationToken cancellationToken)
    {
        var results = new UpsertResult?[requests.Count];
        var byKey = new List<int>(requests.Count);
        var byId = new List<(int Index, string Id)>();
        for (var i = 0; i < requests.Count; i++)
        {
            if (Invalid(requests[i], operation) is { } invalid)
            {
                results[i] = invalid;
            }
            else if (requests[i].KnownExternalId is { Length: > 0 } known)
            {
                byId.Add((i, known));
            }
            else
            {
                byKey.Add(i);
            }
        }

        if (byKey.Count + byId.Count > 0)
        {
            await OrgAsync(operation, cancellationToken).ConfigureAwait(false);
        }

        var written = new List<WrittenAccount>(requests.Count);
        if (single && byKey.Count + byId.Count == 1)
        {
            await WriteOneAccountAsync(requests, byKey, byId, results, written, operation, cancellationToken).ConfigureAwait(false);
        }
        else
        {
            await UpsertAccountsAsync(requests, byKey, results, written, operation, cancellationToken).ConfigureAwait(false);
            await UpdateAccountsAsync(requests, byId, results, written, operation, cancellationToken).ConfigureAwait(false);
        }

        if (byKey.Count + byId.Count > 0)
        {
            await ReportKindConflictsAsync(requests, results, operation, cancellationToken).ConfigureAwait(false);
        }

        written.Sort((a, b) => a.Index.CompareTo(b.Index));
        await WriteContactsAsync(written, results, operation, cancellationToken).ConfigureAwait(false);
        var final = new UpsertResult[results.Length];
        for (var i = 0; i < results.Length; i++)
        {
            final[i] = results[i] ?? throw new InvalidOperationException($"No result for request {i}.");
        }

        return final;
    }

    /// <summary>One Account by URL: <c>PATCH /sobjects/Account/{id}</c> when its id is known (204), else by external id (201 created, 200 updated).</summary>
    private async Task WriteOneAccountAsync(
        IReadOnlyList<UpsertRequest> requests,
        List<int> byKey,
        List<(int Index, string Id)> byId,
        UpsertResult?[] results,
        List<WrittenAccount> written,
        string operation,
        CancellationToken cancellationToken)
    {
        if (byId.Count == 1)
        {
            var (index, id) = byId[0];
            var customer = requests[index].Customer;
            var body = AccountMapper.ToAccountBody(customer, _options, Org, id: null, withAttributes: false);
            var where = $"Account {id}";
            var response = await SendAsync(ct => _api.UpdateAsync(_version, "Account", id, body, _duplicateRules, idempotent: true, operation, ct), operation, cancellationToken).ConfigureAwait(false);
            using (response)
            {
                if (!response.IsSuccessful)
                {
                    results[index] = RecordFailure(Failure(response, operation, where));
                    return;
                }
            }

            written.Add(new WrittenAccount(index, customer, id, Created: false));
            return;
        }

        var keyIndex = byKey[0];
        var keyed = requests[keyIndex].Customer;
        var canonicalId = keyed.Provenance.CanonicalId!;
        var account = AccountMapper.ToAccountBody(keyed, _options, Org, id: null, withExternalId: false, withAttributes: false);
        var keyWhere = $"Account {_fields.AccountExternalId} {PersonalDataMasker.MaskIdentifier(canonicalId)}";
        var upserted = await SendAsync(
            ct => _api.UpsertAccountAsync(_version, _fields.AccountExternalId, canonicalId, account, _duplicateRules, idempotent: true, operation, ct),
            operation,
            cancellationToken).ConfigureAwait(false);
        using (upserted)
        {
            if (!upserted.IsSuccessful || upserted.Content is not { Id: not null } saved)
            {
                results[keyIndex] = RecordFailure(Failure(upserted, operation, keyWhere));
                return;
            }

            written.Add(new WrittenAccount(keyIndex, keyed, saved.Id, saved.Created ?? upserted.StatusCode == HttpStatusCode.Created));
        }
    }

    private async Task UpsertAccountsAsync(IReadOnlyList<UpsertRequest> requests, List<int> byKey, UpsertResult?[] results, List<WrittenAccount> written, string operation, CancellationToken cancellationToken)
    {
        var keys = byKey.Select(i => requests[i].Customer.Provenance.CanonicalId!).ToList();
        foreach (var chunk in BatchPlanner.Plan(keys, _options.BatchSize))
        {
            var records = chunk.Select(k => AccountMapper.ToAccountBody(requests[byKey[k]].Customer, _options, Org, id: null)).ToList();
            var saved = await SaveCollectionAsync(
                ct => _api.UpsertCollectionAsync(_version, "Account", _fields.AccountExternalId, new CollectionRequest { Records = records }, _duplicateRules, idempotent: true, operation, ct),
                chunk.Count,
                "Account",
                operation,
                cancellationToken).ConfigureAwait(false);
            Collect(chunk.Select(k => byKey[k]).ToList(), saved);
        }

        void Collect(List<int> indexes, (string? Id, bool Created, ConcordException? Error)[] saved)
        {
            for (var k = 0; k < indexes.Count; k++)
            {
                if (saved[k].Error is { } error)
                {
                    results[indexes[k]] = UpsertResult.Failure(error);
                }
                else
                {
                    written.Add(new WrittenAccount(indexes[k], requests[indexes[k]].Customer, saved[k].Id!, saved[k].Created));
                }
            }
        }
    }

    private async Task UpdateAccountsAsync(IReadOnlyList<UpsertRequest> requests, List<(int Index, string Id)> byId, UpsertResult?[] results, List<WrittenAccount> written, string operation, CancellationToken cancellationToken)
    {
        foreach (var chunk in BatchPlanner.Plan(byId.Select(b => SalesforceId.Key(b.Id)).ToList(), _options.BatchSize))
        {
            var records = chunk.Select(k => AccountMapper.ToAccountBody(requests[byId[k].Index].Customer, _options, Org, id: byId[k].Id)).ToList();
            var saved = await SaveCollectionAsync(
                ct => _api.UpdateCollectionAsync(_version, new CollectionRequest { Records = records }, _duplicateRules, idempotent: true, operation, ct),
                chunk.Count,
                "Account",
                operation,
                cancellationToken).ConfigureAwait(false);
            for (var k = 0; k < chunk.Count; k++)
            {
                var (index, id) = byId[chunk[k]];
                if (saved[k].Error is { } error)
                {
                    results[index] = UpsertResult.Failure(error);
                }
                else
                {
                    written.Add(new WrittenAccount(index, requests[index].Customer, saved[k].Id ?? id, Created: false));
                }
            }
        }
    }

    /// <summary>
    /// The Contacts of the written Accounts: those read from Salesforce (an <see cref="ExternalRef"/> of this connector) are
    /// updated by that id, the others upserted by their external id; a known Contact Salesforce reports deleted is written
    /// again by its external id, since the customer still lists it. Each is linked to its Account by the Account's id.
    /// </summary>
    private async Task WriteContactsAsync(List<WrittenAccount> accounts, UpsertResult?[] results, string operation, CancellationToken cancellationToken)
    {
        var contactIds = new Dictionary<int, Dictionary<string, string>>();
        var byKey = new List<PendingContact>();
        var byId = new List<PendingContact>();
        foreach (var account in accounts)
        {
            var customer = account.Customer;
            for (var c = 0; c < customer.Contacts.Length; c++)
            {
                var contact = customer.Contacts[c];
                if (string.IsNullOrWhiteSpace(contact.Id))
                {
                    results[account.Index] = UpsertResult.Failure(new ConcordException(
                        ErrorCategory.Validation,
                        $"Contact {c} of the customer has no canonical id; Salesforce contacts are upserted by their external id {_fields.ContactExternalId}.")
                    {
                        System = Name,
                        Operation = operation,
                        FieldErrors = [new FieldError($"$.contacts[{c}].id", "required to upsert the contact", "required")],
                    });
                    continue;
                }

                var known = contact.ExternalRefs.FirstOrDefault(r => r.System == Name && SalesforceId.IsValid(r.Id))?.Id;
                (known is null ? byKey : byId).Add(new PendingContact(account.Index, contact, account.AccountId, known));
            }
        }

        var gone = new List<PendingContact>();
        foreach (var chunk in BatchPlanner.Plan(byId.Select(p => SalesforceId.Key(p.KnownId!)).ToList(), _options.BatchSize))
        {
            var records = chunk.Select(i => AccountMapper.ToContactBody(byId[i].Contact, byId[i].AccountId, _options, byId[i].KnownId)).ToList();
            var saved = await SaveCollectionAsync(
                ct => _api.UpdateCollectionAsync(_version, new CollectionRequest { Records = records }, _duplicateRules, idempotent: true, operation, ct),
                chunk.Count,
                "Contact",
                operation,
                cancellationToken).ConfigureAwait(false);
            for (var k = 0; k < chunk.Count; k++)
            {
                var pending = byId[chunk[k]];
                if (saved[k].Error is { VendorErrorCode: "ENTITY_IS_DELETED" })
                {
                    gone.Add(pending);
                }
                else
                {
                    Record(pending, saved[k].Id ?? pending.KnownId, saved[k].Error);
                }
            }
        }

        byKey.AddRange(gone);
        foreach (var chunk in BatchPlanner.Plan(byKey.Select(p => p.Contact.Id!).ToList(), _options.BatchSize))
        {
            var records = chunk.Select(i => AccountMapper.ToContactBody(byKey[i].Contact, byKey[i].AccountId, _options, id: null)).ToList();
            var saved = await SaveCollectionAsync(
                ct => _api.UpsertCollectionAsync(_version, "Contact", _fields.ContactExternalId, new CollectionRequest { Records = records }, _duplicateRules, idempotent: true, operation, ct),
                chunk.Count,
                "Contact",
                operation,
                cancellationToken).ConfigureAwait(false);
            for (var k = 0; k < chunk.Count; k++)
            {
                Record(byKey[chunk[k]], saved[k].Id, saved[k].Error);
            }
        }

        await RemoveUnlistedContactsAsync(accounts, contactIds, results, operation, cancellationToken).ConfigureAwait(false);
        foreach (var account in accounts)
        {
            results[account.Index] ??= UpsertResult.Success(account.Created ? UpsertOutcome.Created : UpsertOutcome.Updated, account.AccountId, contactIds.GetValueOrDefault(account.Index));
        }

        void Record(PendingContact pending, string? id, ConcordException? error)
        {
            if (error is not null)
            {
                // The account is written; the customer is not complete until every contact is. Retrying is safe.
                results[pending.Owner] ??= UpsertResult.Failure(error);
                return;
            }

            if (!contactIds.TryGetValue(pending.Owner, out var ids))
            {
                contactIds[pending.Owner] = ids = new Dictionary<string, string>(StringComparer.Ordinal);
            }

            ids[pending.Contact.Id!] = id!;
            _contactOwners.Set(id!, pending.AccountId);
        }
    }

    /// <summary>
    /// The Contacts still under an updated Account that the customer no longer lists, among those that carry the Contact
    /// external id (written or adopted by Concord; a Contact made in Salesforce and never synchronised is not the
    /// customer's to remove): detached (<c>AccountId</c> cleared) or deleted, per <see cref="SalesforceConnectorOptions.RemovedContacts"/>.
    /// One query per URI-sized slice of Accounts; a created Account has no Contacts of its own yet.
    /// </summary>
    private async Task RemoveUnlistedContactsAsync(List<WrittenAccount> accounts, Dictionary<int, Dictionary<string, string>> contactIds, UpsertResult?[] results, string operation, CancellationToken cancellationToken)
    {
        var updated = accounts.Where(a => !a.Created && results[a.Index] is null).ToList();
        if (updated.Count == 0)
        {
            return;
        }

        var owners = updated.ToDictionary(a => SalesforceId.Key(a.AccountId), a => a.Index, StringComparer.Ordinal);
        var listed = new HashSet<string>(contactIds.Values.SelectMany(ids => ids.Values).Select(SalesforceId.Key), StringComparer.Ordinal);
        var unlisted = new List<(int Owner, string Id)>();
        var select = "Id, AccountId, " + _fields.ContactExternalId;
        foreach (var slice in Soql.InSlices(updated.Select(a => a.AccountId), Soql.WhereIn(select, "Contact", "AccountId", [])))
        {
            await foreach (var contact in QueryAllPagesAsync(Soql.WhereIn(select, "Contact", "AccountId", slice), operation, cancellationToken).ConfigureAwait(false))
            {
                if (contact is { Id: { } id, AccountId: { } owner }
                    && AccountMapper.ReadString(contact.Extra, _fields.ContactExternalId) is not null
                    && !listed.Contains(SalesforceId.Key(id))
                    && owners.TryGetValue(SalesforceId.Key(owner), out var index))
                {
                    unlisted.Add((index, id));
                }
            }
        }

        foreach (var chunk in unlisted.Chunk(_options.BatchSize))
        {
            var outcomes = _options.RemovedContacts == SalesforceRemovedContacts.Delete
                ? await SaveCollectionAsync(
                    ct => _api.DeleteCollectionAsync(_version, chunk.Select(c => c.Id), "false", idempotent: true, operation, ct),
                    chunk.Length,
                    "Contact",
                    operation,
                    cancellationToken).ConfigureAwait(false)
                : await SaveCollectionAsync(
                    ct => _api.UpdateCollectionAsync(_version, new CollectionRequest { Records = [.. chunk.Select(c => AccountMapper.DetachContactBody(c.Id))] }, _duplicateRules, idempotent: true, operation, ct),
                    chunk.Length,
                    "Contact",
                    operation,
                    cancellationToken).ConfigureAwait(false);
            for (var k = 0; k < chunk.Length; k++)
            {
                if (outcomes[k].Error is { VendorErrorCode: not "ENTITY_IS_DELETED" } error)
                {
                    results[chunk[k].Owner] ??= UpsertResult.Failure(error);
                }
            }
        }
    }

    /// <summary>Sends one collections call (upsert or update) and returns one outcome per record, in input order.</summary>
    private async Task<(string? Id, bool Created, ConcordException? Error)[]> SaveCollectionAsync(
        Func<CancellationToken, Task<IApiResponse<List<SaveResult>>>> call,
        int count,
        string sObject,
        string operation,
        CancellationToken cancellationToken)
    {
        var outcomes = new (string? Id, bool Created, ConcordException? Error)[count];
        var where = $"{count} {sObject} records";
        var response = await SendAsync(call, operation, cancellationToken).ConfigureAwait(false);
        using (response)
        {
            if (!response.IsSuccessful || response.Content is null)
            {
                // A malformed call (400) fails each of its records; the other chunks go on.
                Array.Fill(outcomes, (null, false, RecordFailure(Failure(response, operation, where)).Error));
                return outcomes;
            }

            var saved = response.Content;
            if (saved.Count != count)
            {
                throw new ConcordException(ErrorCategory.ContractViolation, $"Salesforce answered {saved.Count} results for {count} {sObject} records.")
                {
                    System = Name,
                    Operation = operation,
                };
            }

            for (var i = 0; i < count; i++)
            {
                var result = saved[i];
                outcomes[i] = result.Success && result.Id is not null
                    ? (result.Id, result.Created == true, null)
                    : (null, false, SalesforceErrorClassifier.FromSaveErrors(result.Errors, Name, operation, $"{sObject} record {i} of {count}"));
            }
        }

        Log.BatchWritten(_logger, Name, operation, count, sObject);
        return outcomes;
    }

    /// <summary>
    /// A customer of the other kind than the account it lands on. A company written onto a person account: Salesforce
    /// refuses its <c>Name</c> (<c>INVALID_FIELD_FOR_INSERT_UPDATE</c>, a person account's name is derived). A person
    /// written onto a business account: Salesforce refuses the person fields and the person record type. Business ↔
    /// person conversion is restricted, so either is a <see cref="ErrorCategory.Conflict"/> naming the account (looked up by
    /// the external id when the id was not known), for a person to decide, rather than a validation error.
    /// </summary>
    private async Task ReportKindConflictsAsync(IReadOnlyList<UpsertRequest> requests, UpsertResult?[] results, string operation, CancellationToken cancellationToken)
    {
        if (!Org.PersonAccounts)
        {
            return;
        }

        var refused = new List<int>();
        for (var i = 0; i < results.Length; i++)
        {
            if (results[i]?.Error is { VendorErrorCode: "INVALID_FIELD_FOR_INSERT_UPDATE" } error
                && error.FieldErrors.Any(f => requests[i].Customer.Kind == CustomerKind.Person ? IsPersonOnlyField(f.Field) : string.Equals(f.Field, "Name", StringComparison.OrdinalIgnoreCase)))
            {
                refused.Add(i);
            }
        }

        if (refused.Count == 0)
        {
            return;
        }

        var byCanonicalId = new Dictionary<string, string>(StringComparer.Ordinal);
        var keys = refused.Where(i => requests[i].KnownExternalId is not { Length: > 0 }).Select(i => requests[i].Customer.Provenance.CanonicalId!).Distinct(StringComparer.Ordinal).ToList();
        var select = "Id, " + _fields.AccountExternalId;
        foreach (var slice in Soql.InSlices(keys, Soql.WhereIn(select, "Account", _fields.AccountExternalId, [])))
        {
            var soql = Soql.WhereIn(select, "Account", _fields.AccountExternalId, slice);
            var page = await CallAsync(ct => _api.QueryAccountsAsync(_version, soql, _queryOptions, operation, ct), operation, "Account by external id", cancellationToken).ConfigureAwait(false);
            foreach (var account in page.Records)
            {
                if (account.Id is { } id && AccountMapper.ReadString(account.Extra, _fields.AccountExternalId) is { } key)
                {
                    byCanonicalId.TryAdd(key, id);
                }
            }
        }

        foreach (var i in refused)
        {
            var id = requests[i].KnownExternalId is { Length: > 0 } known ? known : byCanonicalId.GetValueOrDefault(requests[i].Customer.Provenance.CanonicalId!);
            if (id is null)
            {
                continue;
            }

            var error = results[i]!.Error!;
            var message = requests[i].Customer.Kind == CustomerKind.Person
                ? $"Salesforce Account {id} is a business account: a person cannot be written onto it (Salesforce restricts business and person account conversion); merge or unlink the records, or correct the customer's kind."
                : $"Salesforce Account {id} is a person account: a company cannot be written onto it (Salesforce restricts business and person account conversion); merge or unlink the records, or correct the customer's kind.";
            results[i] = UpsertResult.Failure(new ConcordException(ErrorCategory.Conflict, message, error)
            {
                System = Name,
                Operation = operation,
                StatusCode = error.StatusCode,
                VendorErrorCode = error.VendorErrorCode,
                VendorMessage = error.VendorMessage,
                MatchedExternalIds = [id],
                IsRetryable = false,
            });
        }
    }

    /// <summary>The fields a business account refuses: the person record type and the person fields.</summary>
    private static bool IsPersonOnlyField(string? field) =>
        field is not null
        && (field.Equals("RecordTypeId", StringComparison.OrdinalIgnoreCase)
            || field.Equals("FirstName", StringComparison.OrdinalIgnoreCase)
            || field.Equals("LastName", StringComparison.OrdinalIgnoreCase)
            || field.Equals("Salutation", StringComparison.OrdinalIgnoreCase)
            || field.StartsWith("Person", StringComparison.OrdinalIgnoreCase));

    /// <summary>A record-level failure as a result; anything else stops the call.</summary>
    private static UpsertResult RecordFailure(ConcordException error) =>
        error.IsRecordLevel ? UpsertResult.Failure(error) : throw error;

    private UpsertResult? Invalid(UpsertRequest? request, string operation)
    {
        if (request?.Customer is null)
        {
            return UpsertResult.Failure(new ConcordException(ErrorCategory.Validation, "The upsert request has no customer.") { System = Name, Operation = operation });
        }

        if (string.IsNullOrWhiteSpace(request.Customer.Provenance.CanonicalId))
        {
            return UpsertResult.Failure(new ConcordException(
                ErrorCategory.Validation,
                $"The customer has no canonical id; Salesforce upserts key on {_fields.AccountExternalId}.")
            {
                System = Name,
                Operation = operation,
                FieldErrors = [new FieldError("$.provenance.canonicalId", "required as the external-id upsert key", "required")],
            });
        }

        if (request.KnownExternalId is { Length: > 0 } known && !SalesforceId.IsValid(known))
        {
            return UpsertResult.Failure(new ConcordException(
                ErrorCategory.Validation,
                $"The known id '{known}' is not a Salesforce record id (15 or 18 letters and digits).")
            {
                System = Name,
                Operation = operation,
            });
        }

        if (string.IsNullOrWhiteSpace(request.Customer.Name))
        {
            return UpsertResult.Failure(new ConcordException(ErrorCategory.Validation, "The customer has no name; Salesforce requires Account.Name.")
            {
                System = Name,
                Operation = operation,
                FieldErrors = [new FieldError("$.name", "required (Account.Name)", "required")],
            });
        }

        return null;
    }

    /// <summary>An Account the write reached: its request, its Salesforce id and whether it was created.</summary>
    private readonly record struct WrittenAccount(int Index, CanonicalCustomer Customer, string AccountId, bool Created);

    /// <summary>A Contact to write for the customer at <paramref name="Owner"/>, under <paramref name="AccountId"/>; <paramref name="KnownId"/> when it was read from Salesforce.</summary>
    private readonly record struct PendingContact(int Owner, Contact Contact, string AccountId, string? KnownId);
}
