using Concord.Canonical;
using Concord.Canonical.Connectors;
using Concord.Connectors.Odoo.Api;
using Concord.Connectors.Odoo.ChangeFeed;
using Concord.Connectors.Odoo.Mapping;
using Concord.Connectors.Odoo.Matching;
using Microsoft.Extensions.Logging;

namespace Concord.Connectors.Odoo.Internal;

/// <summary>The Odoo connector: <c>res.partner</c> trees in and out, upserts through <c>load</c> with external ids.</summary>
internal sealed class OdooConnector : IOdooConnector, IDisposable
{
    private const string GetOperation = "get";
    private const string ResolveOperation = "resolve-hints";
    private const string PartnerModel = "res.partner";
    private static readonly string[] TreeFields = ["parent_id", "commercial_partner_id"];

    private readonly OdooClient _client;
    private readonly OdooCalls _calls;
    private readonly PartnerUpsert _upsert;
    private readonly PartnerTreeReader _trees;
    private readonly ChangeFeedReader _changes;
    private readonly PartnerFinder _finder;
    private readonly OdooConnectorOptions _options;

    public OdooConnector(string name, OdooConnectorOptions options, OdooClient client, ILogger logger)
    {
        Name = name;
        _options = options;
        _client = client;
        _calls = new OdooCalls(options);
        var references = new ReferenceCache(client, _calls, options.EffectiveExternalIdPrefix());
        _upsert = new PartnerUpsert(name, client, _calls, references, options, logger);
        _trees = new PartnerTreeReader(name, client, _calls, references, options.PageSize);
        _changes = new ChangeFeedReader(name, client, _calls, _trees, options, logger);
        _finder = new PartnerFinder(client, _calls, _trees);
        Capabilities = new ConnectorCapabilities
        {
            System = "odoo",
            MaxBatchSize = options.BatchSize,
            VendorBatchPreservesOrder = true,
            NativeUpsertKey = "ir.model.data",
            CarriedFields = PartnerFields.Carried,
            PublishedRateLimit = new RateLimitDescription(
                options.Resilience.PermitLimit,
                options.Resilience.Window,
                "Odoo core has no request rate limit; the client-side limit is Concord's (OdooConnectorOptions.Resilience), keep 2–4 concurrent calls per database."),
        };
    }

    public string Name { get; }

    public void Dispose() => _client.Dispose();

    public ConnectorCapabilities Capabilities { get; }

    /// <summary>The number of HTTP calls this instance has sent (for tests and benchmarks; hosts read the <c>concord.vendor.requests</c> metric).</summary>
    internal long CallCount => _client.CallCount;

    public async Task<string> GetServerVersionAsync(CancellationToken cancellationToken = default)
    {
        var profile = await _client.GetProfileAsync(cancellationToken).ConfigureAwait(false);
        return profile.Version.ToString();
    }

    public async Task<CanonicalCustomer?> GetAsync(string externalId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(externalId);
        var found = await GetManyAsync([externalId], cancellationToken).ConfigureAwait(false);
        return found[0];
    }

    public async Task<IReadOnlyList<CanonicalCustomer?>> GetManyAsync(IReadOnlyList<string> externalIds, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(externalIds);
        if (!externalIds.Any(id => PartnerIds.TryParse(id, out _)))
        {
            return new CanonicalCustomer?[externalIds.Count];
        }

        var profile = await _client.GetProfileAsync(cancellationToken).ConfigureAwait(false);
        return await _trees.ReadByExternalIdsAsync(externalIds, PartnerUpsert.FieldsFor(profile.Version.HasMobile), GetOperation, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Webhook hints: a <c>res.partner</c> event names the customer whose tree the partner belongs to now, the partner itself
    /// when top-level, else its commercial partner or parent (a child contact or address names its company), in one
    /// <c>search_read</c> per <see cref="OdooConnectorOptions.PageSize"/> ids. A partner Odoo no longer has keeps its own id
    /// (the engine reads it as gone); events on other models name no customer.
    /// </summary>
    public async Task<IReadOnlyList<string>> ResolveCustomerIdsAsync(string? objectType, IReadOnlyList<string> objectIds, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(objectIds);
        if (objectType is not (null or PartnerModel))
        {
            return [];
        }

        var ids = objectIds.Select(id => PartnerIds.TryParse(id, out var value) ? value : (long?)null).OfType<long>().Distinct().ToList();
        var roots = new List<long>(ids.Count);
        foreach (var chunk in ids.Chunk(_options.PageSize))
        {
            var domain = OdooDomain.Empty.WhereIn("id", chunk);
            var rows = await _client.ExecuteAsync(_calls.SearchRead(PartnerModel, domain, TreeFields), OdooJsonContext.Default.PartnerRecordArray, ResolveOperation, cancellationToken).ConfigureAwait(false);
            var rootOf = rows.ToDictionary(r => r.Id, r => RowFingerprint.RootOf(r.Id, r.ParentId, r.CommercialPartnerId));
            roots.AddRange(chunk.Select(id => rootOf.GetValueOrDefault(id, id)));
        }

        return [.. roots.Distinct().Select(id => id.ToString(System.Globalization.CultureInfo.InvariantCulture))];
    }

    public async Task<IReadOnlyList<CanonicalCustomer>> FindAsync(MatchKeys keys, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(keys);
        var found = await _finder.FindManyAsync([keys], cancellationToken).ConfigureAwait(false);
        return found[0];
    }

    public async Task<IReadOnlyList<IReadOnlyList<CanonicalCustomer>>> FindManyAsync(IReadOnlyList<MatchKeys> keys, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(keys);
        return await _finder.FindManyAsync(keys, cancellationToken).ConfigureAwait(false);
    }

    public async Task<UpsertResult> UpsertAsync(UpsertRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var results = await _upsert.UpsertAsync([request], cancellationToken).ConfigureAwait(false);
        return results[0];
    }

    public Task<IReadOnlyList<UpsertResult>> UpsertManyAsync(IReadOnlyList<UpsertRequest> requests, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(requests);
        return requests.Count == 0 ? Task.FromResult<IReadOnlyList<UpsertResult>>([]) : _upsert.UpsertAsync(requests, cancellationToken);
    }

    public IAsyncEnumerable<CustomerChange> ReadChangesAsync(ChangeCursor? from, CancellationToken cancellationToken = default) =>
        _changes.ReadAsync(from, cancellationToken);
}
