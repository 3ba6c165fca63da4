using System.Text.Json;
using Concord.Canonical;
using Concord.Canonical.Connectors;
using Concord.Canonical.Errors;
using Concord.Canonical.Idempotency;
using Concord.Canonical.Serialization;
using Concord.Sync.Audit;
using Concord.Sync.Diagnostics;
using Concord.Sync.Ownership;
using Concord.Sync.Storage;

namespace Concord.Sync.Engine;

/// <summary>
/// Write intents: before a vendor call the engine records, per record and in one ledger call, the merged record, the
/// target's record before the write, and the outcome and fields its audit entry and event will carry. A write interrupted
/// after that point (lost response, cancellation, crash, failed commit) is completed by the next writer of the link: when
/// its effect is visible at the target it is reported with its real outcome, and what Concord wrote never counts as a
/// newer competing edit in "most recent wins".
/// </summary>
internal sealed partial class FlowEngine
{
    /// <summary>Phase 5: merge by ownership, settle what needs no write, and build the intent and request of every write.</summary>
    private List<PlannedWrite> PlanWrites(string target, List<TargetPlan> plans, RunState run)
    {
        var writes = new List<PlannedWrite>(plans.Count);
        var recovered = 0;
        var now = _time.GetUtcNow();
        foreach (var plan in plans.Where(p => !p.Done && p.Work.IsActive))
        {
            var work = plan.Work;
            var previous = plan.Pending;
            var previousCreated = previous is { PlannedOutcome: AuditOutcome.Created } && (plan.Current is null || plan.OwnCreate || plan.KnownId == previous.ExternalId);
            var merge = Merge(work, plan.Current, target, OwnWritesFor(plan));
            var previousApplied = previous is not null && plan.Current is not null && (previousCreated || previous.Result is not null || IsVisible(previous, plan.Current));
            if (previous is not null)
            {
                recovered++;
            }

            var adopted = plan.Adopted && !plan.OwnCreate;
            var merged = plan.KnownId is null ? merge.Merged : merge.Merged with { Provenance = merge.Merged.Provenance.WithExternalRef(new ExternalRef(target, plan.KnownId)) };
            if (plan.Current is not null && merge.ChangedFields.IsEmpty)
            {
                // Nothing left to write; an interrupted earlier write whose effect is visible is what changed the target.
                var outcome = previousCreated ? AuditOutcome.Created : previousApplied ? previous!.PlannedOutcome : AuditOutcome.Unchanged;
                if (adopted)
                {
                    run.DuplicatesAvoided++;
                }

                Record(work, run, new TargetOutcome(target, outcome, plan.KnownId!, adopted, outcome == AuditOutcome.Unchanged ? [] : previous!.ChangedFields, merge.Refused));
                plan.Lease!.Commit(work.Version!, CanonicalJson.Serialize(merged));
                continue;
            }

            var changed = previousApplied ? [.. merge.ChangedFields.Union(previous!.ChangedFields, StringComparer.Ordinal)] : merge.ChangedFields;

            // A repair rewrites a version the target may already have been sent: its key is salted with the repair run.
            var version = work.Version!.SourceVersion + (run.ForceWrite ? ":repair:" + run.CorrelationId : string.Empty);
            var key = IdempotencyKey.Derive(_flow, target, work.CanonicalId!, version);
            var intent = new WriteIntent
            {
                CanonicalId = work.CanonicalId!,
                Target = target,
                LeaseToken = plan.Lease!.Token,
                Flow = _flow,
                Key = key,
                Version = work.Version,
                Payload = CanonicalJson.Serialize(merged),
                Before = previous is not null ? previous.Before : plan.Current is null ? null : CanonicalJson.Serialize(plan.Current),
                PlannedOutcome = plan.Current is null || previousCreated ? AuditOutcome.Created : AuditOutcome.Updated,
                Adopted = adopted,
                ChangedFields = changed,
                ExternalId = plan.KnownId,
                RecordedAt = now,
            };
            writes.Add(new PlannedWrite(plan, new UpsertRequest { Customer = merged, IdempotencyKey = key, KnownExternalId = plan.KnownId }, merge, intent, previousCreated, previousApplied));
        }

        if (recovered > 0)
        {
            Log.WritesRecovered(_logger, _flow, run.CorrelationId, target, recovered);
        }

        return writes;
    }

    /// <summary>Phase 6: record the intents, durably, before any vendor call; a write whose lease was lost meanwhile is not made.</summary>
    private async Task<List<PlannedWrite>> RecordIntentsAsync(string target, List<PlannedWrite> writes, CancellationToken cancellationToken)
    {
        if (writes.Count == 0)
        {
            return writes;
        }

        var recorded = await _ledger.RecordIntentsAsync([.. writes.Select(w => w.Intent)], cancellationToken).ConfigureAwait(false);
        var kept = new List<PlannedWrite>(writes.Count);
        for (var i = 0; i < writes.Count; i++)
        {
            if (recorded[i])
            {
                kept.Add(writes[i]);
                continue;
            }

            writes[i].Plan.Work.Fail(new RecordFailure(ErrorCategory.Transient, $"The write lease on {target} expired and another writer took it over; not written.", target, Retryable: true) { CountsAsAttempt = false });
        }

        return kept;
    }

    /// <summary>What Concord wrote to the plan's target record, read lazily (only when "most recent wins" has a difference to decide).</summary>
    private static OwnWrites? OwnWritesFor(TargetPlan plan)
    {
        var pending = plan.Pending;
        var written = plan.Entry?.WrittenPayload;
        if (plan.Current is null || (pending is null && written is null))
        {
            return null;
        }

        return new OwnWrites(
            () => Parse(pending?.Payload),
            () => Parse(written),
            () => Parse(pending?.Before),
            createdByConcord: pending is { PlannedOutcome: AuditOutcome.Created });
    }

    /// <summary>Whether an interrupted write's changes show at the target: any field group it changed holds the value it wrote.</summary>
    private static bool IsVisible(WriteIntent previous, CanonicalCustomer current)
    {
        if (Parse(previous.Payload) is not { } intended)
        {
            return false;
        }

        foreach (var field in previous.ChangedFields)
        {
            if (Enum.TryParse<CustomerField>(field, out var group) && !CustomerFields.IsEmpty(group, intended) && CustomerFields.Same(group, current, intended))
            {
                return true;
            }
        }

        return false;
    }

    private static CanonicalCustomer? Parse(string? payload)
    {
        if (payload is null)
        {
            return null;
        }

        try
        {
            return CanonicalJson.Deserialize(payload);
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
