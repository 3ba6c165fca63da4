using System.Collections.Immutable;
using Concord.Canonical;
using Concord.Canonical.Connectors;
using Concord.Canonical.Diagnostics;
using Concord.Canonical.Normalization;
using Concord.Sync.Diagnostics;
using Concord.Sync.Engine;
using Concord.Sync.Flows;
using Concord.Sync.Identity;
using Concord.Sync.Ownership;
using Microsoft.Extensions.Logging;

namespace Concord.Sync.Reconciliation.Internal;

/// <summary>
/// Reads a flow's source in full, compares each record with its counterpart in every target through the identity map,
/// and reports missing, extra and differing field groups; a repair feeds the drifted records through the engine with
/// forced writes (still keyed, so a repeated repair does not write twice).
/// </summary>
internal sealed class FlowReconciler(
    string flow,
    FlowOptions options,
    IReadOnlyList<KeyValuePair<string, ICustomerConnector>> targets,
    IIdentityMap identityMap,
    FlowEngine engine,
    TimeProvider time,
    ILogger logger)
{
    public async Task<ReconciliationReport> ReconcileAsync(ICustomerConnector source, ReconciliationOptions reconciliation, string correlationId, CancellationToken cancellationToken)
    {
        using var activity = SyncTelemetry.ActivitySource.StartActivity("concord.flow.reconcile");
        activity?.SetTag(ConcordTelemetry.FlowTag, flow);
        activity?.SetTag(ConcordTelemetry.CorrelationIdTag, correlationId);

        // The latest version of every source record (the feed may hold several).
        var latest = new Dictionary<string, CustomerChange>(StringComparer.Ordinal);
        var truncated = false;
        await foreach (var change in source.ReadChangesAsync(null, cancellationToken).ConfigureAwait(false))
        {
            if (change.Kind is ChangeKind.Deleted or ChangeKind.Merged)
            {
                latest.Remove(change.ExternalId);
                continue;
            }

            if (latest.Count >= reconciliation.MaxRecords && !latest.ContainsKey(change.ExternalId))
            {
                truncated = true;
                continue;
            }

            latest[change.ExternalId] = change;
        }

        var sourceSystem = options.Source!;
        var resolved = await identityMap.ResolveAsync([.. latest.Keys.Select(id => new ExternalRef(sourceSystem, id))], cancellationToken).ConfigureAwait(false);
        var entries = await identityMap.GetAsync([.. resolved.Values.Distinct(StringComparer.Ordinal)], cancellationToken).ConfigureAwait(false);

        var drift = ImmutableArray.CreateBuilder<DriftItem>();
        var toRepair = new List<IncomingRecord>();
        var compared = 0;
        foreach (var (externalId, change) in latest)
        {
            if (change.Customer is null || !CustomerNormalizer.TryNormalize(change.Customer, out var customer, out _))
            {
                continue; // invalid records are the dead-letter store's business
            }

            compared++;
            var canonicalId = resolved.GetValueOrDefault(new ExternalRef(sourceSystem, externalId));
            var entry = canonicalId is null ? null : entries.GetValueOrDefault(canonicalId);
            customer = customer with { Provenance = customer.Provenance with { SourceSystem = customer.Provenance.SourceSystem ?? sourceSystem, SourceModifiedAt = customer.Provenance.SourceModifiedAt ?? change.ModifiedAt } };
            var drifted = false;
            foreach (var (target, connector) in targets)
            {
                var link = entry?.LinkTo(target);
                var current = link is null ? null : await connector.GetAsync(link.ExternalId, cancellationToken).ConfigureAwait(false);
                if (current is null)
                {
                    drift.Add(new DriftItem(DriftKind.Missing, target, canonicalId, externalId, link?.ExternalId));
                    drifted = true;
                    continue;
                }

                var merge = OwnershipMerger.Merge(options.Ownership, customer, sourceSystem, current, target, source.Capabilities.CarriedFields, connector.Capabilities.CarriedFields);
                foreach (var field in merge.ChangedFields)
                {
                    drift.Add(new DriftItem(DriftKind.Differs, target, canonicalId, externalId, link!.ExternalId, field));
                    drifted = true;
                }
            }

            if (drifted)
            {
                toRepair.Add(new IncomingRecord(ChangeKind.Upserted, externalId, change.Customer, change.ModifiedAt, null));
            }
        }

        if (!truncated)
        {
            await foreach (var entry in identityMap.ListAsync(sourceSystem, cancellationToken).ConfigureAwait(false))
            {
                var sourceLink = entry.LinkTo(sourceSystem)!;
                if (latest.ContainsKey(sourceLink.ExternalId))
                {
                    continue;
                }

                foreach (var (target, _) in targets)
                {
                    if (entry.LinkTo(target) is { } orphan)
                    {
                        drift.Add(new DriftItem(DriftKind.Extra, target, entry.CanonicalId, sourceLink.ExternalId, orphan.ExternalId));
                    }
                }
            }
        }

        var repaired = 0;
        if (reconciliation.Repair && toRepair.Count > 0)
        {
            var run = new RunState(flow, correlationId, time.GetUtcNow()) { ForceWrite = true };
            var results = new List<Flows.RecordResult>(toRepair.Count);
            foreach (var page in toRepair.Chunk(options.PageSize))
            {
                await engine.ProcessPageAsync(page, run, results, cancellationToken).ConfigureAwait(false);
            }

            repaired = results.Count(r => r.Outcome is Audit.AuditOutcome.Created or Audit.AuditOutcome.Updated);
        }

        var report = new ReconciliationReport { Flow = flow, CorrelationId = correlationId, Compared = compared, Drift = drift.ToImmutable(), Repaired = repaired };
        Log.Reconciled(logger, flow, correlationId, compared, report.Drift.Length, repaired);
        return report;
    }
}
