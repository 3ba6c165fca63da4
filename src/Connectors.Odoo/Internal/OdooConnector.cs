using System.Globalization;
using System.Runtime.CompilerServices;
using Concord.Canonical;
using Concord.Connectors.Odoo.Api;
using Concord.Connectors.Odoo.ChangeFeed;
using Concord.Connectors.Odoo.Mapping;
using Microsoft.Extensions.Logging;

namespace Concord.Connectors.Odoo.Internal;

/// <summary>The Odoo connector: <c>res.partner</c> trees in and out, upserts through <c>load</c> with external ids.</summary>
internal sealed class OdooConnector : IOdooConnector, IDisposable
{
    private const string PartnerModel = "res.partner";

    private readonly OdooClient _client;
    private readonly OdooCalls _calls;
    private readonly PartnerUpsert _upsert;
    private readonly ChangeFeedReader _changes;
    private readonly OdooConnectorOptions _options;

    public OdooConnector(string name, OdooConnectorOptions options, OdooClient client, ILogger logger)
    {
        Name = name;
        _options = options;
        _client = client;
        _calls = new OdooCalls(options);
        var references = new ReferenceCache(client, _calls, options.EffectiveExternalIdPrefix());
        _upsert = new PartnerUpsert(name, client, _calls, references, options, logger);
        _changes = new ChangeFeedReader(name, client, _calls, references, options, logger);
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

    public long CallCount => _client.CallCount;

    public async Task<string> GetServerVersionAsync(CancellationToken cancellationToken = default)
    {
        var profile = await _client.GetProfileAsync(cancellationToken).ConfigureAwait(false);
        return profile.Version.ToString();
    }

    public async Task<CanonicalCustomer?> GetAsync(string externalId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(externalId);
        if (!long.TryParse(externalId, NumberStyles.None, CultureInfo.InvariantCulture, out var id) || id <= 0)
        {
            return null;
        }

        var profile = await _client.GetProfileAsync(cancellationToken).ConfigureAwait(false);
        var trees = await _changes.ReadTreesAsync([id], PartnerUpsert.FieldsFor(profile.Version.HasMobile), cancellationToken).ConfigureAwait(false);
        return trees.GetValueOrDefault(id);
    }

    public async Task<IReadOnlyList<CanonicalCustomer>> FindAsync(MatchKeys keys, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(keys);
        if (keys.IsEmpty)
        {
            return [];
        }

        var alternatives = new List<OdooDomain>();
        var vats = keys.TaxIds.IsDefaultOrEmpty ? [] : keys.TaxIds.Where(t => t.Type != TaxIdType.CompanyRegistry).Select(t => t.Value).Distinct().ToArray();
        if (vats.Length > 0)
        {
            alternatives.Add(OdooDomain.Empty.WhereIn("vat", vats));
        }

        var registries = keys.TaxIds.IsDefaultOrEmpty ? [] : keys.TaxIds.Where(t => t.Type == TaxIdType.CompanyRegistry).Select(t => t.Value).Distinct().ToArray();
        if (registries.Length > 0)
        {
            alternatives.Add(OdooDomain.Empty.WhereIn("company_registry", registries));
        }

        foreach (var email in keys.Emails.IsDefaultOrEmpty ? [] : keys.Emails)
        {
            alternatives.Add(OdooDomain.Empty.Where("email", "=ilike", email));
        }

        if (keys.Domain is { } domainName)
        {
            alternatives.Add(OdooDomain.Empty.Where("website", "ilike", domainName));
        }

        if (keys.Reference is { } reference)
        {
            alternatives.Add(OdooDomain.Empty.Where("ref", "=", reference));
        }

        var profile = await _client.GetProfileAsync(cancellationToken).ConfigureAwait(false);
        var fields = PartnerUpsert.FieldsFor(profile.Version.HasMobile);
        var domain = OdooDomain.Empty.Where("parent_id", "=", (string?)null).AnyOf(alternatives);
        var ids = await _client.ExecuteAsync(_calls.Search(PartnerModel, domain, limit: 50, order: "id asc"), OdooJsonContext.Default.Int64Array, "find", cancellationToken).ConfigureAwait(false);
        if (ids.Length == 0)
        {
            return [];
        }

        var trees = await _changes.ReadTreesAsync(ids, fields, cancellationToken).ConfigureAwait(false);
        return [.. ids.Where(trees.ContainsKey).Select(id => trees[id]).OrderByDescending(c => Score(c, keys))];
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

    private static int Score(CanonicalCustomer customer, MatchKeys keys)
    {
        var score = 0;
        if (!keys.TaxIds.IsDefaultOrEmpty && customer.TaxIds.Any(t => keys.TaxIds.Any(k => k.Value == t.Value && k.Country == t.Country)))
        {
            score += 8;
        }

        if (!keys.Emails.IsDefaultOrEmpty && customer.Emails.Any(e => keys.Emails.Contains(e.Address)))
        {
            score += 4;
        }

        if (keys.Domain is not null && customer.Domain == keys.Domain)
        {
            score += 2;
        }

        if (keys.Reference is not null && customer.CustomAttributes.TryGetValue(Mapping.PartnerMapper.ReferenceAttribute, out var reference) && reference == keys.Reference)
        {
            score += 1;
        }

        return score;
    }
}
