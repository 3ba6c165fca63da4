
namespace Concord.Canonical.Connectors;

/// <summary>What a connector and its vendor can do, so that engines and hosts can plan without knowing the vendor.</summary>
public sealed record ConnectorCapabilities
{
    /// <summary>The vendor family (<c>odoo</c>, <c>salesforce</c>, <c>hubspot</c>, <c>zendesk</c>).</summary>
    public required string System { get; init; }

    /// <summary>The most records the vendor takes in one batch write.</summary>
    public required int MaxBatchSize { get; init; }

    /// <summary>Whether the vendor's batch answers keep input order (Salesforce collections do, HubSpot batch upserts do not). The connector returns input order either way.</summary>
    public required bool VendorBatchPreservesOrder { get; init; }

    /// <summary>Whether batch writes are asynchronous jobs the connector must poll (Zendesk <c>*_many</c>).</summary>
    public bool AsynchronousBatchWrites { get; init; }

    /// <summary>The field or mechanism a natural upsert keys on (<c>Concord_Id__c</c>, <c>ir.model.data</c>, <c>external_id</c>), or null when the vendor has none.</summary>
    public string? NativeUpsertKey { get; init; }

    /// <summary>The vendor's published request limit, which the client-side limiter is sized from.</summary>
    public required RateLimitDescription PublishedRateLimit { get; init; }

    /// <summary>
    /// The field groups the connector reads from and writes to its vendor; null (the default) means all of them. As a
    /// source, a group it does not carry keeps the target's value (its records are empty there because the vendor has no
    /// such field, not because someone cleared it); as a target, a group it does not carry is not merged, audited or
    /// counted as a change.
    /// </summary>
    public IReadOnlySet<CustomerField>? CarriedFields { get; init; }

    /// <summary>Whether the connector carries <paramref name="field"/> (see <see cref="CarriedFields"/>).</summary>
    /// <param name="field">The field group.</param>
    /// <returns>True when <see cref="CarriedFields"/> is null or holds the group.</returns>
    public bool Carries(CustomerField field) => CarriedFields?.Contains(field) ?? true;
}

/// <summary>A request limit: <see cref="Permits"/> requests per <see cref="Window"/>.</summary>
/// <param name="Permits">The requests allowed in one window.</param>
/// <param name="Window">The window.</param>
/// <param name="Description">Where the figure comes from, in words.</param>
public sealed record RateLimitDescription(int Permits, TimeSpan Window, string Description);
