using System.Collections.Concurrent;
using System.Globalization;
using Concord.Canonical;
using Concord.Canonical.Connectors;
using Concord.Canonical.Errors;
using Concord.Canonical.Privacy;
using Concord.Connectors.Zendesk.Api;
using Concord.Connectors.Zendesk.Mapping;
using Microsoft.Extensions.Logging;

namespace Concord.Connectors.Zendesk.Internal;

/// <summary>
/// Organizations with their end users over the Zendesk Support API: writes keyed on <c>external_id</c> (one through
/// <c>create_or_update</c>, many through <c>create_many</c>/<c>update_many</c> and <c>users/create_or_update_many</c>
/// jobs), reads through <c>show_many</c> and search, and the incremental exports as the change feed.
/// </summary>
internal sealed partial class ZendeskConnector : IZendeskConnector
{
    /// <summary>Users whose primary email this process last saw, to find the survivor of a merge (bounded).</summary>
    private const int UserEmailMemory = 100_000;

    private readonly ZendeskConnectorOptions _options;
    private readonly ZendeskApiClient _api;
    private readonly ZendeskSession _session;
    private readonly ZendeskMapper _mapper;
    private readonly JobRunner _jobs;
    private readonly FieldSetup _fields;
    private readonly ILogger _logger;
    private readonly IConnectorStateStore _state;
    private readonly ConcurrentDictionary<long, string> _userEmails = new(); // a merged-away user's email, to find the survivor (bounded as above)
    private int _bulkImportDisabled;

    public ZendeskConnector(string name, ZendeskConnectorOptions options, ZendeskApiClient api, IConnectorStateStore state, string configurationPath, ILogger logger)
    {
        Name = name;
        _state = state;
        _options = options;
        _api = api;
        _session = api.Session;
        _logger = logger;
        _mapper = new ZendeskMapper(options, name);
        _jobs = new JobRunner(api, options, logger);
        _fields = new FieldSetup(api, options, configurationPath, logger);
        Capabilities = new ConnectorCapabilities
        {
            System = ZendeskConnectorOptions.DefaultName,
            MaxBatchSize = options.BatchSize,
            VendorBatchPreservesOrder = false,
            AsynchronousBatchWrites = true,
            NativeUpsertKey = "external_id",
            CarriedFields = _mapper.Carried,
            PublishedRateLimit = new RateLimitDescription(
                (int)options.Plan,
                TimeSpan.FromMinutes(1),
                "Support API requests per minute by plan (Team 200, Growth/Professional 400, Enterprise 700, Enterprise Plus or High Volume 2,500); the account's real budget is read from X-Rate-Limit. Incremental exports: 10 a minute; 30 jobs in flight; 5 updates a minute per organization and per user."),
        };
    }

    public string Name { get; }

    public ConnectorCapabilities Capabilities { get; }

    public int RequestsPerMinute => _session.Requests.Limit;

    /// <summary>Jobs submitted and job polls made so far (for the benchmark).</summary>
    internal (int Jobs, int Polls) JobCalls => (_jobs.Submissions, _jobs.Polls);

    private static string Id(long id) => id.ToString(CultureInfo.InvariantCulture);

    private UpsertResult? Invalid(UpsertRequest? request, string operation)
    {
        if (request?.Customer is null)
        {
            return UpsertResult.Failure(Error(ErrorCategory.Validation, "The upsert request has no customer.", operation));
        }

        var customer = request.Customer;
        if (string.IsNullOrWhiteSpace(customer.Provenance.CanonicalId))
        {
            return UpsertResult.Failure(Invalid("The customer has no canonical id; Zendesk organizations are upserted by external_id.", operation, new FieldError("$.provenance.canonicalId", "required as the external_id upsert key", "required")));
        }

        if (customer.Kind != CustomerKind.Company)
        {
            return UpsertResult.Failure(Invalid("The customer is a person; the Zendesk connector writes companies as organizations (with their contacts as end users), not standalone end users.", operation, new FieldError("$.kind", "only company customers are written to Zendesk", "unsupported")));
        }

        if (string.IsNullOrWhiteSpace(customer.Name))
        {
            return UpsertResult.Failure(Invalid("The customer has no name; Zendesk requires an organization name.", operation, new FieldError("$.name", "required (organization name)", "required")));
        }

        if (request.KnownExternalId is { } known && !long.TryParse(known, NumberStyles.None, CultureInfo.InvariantCulture, out _))
        {
            return UpsertResult.Failure(Invalid($"The known id '{PersonalDataMasker.MaskIdentifier(known)}' is not a Zendesk organization id (a number).", operation, new FieldError("knownExternalId", "not a Zendesk id", "format")));
        }

        for (var c = 0; c < customer.Contacts.Length; c++)
        {
            if (string.IsNullOrWhiteSpace(customer.Contacts[c].Name))
            {
                return UpsertResult.Failure(Invalid($"Contact {c} of the customer has no name; Zendesk requires a user name.", operation, new FieldError($"$.contacts[{c}].name", "required (user name)", "required")));
            }
        }

        return null;
    }

    private ConcordException Invalid(string message, string operation, FieldError field) =>
        new(ErrorCategory.Validation, message) { System = Name, Operation = operation, FieldErrors = [field] };

    private ConcordException Error(ErrorCategory category, string message, string operation, Exception? inner = null) =>
        new(category, message, inner) { System = Name, Operation = operation };

    /// <summary>The primary email this process last saw on a user: a merge moves it to the surviving user.</summary>
    private void RememberEmail(long userId, string? email)
    {
        if (string.IsNullOrEmpty(email))
        {
            return;
        }

        if (_userEmails.Count >= UserEmailMemory)
        {
            _userEmails.Clear();
        }

        _userEmails[userId] = email;
    }
}
