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
    private readonly Lock _orgGate = new();
    private SalesforceFieldNames _fields;
    private OrgContext? _org;
    private Task<OrgContext>? _orgLoad;
    private readonly string _version;
    private readonly string _queryOptions;
    private readonly string _duplicateRules;
    private readonly TimeProvider _time;
    private readonly ContactOwners _contactOwners = new();
    private readonly IConnectorStateStore _state;

    public SalesforceConnector(string name, SalesforceConnectorOptions options, ISalesforceApi api, SalesforceApiUsageTracker usage, IConnectorStateStore state, TimeProvider time, ILogger logger)
    {
        _time = time;
        _state = state;
        Name = name;
        _options = options;
        _api = api;
        _usage = usage;
        _logger = logger;
        _fields = new SalesforceFieldNames(options);
        _version = "v" + options.ApiVersion;
        _queryOptions = string.Create(CultureInfo.InvariantCulture, $"batchSize={options.QueryPageSize}");

        // Without the header a REST save is refused by alert-level duplicate rules too (allowSave=false by default).
        _duplicateRules = $"allowSave={(options.AllowSaveOnDuplicateAlert ? "true" : "false")}; includeRecordDetails=false; runAsCurrentUser=false";
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

    private DateTimeOffset RequireStamp(string? id, DateTimeOffset? stamp, string sObject, string operation) =>
        id is not null && stamp is { } value
            ? value
            : throw new ConcordException(ErrorCategory.ContractViolation, $"A Salesforce queryAll {sObject} row has no Id or SystemModstamp.")
            {
                System = Name,
                Operation = operation,
            };

    /// <summary>The org context; loaded (<see cref="OrgAsync"/>) before anything that reads it.</summary>
    private OrgContext Org => Volatile.Read(ref _org) ?? throw new InvalidOperationException("The org context is loaded before the first call that needs it.");

    /// <summary>
    /// What the org has, learned once per instance, just before the first call that goes to Salesforce (one <c>describe</c>
    /// of Account, none when the options settle it all); callers waiting meanwhile share the one load, and a failed load
    /// is tried again by the next call.
    /// </summary>
    private async ValueTask<OrgContext> OrgAsync(string operation, CancellationToken cancellationToken)
    {
        if (Volatile.Read(ref _org) is { } known)
        {
            return known;
        }

        Task<OrgContext> load;
        lock (_orgGate)
        {
            if (_orgLoad is null || _orgLoad.IsFaulted || _orgLoad.IsCanceled)
            {
                _orgLoad = LoadOrgAsync(operation);
            }

            load = _orgLoad;
        }

        var org = await load.WaitAsync(cancellationToken).ConfigureAwait(false);
        lock (_orgGate)
        {
            _fields = org.Fields;
            Volatile.Write(ref _org, org);
        }

        return org;
    }

    private async Task<OrgContext> LoadOrgAsync(string operation)
    {
        var account = OrgContext.NeedsDescribe(_options)
            ? await CallAsync(ct => _api.DescribeAsync(_version, "Account", operation, ct), operation, "describe Account", CancellationToken.None).ConfigureAwait(false)
            : null;
        var org = new OrgContext(_options, account);
        if (org.PersonAccounts)
        {
            // A person account is created with the person record type (IsPersonAccount follows from it). The row has
            // only an Id, so the Account row type reads it as well as any.
            var types = await QueryAccountsAsync(
                "SELECT Id FROM RecordType WHERE SobjectType = 'Account' AND IsPersonType = true AND IsActive = true ORDER BY Id LIMIT 1",
                operation,
                CancellationToken.None).ConfigureAwait(false);
            org = new OrgContext(_options, account) { PersonRecordTypeId = types.FirstOrDefault()?.Id };
        }

        CheckCustomFields(org, operation);
        return org;
    }

    /// <summary>A mapping to a field the org lacks (or the user cannot see) stops here, once, naming the mapping.</summary>
    private void CheckCustomFields(OrgContext org, string operation)
    {
        foreach (var (attribute, field) in org.CustomFields)
        {
            if (org.AccountField(field) is null)
            {
                throw new ConcordException(
                    ErrorCategory.Configuration,
                    $"CustomFieldMappings:{attribute} names the Account field {field}, which the org does not have or the integration user cannot see; create the field, grant field-level security, or remove the mapping.")
                {
                    System = Name,
                    Operation = operation,
                };
            }
        }
    }

    /// <summary>Whether a Contact row is the hidden Contact of a person account (never a contact of a company).</summary>
    private static bool IsPersonContact(ContactRecord contact) =>
        string.Equals(AccountMapper.ReadString(contact.Extra, "IsPersonAccount"), "true", StringComparison.OrdinalIgnoreCase);

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
                if (contact.AccountId is null || IsPersonContact(contact))
                {
                    continue;
                }

                if (contact.Id is not null)
                {
                    _contactOwners.Set(contact.Id, contact.AccountId);
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

    private async Task<TResponse> SendAsync<TResponse>(Func<CancellationToken, Task<TResponse>> call, string operation, CancellationToken cancellationToken)
        where TResponse : IApiResponse
    {
        await _usage.EnsureWithinBudgetAsync(operation, ProbeApiUsageAsync, cancellationToken).ConfigureAwait(false);
        TResponse response;
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

    /// <summary>
    /// Asks <c>GET /limits</c> how much of the daily allocation is used (urgent: it must pass the guard it serves). A
    /// refusal or a failure leaves the last figure as it was; the guard then keeps refusing until its next look.
    /// </summary>
    private async Task ProbeApiUsageAsync(CancellationToken cancellationToken)
    {
        using var urgent = SalesforceApiUsageTracker.BeginUrgent();
        try
        {
            using var response = await _api.GetLimitsAsync(_version, "check-api-usage", cancellationToken).ConfigureAwait(false);
            if (response.IsSuccessful && response.Content?.DailyApiRequests is { Max: > 0 } daily)
            {
                _usage.Record(daily.Max - daily.Remaining, daily.Max);
            }
            else
            {
                Log.UsageProbeFailed(_logger, Name, (int?)response.StatusCode);
            }
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException or TimeoutException && !cancellationToken.IsCancellationRequested)
        {
            Log.UsageProbeFailed(_logger, Name, null);
        }
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
}
