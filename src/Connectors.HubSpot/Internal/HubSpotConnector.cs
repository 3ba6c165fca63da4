using System.Net;
using Concord.Canonical.Connectors;
using Concord.Canonical.Errors;
using Concord.Canonical.Resilience;
using Concord.Connectors.HubSpot.Api;
using Concord.Connectors.HubSpot.Api.Dtos;
using Concord.Connectors.HubSpot.Diagnostics;
using Concord.Connectors.HubSpot.Limits;
using Concord.Connectors.HubSpot.Mapping;
using Microsoft.Extensions.Logging;
using Refit;

namespace Concord.Connectors.HubSpot.Internal;

/// <summary>
/// Companies with their contacts over the HubSpot CRM API: batch upsert on a unique property (contacts by email or the
/// unique property) with results mapped back to input order, v4 associations, batch reads and search, a search-based
/// change feed, and the portal's limits. One instance per registration name; thread-safe.
/// </summary>
internal sealed partial class HubSpotConnector : IHubSpotConnector
{
    private readonly HubSpotConnectorOptions _options;
    private readonly IHubSpotApi _api;
    private readonly ApiPaths _paths;
    private readonly PortalLimits _limits;
    private readonly HubSpotSchema _schema;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly Lock _gate = new();
    private Task? _ready;

    public HubSpotConnector(string name, HubSpotConnectorOptions options, IHubSpotApi api, PortalLimits limits, TimeProvider time, ILogger logger)
    {
        Name = name;
        _options = options;
        _api = api;
        _paths = ApiPaths.For(options.ApiVersion);
        _limits = limits;
        _schema = new HubSpotSchema(options);
        _time = time;
        _logger = logger;
        Capabilities = new ConnectorCapabilities
        {
            System = HubSpotConnectorOptions.DefaultName,
            MaxBatchSize = options.BatchSize,
            VendorBatchPreservesOrder = false,
            NativeUpsertKey = options.CompanyUniqueProperty,
            CarriedFields = _schema.Carried,
            PublishedRateLimit = new RateLimitDescription(
                options.TenSecondlyLimit,
                TimeSpan.FromSeconds(10),
                "Requests per app per rolling 10 s: 100 Free/Starter, 190 Professional/Enterprise, 250 with the API Limit Increase, 110 for public OAuth apps; daily 250,000–1,000,000 for private apps; search 5/s per account."),
        };
    }

    public string Name { get; }

    public ConnectorCapabilities Capabilities { get; }

    public HubSpotRateLimitStatus RateLimits => new()
    {
        WindowMax = _limits.LastMax,
        WindowRemaining = _limits.LastRemaining,
        LimiterPermits = _limits.Window.Permits,
        Daily = _limits.Daily.Daily,
        DailyRemaining = _limits.Daily.Remaining,
        PausedUntil = _limits.Daily.PausedUntil,
        ObservedAt = _limits.ObservedAt,
    };

    public IDisposable BeginUrgentScope() => DailyBudgetGuard.BeginUrgent();

    /// <summary>
    /// Checks once (single-flight, retried after a failure) that the unique properties exist and are unique, creating them
    /// when allowed: at host start (<c>HubSpotStartupCheck</c>), and before the first write when that did not run or failed.
    /// </summary>
    internal Task EnsureReadyAsync(CancellationToken cancellationToken)
    {
        Task ready;
        lock (_gate)
        {
            if (_ready is null || _ready.IsFaulted || _ready.IsCanceled)
            {
                _ready = SetUpAsync();
            }

            ready = _ready;
        }

        return ready.IsCompletedSuccessfully ? Task.CompletedTask : ready.WaitAsync(cancellationToken);
    }

    private async Task SetUpAsync()
    {
        await EnsureUniquePropertyAsync(HubSpotSchema.Companies, _schema.CompanyUnique, "companyinformation", CancellationToken.None).ConfigureAwait(false);
        await EnsureUniquePropertyAsync(HubSpotSchema.Contacts, _schema.ContactUnique, "contactinformation", CancellationToken.None).ConfigureAwait(false);
        if (_schema.TaxIdProperty is { } taxId)
        {
            await EnsureMappedPropertyAsync(taxId, nameof(HubSpotConnectorOptions.TaxIdProperty), CancellationToken.None).ConfigureAwait(false);
        }

        foreach (var (attribute, property) in _options.CustomProperties.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            await EnsureMappedPropertyAsync(property, $"{nameof(HubSpotConnectorOptions.CustomProperties)}:{attribute}", CancellationToken.None).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// A company property an option maps (<see cref="HubSpotConnectorOptions.CustomProperties"/>,
    /// <see cref="HubSpotConnectorOptions.TaxIdProperty"/>) exists: else every write would fail each record with
    /// HubSpot's <c>PROPERTY_DOESNT_EXIST</c>, so the host stops naming the option instead. The connector never creates it
    /// (its type and options are the portal's to choose).
    /// </summary>
    private async Task EnsureMappedPropertyAsync(string property, string option, CancellationToken cancellationToken)
    {
        const string Operation = "set-up";
        using var found = await SendAsync(ct => _api.GetPropertyAsync(_paths.Properties1, _paths.Properties2, HubSpotSchema.Companies, property, Operation, ct), Operation, cancellationToken).ConfigureAwait(false);
        if (found.IsSuccessful)
        {
            return;
        }

        if (found.StatusCode == HttpStatusCode.NotFound)
        {
            throw Configuration(
                $"The companies property '{property}' that HubSpotConnectorOptions {option} maps does not exist in the portal; create it in HubSpot (Settings → Properties) or correct {HubSpotConnectorOptions.SectionName}:{option}.");
        }

        if (found.StatusCode == HttpStatusCode.Forbidden)
        {
            throw Configuration("The app may not read the companies property definitions (HTTP 403); grant the scope crm.objects.companies.read.");
        }

        throw Failure(found, Operation, $"property companies.{property}");
    }

    private async Task EnsureUniquePropertyAsync(string objectType, string property, string group, CancellationToken cancellationToken)
    {
        const string Operation = "set-up";
        var option = objectType == HubSpotSchema.Companies ? nameof(HubSpotConnectorOptions.CompanyUniqueProperty) : nameof(HubSpotConnectorOptions.ContactUniqueProperty);
        using var found = await SendAsync(ct => _api.GetPropertyAsync(_paths.Properties1, _paths.Properties2, objectType, property, Operation, ct), Operation, cancellationToken).ConfigureAwait(false);
        if (found.IsSuccessful && found.Content is { } definition)
        {
            if (!definition.HasUniqueValue)
            {
                throw Configuration(
                    $"The {objectType} property '{property}' (HubSpotConnectorOptions.{option}) exists but does not require unique values, so it cannot be an upsert key; HubSpot cannot change that afterwards: create another text property with 'Require unique values' and name it in HubSpotConnectorOptions.{option}.");
            }

            return;
        }

        if (found.StatusCode == HttpStatusCode.Forbidden)
        {
            throw Configuration($"The app may not read the {objectType} property definitions (HTTP 403); grant the scope crm.objects.{objectType}.read.");
        }

        if (found.StatusCode != HttpStatusCode.NotFound)
        {
            throw Failure(found, Operation, $"property {objectType}.{property}");
        }

        if (!_options.CreateUniqueProperties)
        {
            throw Configuration(
                $"The {objectType} property '{property}' (HubSpotConnectorOptions.{option}) does not exist; create it in HubSpot as a single-line text property with 'Require unique values', or set HubSpotConnectorOptions.CreateUniqueProperties to let the connector create it (scope crm.schemas.{objectType}.write).");
        }

        var created = await SendAsync(
            ct => _api.CreatePropertyAsync(
                _paths.Properties1,
                _paths.Properties2,
                objectType,
                new PropertyDefinition { Name = property, Label = "Concord external id", GroupName = group, Type = "string", FieldType = "text", HasUniqueValue = true, FormField = false },
                Operation,
                ct),
            Operation,
            cancellationToken).ConfigureAwait(false);
        using (created)
        {
            if (created.IsSuccessful || created.StatusCode == HttpStatusCode.Conflict)
            {
                Log.PropertyCreated(_logger, Name, objectType, property);
                if (created.StatusCode == HttpStatusCode.Conflict)
                {
                    await EnsureUniquePropertyAsync(objectType, property, group, cancellationToken).ConfigureAwait(false);
                }

                return;
            }

            if (created.StatusCode == HttpStatusCode.Forbidden)
            {
                throw Configuration(
                    $"The {objectType} property '{property}' does not exist and the app may not create it: grant the scope crm.schemas.{objectType}.write, or create it in HubSpot as a single-line text property with 'Require unique values'.");
            }

            throw Failure(created, Operation, $"property {objectType}.{property}");
        }
    }

    private ConcordException Configuration(string message) => new(ErrorCategory.Configuration, message) { System = Name, Operation = "set-up" };

    private async Task<T> CallAsync<T>(Func<CancellationToken, Task<IApiResponse<T>>> call, string operation, string where, CancellationToken cancellationToken)
    {
        using var response = await SendAsync(call, operation, cancellationToken).ConfigureAwait(false);
        if (response.IsSuccessful && response.Content is not null)
        {
            return response.Content;
        }

        throw Failure(response, operation, where);
    }

    private async Task<IApiResponse<T>> SendAsync<T>(Func<CancellationToken, Task<IApiResponse<T>>> call, string operation, CancellationToken cancellationToken)
    {
        _limits.Daily.EnsureWithinBudget(Name, operation);
        IApiResponse<T> response;
        try
        {
            // A call of a sliced write holds one of the write's slots (MaxParallelBatches across its slices).
            response = WriteGate.Current is { } lane
                ? await lane.RunAsync(() => call(cancellationToken), cancellationToken).ConfigureAwait(false)
                : await call(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (Translate(ex, operation, cancellationToken) is { } translated)
        {
            Log.CallFailed(_logger, Name, operation, translated.Category, translated.VendorErrorCode, translated.StatusCode, translated.CorrelationId);
            throw translated;
        }

        if (response.HasRequestError(out var requestError))
        {
            // Refit returns send failures inside the response: surface them as the pipeline's translation would.
            response.Dispose();
            var cause = requestError.InnerException ?? requestError;
            cancellationToken.ThrowIfCancellationRequested();
            var translated = Translate(cause, operation, cancellationToken)
                ?? new ConcordException(ErrorCategory.Transient, $"The {operation} request to {Name} failed before an answer arrived.", cause) { System = Name, Operation = operation };
            Log.CallFailed(_logger, Name, operation, translated.Category, translated.VendorErrorCode, translated.StatusCode, translated.CorrelationId);
            throw translated;
        }

        return response;
    }

    private ConcordException? Translate(Exception exception, string operation, CancellationToken cancellationToken)
    {
        if (exception is OperationCanceledException && cancellationToken.IsCancellationRequested)
        {
            return null;
        }

        // Concord's resilience pipeline already turned transport failures (timeouts, a dropped connection, an open
        // circuit, a limiter rejection) into ConcordException; Refit may wrap it.
        if ((exception as ConcordException ?? exception.InnerException as ConcordException) is { } translated)
        {
            return translated;
        }

        return exception is ApiException api
            ? new ConcordException(ErrorCategory.ContractViolation, $"HubSpot {operation}: the answer (HTTP {(int)api.StatusCode}) could not be read.", exception)
            {
                System = Name,
                Operation = operation,
                StatusCode = (int)api.StatusCode,
            }
            : null;
    }

    private ConcordException Failure(IApiResponse response, string operation, string where)
    {
        ConcordException error;
        var status = response.StatusCode ?? HttpStatusCode.BadGateway;
        if (response.IsSuccessStatusCode)
        {
            error = new ConcordException(ErrorCategory.ContractViolation, $"HubSpot {operation} on {where} answered HTTP {(int)status} without the expected body.", response.Error)
            {
                System = Name,
                Operation = operation,
                StatusCode = (int)status,
            };
        }
        else
        {
            var content = response.HasResponseError(out var apiError) ? apiError.Content : null;
            error = HubSpotErrorClassifier.FromResponse(status, content, response.Headers?.RetryAfter?.Delta, Name, operation, where);
        }

        Log.CallFailed(_logger, Name, operation, error.Category, error.VendorErrorCode, error.StatusCode, error.CorrelationId);
        return error;
    }
}
