using System.Collections.Immutable;
using System.Globalization;
using System.Net;
using System.Runtime.CompilerServices;
using Concord.Canonical;
using Concord.Canonical.Connectors;
using Concord.Canonical.Errors;
using Concord.Canonical.Privacy;
using Concord.Connectors.Salesforce.Api;
using Concord.Connectors.Salesforce.Api.Dtos;
using Concord.Connectors.Salesforce.Diagnostics;
using Concord.Connectors.Salesforce.Limits;
using Concord.Connectors.Salesforce.Mapping;
using Concord.Connectors.Salesforce.Query;
using Microsoft.Extensions.Logging;
using Refit;

namespace Concord.Connectors.Salesforce.Internal;

/// <summary>
/// Accounts with their Contacts over the Salesforce REST API: upsert by external id (one record by URL, many through
/// sObject Collections, Contacts after their Account and linked by its external id), a <c>queryAll</c> keyset change
/// feed on (SystemModstamp, Id), and the daily API budget.
/// </summary>
internal sealed partial class SalesforceConnector : ISalesforceConnector
{
    private readonly SalesforceConnectorOptions _options;
    private readonly ISalesforceApi _api;
    private readonly SalesforceApiUsageTracker _usage;
    private readonly ILogger _logger;
    private readonly SalesforceFieldNames _fields;
    private readonly string _version;
    private readonly string _queryOptions;

    public SalesforceConnector(string name, SalesforceConnectorOptions options, ISalesforceApi api, SalesforceApiUsageTracker usage, ILogger logger)
    {
        Name = name;
        _options = options;
        _api = api;
        _usage = usage;
        _logger = logger;
        _fields = new SalesforceFieldNames(options);
        _version = "v" + options.ApiVersion;
        _queryOptions = string.Create(CultureInfo.InvariantCulture, $"batchSize={options.QueryPageSize}");
        Capabilities = new ConnectorCapabilities
        {
            System = SalesforceConnectorOptions.DefaultName,
            MaxBatchSize = options.BatchSize,
            VendorBatchPreservesOrder = true,
            NativeUpsertKey = options.AccountExternalIdField,
            CarriedFields = AccountFields.Carried,
            PublishedRateLimit = new RateLimitDescription(
                100_000,
                TimeSpan.FromDays(1),
                "Daily API requests per org, rolling 24 h: 100,000 plus per-licence additions (Developer Edition 15,000); the real allocation is read from Sforce-Limit-Info."),
        };
    }

    public string Name { get; }

    public ConnectorCapabilities Capabilities { get; }

    public SalesforceApiUsage? ApiUsage => _usage.Current;

    public IDisposable BeginUrgentScope() => SalesforceApiUsageTracker.BeginUrgent();

    public async Task<UpsertResult> UpsertAsync(UpsertRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        const string Operation = "upsert";
        if (Invalid(request, Operation) is { } invalid)
        {
            return invalid;
        }

        var canonicalId = request.Customer.Provenance.CanonicalId!;
        var account = AccountMapper.ToAccount(request.Customer, _options, withExternalId: false);
        var where = $"Account {_fields.AccountExternalId} {PersonalDataMasker.MaskIdentifier(canonicalId)}";
        var response = await SendAsync(
            ct => _api.UpsertAccountAsync(_version, _fields.AccountExternalId, canonicalId, account, idempotent: true, Operation, ct),
            Operation,
            cancellationToken).ConfigureAwait(false);
        SaveResult saved;
        using (response)
        {
            if (!response.IsSuccessful || response.Content is not { Id: not null } content)
            {
                var error = Failure(response, Operation, where);
                if (!error.IsRecordLevel)
                {
                    throw error;
                }

                return UpsertResult.Failure(error);
            }

            saved = content;
            saved.Created ??= response.StatusCode == HttpStatusCode.Created;
        }

        var results = new UpsertResult?[1];
        var accounts = new (int Index, CanonicalCustomer Customer, string AccountId, bool Created)[] { (0, request.Customer, saved.Id!, saved.Created == true) };
        await UpsertContactsAsync(accounts, results, Operation, cancellationToken).ConfigureAwait(false);
        return results[0]!;
    }

    public async Task<IReadOnlyList<UpsertResult>> UpsertManyAsync(IReadOnlyList<UpsertRequest> requests, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(requests);
        const string Operation = "upsert-many";
        var results = new UpsertResult?[requests.Count];
        var pending = new List<int>(requests.Count);
        for (var i = 0; i < requests.Count; i++)
        {
            if (Invalid(requests[i], Operation) is { } invalid)
            {
                results[i] = invalid;
            }
            else
            {
                pending.Add(i);
            }
        }

        var keys = pending.Select(i => requests[i].Customer.Provenance.CanonicalId!).ToList();
        var written = new List<(int Index, CanonicalCustomer Customer, string AccountId, bool Created)>(pending.Count);
        foreach (var chunk in BatchPlanner.Plan(keys, _options.BatchSize))
        {
            var records = new List<AccountRecord>(chunk.Count);
            foreach (var position in chunk)
            {
                records.Add(AccountMapper.ToAccount(requests[pending[position]].Customer, _options, withExternalId: true));
            }

            var saved = await UpsertCollectionAsync(
                ct => _api.UpsertAccountsAsync(_version, _fields.AccountExternalId, new CollectionUpsertRequest<AccountRecord> { Records = records }, idempotent: true, Operation, ct),
                chunk.Count,
                "Account",
                Operation,
                cancellationToken).ConfigureAwait(false);
            for (var k = 0; k < chunk.Count; k++)
            {
                var index = pending[chunk[k]];
                var outcome = saved[k];
                if (outcome.Error is not null)
                {
                    results[index] = UpsertResult.Failure(outcome.Error);
                }
                else
                {
                    written.Add((index, requests[index].Customer, outcome.Id!, outcome.Created));
                }
            }
        }

        await UpsertContactsAsync(written, results, Operation, cancellationToken).ConfigureAwait(false);
        var final = new UpsertResult[results.Length];
        for (var i = 0; i < results.Length; i++)
        {
            final[i] = results[i] ?? throw new InvalidOperationException($"No result for request {i}.");
        }

        return final;
    }

    public async IAsyncEnumerable<CustomerChange> ReadChangesAsync(ChangeCursor? from, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        const string Operation = "read-changes";
        var cursor = from is null ? new SalesforceChangeCursor(null, null) : SalesforceChangeCursor.Parse(from, Name);
        var accountPosition = cursor.Account;
        var contactPosition = cursor.Contact;

        if (from is null)
        {
            // A first read returns every Account with its current Contacts, so Contact edits so far are covered: the
            // Contact position starts at the newest Contact now (a later edit may repeat an Account, never lose one).
            const string Newest = "SELECT Id, SystemModstamp FROM Contact ORDER BY SystemModstamp DESC, Id DESC LIMIT 1";
            var top = await CallAsync(ct => _api.QueryAllContactsAsync(_version, Newest, _queryOptions, Operation, ct), Operation, "queryAll Contact (newest)", cancellationToken).ConfigureAwait(false);
            if (top.Records is [{ Id: { } id, SystemModstamp: { } stamp }])
            {
                contactPosition = new SalesforceFeedPosition(stamp, id);
            }
        }

        // 1. Accounts changed (or deleted) after the Account position.
        var soql = Soql.Changes(_fields.AccountSelect, "Account", accountPosition);
        var page = await CallAsync(ct => _api.QueryAllAccountsAsync(_version, soql, _queryOptions, Operation, ct), Operation, "queryAll Account", cancellationToken).ConfigureAwait(false);
        while (true)
        {
            var liveIds = page.Records.Where(r => r.IsDeleted != true && r.Id is not null).Select(r => r.Id!).ToList();
            var contacts = await LoadContactsAsync(liveIds, Operation, cancellationToken).ConfigureAwait(false);

            foreach (var record in page.Records)
            {
                var stamp = RequireStamp(record.Id, record.SystemModstamp, "Account", Operation);
                accountPosition = new SalesforceFeedPosition(stamp, record.Id!);
                var deleted = record.IsDeleted == true;
                yield return new CustomerChange
                {
                    Kind = deleted ? ChangeKind.Deleted : ChangeKind.Upserted,
                    ExternalId = record.Id!,
                    Customer = AccountMapper.ToCustomer(record, deleted ? [] : contacts.GetValueOrDefault(record.Id!) ?? [], Name, _options),
                    ModifiedAt = stamp,
                    Cursor = new SalesforceChangeCursor(accountPosition, contactPosition).ToChangeCursor(),
                };
            }

            if (page.Done || string.IsNullOrEmpty(page.NextRecordsUrl))
            {
                break;
            }

            var next = page.NextRecordsUrl.TrimStart('/');
            page = await CallAsync(ct => _api.NextAccountsAsync(next, _queryOptions, Operation, ct), Operation, "queryAll Account (next page)", cancellationToken).ConfigureAwait(false);
        }

        // 2. Contacts changed (or deleted) after the Contact position: each surfaces as a change of its Account, once per
        //    page, carrying the position of that Account's last changed Contact on the page.
        var contactSoql = Soql.Changes(_fields.ContactFeedSelect, "Contact", contactPosition);
        var contactPage = await CallAsync(ct => _api.QueryAllContactsAsync(_version, contactSoql, _queryOptions, Operation, ct), Operation, "queryAll Contact", cancellationToken).ConfigureAwait(false);
        while (true)
        {
            var lastIndexByAccount = new Dictionary<string, int>(StringComparer.Ordinal);
            for (var i = 0; i < contactPage.Records.Count; i++)
            {
                if (contactPage.Records[i].AccountId is { } owner)
                {
                    lastIndexByAccount[owner] = i;
                }
            }

            var owners = lastIndexByAccount.Keys.ToList();
            var accounts = new Dictionary<string, AccountRecord>(StringComparer.Ordinal);
            foreach (var account in await QueryAccountsByIdAsync(owners, Operation, cancellationToken).ConfigureAwait(false))
            {
                accounts[account.Id!] = account;
            }

            var contacts = await LoadContactsAsync([.. accounts.Keys], Operation, cancellationToken).ConfigureAwait(false);
            for (var i = 0; i < contactPage.Records.Count; i++)
            {
                var contact = contactPage.Records[i];
                var stamp = RequireStamp(contact.Id, contact.SystemModstamp, "Contact", Operation);
                contactPosition = new SalesforceFeedPosition(stamp, contact.Id!);
                if (contact.AccountId is not { } owner || lastIndexByAccount[owner] != i || !accounts.TryGetValue(owner, out var account) || account.IsDeleted == true)
                {
                    continue; // private contact, a later contact of the same account follows, or the account is gone (its own change says so)
                }

                yield return new CustomerChange
                {
                    Kind = ChangeKind.Upserted,
                    ExternalId = owner,
                    Customer = AccountMapper.ToCustomer(account, contacts.GetValueOrDefault(owner) ?? [], Name, _options),
                    ModifiedAt = stamp,
                    Cursor = new SalesforceChangeCursor(accountPosition, contactPosition).ToChangeCursor(),
                };
            }

            if (contactPage.Done || string.IsNullOrEmpty(contactPage.NextRecordsUrl))
            {
                yield break;
            }

            var next = contactPage.NextRecordsUrl.TrimStart('/');
            contactPage = await CallAsync(ct => _api.NextContactsAsync(next, _queryOptions, Operation, ct), Operation, "queryAll Contact (next page)", cancellationToken).ConfigureAwait(false);
        }
    }

    private DateTimeOffset RequireStamp(string? id, DateTimeOffset? stamp, string sObject, string operation) =>
        id is not null && stamp is { } value
            ? value
            : throw new ConcordException(ErrorCategory.ContractViolation, $"A Salesforce queryAll {sObject} row has no Id or SystemModstamp.")
            {
                System = Name,
                Operation = operation,
            };

    private async Task UpsertContactsAsync(
        IReadOnlyList<(int Index, CanonicalCustomer Customer, string AccountId, bool Created)> accounts,
        UpsertResult?[] results,
        string operation,
        CancellationToken cancellationToken)
    {
        // Contacts go after their Accounts, linked by the Account's external id: no Account id lookup per contact.
        var owners = new List<int>();
        var contacts = new List<ContactRecord>();
        var contactKeys = new List<string>();
        var contactIds = new Dictionary<int, Dictionary<string, string>>();
        foreach (var (index, customer, _, _) in accounts)
        {
            var canonicalId = customer.Provenance.CanonicalId!;
            for (var c = 0; c < customer.Contacts.Length; c++)
            {
                var contact = customer.Contacts[c];
                if (string.IsNullOrWhiteSpace(contact.Id))
                {
                    results[index] = UpsertResult.Failure(new ConcordException(
                        ErrorCategory.Validation,
                        $"Contact {c} of the customer has no canonical id; Salesforce contacts are upserted by their external id {_fields.ContactExternalId}.")
                    {
                        System = Name,
                        Operation = operation,
                        FieldErrors = [new FieldError($"$.contacts[{c}].id", "required to upsert the contact", "required")],
                    });
                    continue;
                }

                owners.Add(index);
                contacts.Add(AccountMapper.ToContact(contact, canonicalId, _options));
                contactKeys.Add(contact.Id);
            }
        }

        foreach (var chunk in BatchPlanner.Plan(contactKeys, _options.BatchSize))
        {
            var records = chunk.Select(i => contacts[i]).ToList();
            var saved = await UpsertCollectionAsync(
                ct => _api.UpsertContactsAsync(_version, _fields.ContactExternalId, new CollectionUpsertRequest<ContactRecord> { Records = records }, idempotent: true, operation, ct),
                chunk.Count,
                "Contact",
                operation,
                cancellationToken).ConfigureAwait(false);
            for (var k = 0; k < chunk.Count; k++)
            {
                var owner = owners[chunk[k]];
                if (saved[k].Error is { } error)
                {
                    // The account is written; the customer is not complete until every contact is. Retrying is safe (upserts).
                    results[owner] ??= UpsertResult.Failure(error);
                }
                else
                {
                    if (!contactIds.TryGetValue(owner, out var ids))
                    {
                        contactIds[owner] = ids = new Dictionary<string, string>(StringComparer.Ordinal);
                    }

                    ids[contactKeys[chunk[k]]] = saved[k].Id!;
                }
            }
        }

        foreach (var (index, _, accountId, created) in accounts)
        {
            results[index] ??= UpsertResult.Success(created ? UpsertOutcome.Created : UpsertOutcome.Updated, accountId, contactIds.GetValueOrDefault(index));
        }
    }

    /// <summary>Sends one collections upsert and returns one outcome per record, in input order.</summary>
    private async Task<(string? Id, bool Created, ConcordException? Error)[]> UpsertCollectionAsync(
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
                var error = Failure(response, operation, where);
                if (!error.IsRecordLevel)
                {
                    throw error;
                }

                // A malformed call (400) fails each of its records; the other chunks go on.
                Array.Fill(outcomes, (null, false, error));
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

    private async Task<List<AccountRecord>> QueryAccountsAsync(string soql, string operation, CancellationToken cancellationToken)
    {
        var page = await CallAsync(ct => _api.QueryAccountsAsync(_version, soql, _queryOptions, operation, ct), operation, "query Account", cancellationToken).ConfigureAwait(false);
        var records = page.Records;
        while (!page.Done && !string.IsNullOrEmpty(page.NextRecordsUrl))
        {
            var next = page.NextRecordsUrl.TrimStart('/');
            page = await CallAsync(ct => _api.NextAccountsAsync(next, _queryOptions, operation, ct), operation, "query Account (next page)", cancellationToken).ConfigureAwait(false);
            records.AddRange(page.Records);
        }

        return records;
    }

    private async IAsyncEnumerable<ContactRecord> QueryAllPagesAsync(string soql, string operation, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var page = await CallAsync(ct => _api.QueryContactsAsync(_version, soql, _queryOptions, operation, ct), operation, "query Contact", cancellationToken).ConfigureAwait(false);
        while (true)
        {
            foreach (var record in page.Records)
            {
                yield return record;
            }

            if (page.Done || string.IsNullOrEmpty(page.NextRecordsUrl))
            {
                yield break;
            }

            var next = page.NextRecordsUrl.TrimStart('/');
            page = await CallAsync(ct => _api.NextContactsAsync(next, _queryOptions, operation, ct), operation, "query Contact (next page)", cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>The live contacts of <paramref name="accountIds"/>, by Account id, with one query per URI-sized slice of ids (<see cref="Soql.InSlices"/>).</summary>
    private async Task<Dictionary<string, List<ContactRecord>>> LoadContactsAsync(IReadOnlyList<string> accountIds, string operation, CancellationToken cancellationToken)
    {
        var byAccount = new Dictionary<string, List<ContactRecord>>(StringComparer.Ordinal);
        foreach (var slice in Soql.InSlices(accountIds, Soql.WhereIn(_fields.ContactSelect, "Contact", "AccountId", [])))
        {
            var soql = Soql.WhereIn(_fields.ContactSelect, "Contact", "AccountId", slice);
            await foreach (var contact in QueryAllPagesAsync(soql, operation, cancellationToken).ConfigureAwait(false))
            {
                if (contact.AccountId is null)
                {
                    continue;
                }

                if (!byAccount.TryGetValue(contact.AccountId, out var list))
                {
                    byAccount[contact.AccountId] = list = [];
                }

                list.Add(contact);
            }
        }

        return byAccount;
    }

    private async Task<T> CallAsync<T>(Func<CancellationToken, Task<IApiResponse<T>>> call, string operation, string where, CancellationToken cancellationToken)
    {
        var response = await SendAsync(call, operation, cancellationToken).ConfigureAwait(false);
        using (response)
        {
            if (response.IsSuccessful && response.Content is not null)
            {
                return response.Content;
            }

            throw Failure(response, operation, where);
        }
    }

    private async Task<IApiResponse<T>> SendAsync<T>(Func<CancellationToken, Task<IApiResponse<T>>> call, string operation, CancellationToken cancellationToken)
    {
        _usage.EnsureWithinBudget(operation);
        IApiResponse<T> response;
        try
        {
            response = await call(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (SalesforceTransportErrors.TryTranslate(ex, Name, operation, cancellationToken) is { } translated)
        {
            Log.CallFailed(_logger, Name, operation, translated.Category, translated.VendorErrorCode, translated.StatusCode);
            throw translated;
        }

        if (response.HasRequestError(out var requestError))
        {
            // Refit 16 returns send failures inside the response: surface them as the pipeline's translation would.
            response.Dispose();
            var cause = requestError.InnerException ?? requestError;
            cancellationToken.ThrowIfCancellationRequested();
            var translated = SalesforceTransportErrors.TryTranslate(cause, Name, operation, cancellationToken)
                ?? new ConcordException(ErrorCategory.Transient, $"The {operation} request to {Name} failed before an answer arrived.", cause) { System = Name, Operation = operation };
            Log.CallFailed(_logger, Name, operation, translated.Category, translated.VendorErrorCode, translated.StatusCode);
            throw translated;
        }

        return response;
    }

    private ConcordException Failure(IApiResponse response, string operation, string where)
    {
        ConcordException error;
        var status = response.StatusCode ?? HttpStatusCode.BadGateway;
        if (response.IsSuccessStatusCode)
        {
            // A 2xx whose body was missing or could not be read.
            error = new ConcordException(
                ErrorCategory.ContractViolation,
                $"Salesforce {operation} on {where} answered HTTP {(int)status} without the expected body.",
                response.Error)
            {
                System = Name,
                Operation = operation,
                StatusCode = (int)status,
            };
        }
        else
        {
            var content = response.HasResponseError(out var apiError) ? apiError.Content : null;
            error = SalesforceErrorClassifier.FromResponse(status, content, Name, operation, where);
        }

        Log.CallFailed(_logger, Name, operation, error.Category, error.VendorErrorCode, error.StatusCode);
        return error;
    }

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
}
