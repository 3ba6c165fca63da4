using System.Collections.Immutable;
using System.Globalization;
using System.Text.Json;
using Concord.Canonical;
using Concord.Canonical.Connectors;
using Concord.Canonical.Errors;
using Concord.Canonical.Idempotency;
using Concord.Canonical.Serialization;
using Concord.Sync.Audit;
using Concord.Sync.Diagnostics;
using Concord.Sync.Identity;
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
    /// <summary>
    /// Phase 5: merge by ownership, settle what needs no write, and build the intent and request of every write. An
    /// interrupted write of another version or flow whose effect is visible goes to <paramref name="completions"/>: it is
    /// reported as the write it was (see <see cref="CompleteInterruptedAsync"/>), not folded into this one.
    /// </summary>
    private List<PlannedWrite> PlanWrites(string target, List<TargetPlan> plans, RunState run, List<TargetPlan> completions)
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

            if (previous is not null && previousApplied && !IsSameWrite(previous, work) && previous.Result != UpsertOutcome.Unchanged)
            {
                // Another logical write (an older version, or another flow's) reached the target and was never committed:
                // it is completed on its own, before this write, with its own audit entry and event.
                completions.Add(plan);
                previous = null;
                previousCreated = false;
                previousApplied = false;
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

    /// <summary>
    /// Completes, in one commit before the wave's intents are recorded, the interrupted writes <see cref="PlanWrites"/> found
    /// applied: each gets the audit entry and event it would have had (its flow, source, outcome, fields and record), its
    /// target link when it created the record, and a <see cref="WriteSettlementKind.Completed"/> settlement that records its
    /// version and clears its intent while this writer keeps the lease.
    /// </summary>
    private async Task CompleteInterruptedAsync(string target, List<TargetPlan> completions, RunState run, CancellationToken cancellationToken)
    {
        if (completions.Count == 0)
        {
            return;
        }

        var now = _time.GetUtcNow();
        var changes = new StateChangeSetBuilder();
        foreach (var plan in completions)
        {
            var intent = plan.Pending!;
            var work = plan.Work;
            var (written, changedFields) = WhatTheTargetTook(intent, Parse(intent.Payload) ?? work.Customer!, plan.Current);
            var source = intent.Version.SourceSystem;
            var sourceId = written.Provenance.ExternalIdIn(source) ?? (string.Equals(source, _source, StringComparison.Ordinal) ? work.Incoming.SourceExternalId : null);
            var externalId = intent.ExternalId ?? plan.KnownId ?? string.Empty;
            var link = work.Entry?.LinkTo(target);
            if (link is null || !string.Equals(link.ExternalId, externalId, StringComparison.Ordinal))
            {
                changes.IdentityLinks.Add(new IdentityLink { CanonicalId = work.CanonicalId!, System = target, ExternalId = externalId, Fingerprint = intent.Version.SourceFingerprint, UpdatedAt = now });
            }

            changes.AuditEntries.Add(new AuditEntry
            {
                Id = Guid.CreateVersion7(now).ToString("N"),
                At = now,
                Flow = intent.Flow,
                SourceSystem = source,
                SourceExternalId = sourceId,
                TargetSystem = target,
                TargetExternalId = externalId,
                CanonicalId = work.CanonicalId,
                Actor = written.Provenance.Actor ?? _options.Actor,
                CorrelationId = run.CorrelationId,
                Outcome = intent.PlannedOutcome,
                FieldsChanged = changedFields,
                Detail = string.Create(CultureInfo.InvariantCulture, $"Interrupted write of version {intent.Version.SourceVersion} (flow {intent.Flow}, recorded {intent.RecordedAt:O}), found applied at {target}; completed by flow {_flow}."),
            });
            changes.OutboxMessages.Add(CustomerEventWriter.Create(
                intent.Flow,
                run.CorrelationId,
                work.CanonicalId!,
                source,
                sourceId,
                [(target, externalId)],
                changedFields,
                written with { Provenance = written.Provenance with { CanonicalId = work.CanonicalId } },
                intent.PlannedOutcome == AuditOutcome.Created || intent.Adopted,
                now));
            if (intent.PlannedOutcome == AuditOutcome.Created || intent.Adopted)
            {
                // The completed write announced the customer; what this record writes next is an update of it.
                work.IsNewCustomer = false;
            }

            changes.WriteSettlements.Add(new WriteSettlement
            {
                CanonicalId = work.CanonicalId!,
                Target = target,
                LeaseToken = plan.Lease!.Token,
                Kind = WriteSettlementKind.Completed,
                Version = intent.Version,
                Payload = intent.Payload,
            });
        }

        await _committer.CommitAsync(changes.Build(), cancellationToken).ConfigureAwait(false);
        Log.WritesCompleted(_logger, _flow, run.CorrelationId, target, completions.Count);
    }

    /// <summary>
    /// What an interrupted write left at the target: the record it meant to write, with every field group it changed but
    /// that does not show at the target (a create saved without its contacts, a write cut off half-way) taken as the target
    /// holds it, and the groups that show. Its audit entry and event announce this, never a value the target did not take;
    /// a write the vendor answered as created or updated is taken whole.
    /// </summary>
    private static (CanonicalCustomer Written, ImmutableArray<string> Changed) WhatTheTargetTook(WriteIntent intent, CanonicalCustomer intended, CanonicalCustomer? current)
    {
        if (current is null || intent.Result is UpsertOutcome.Created or UpsertOutcome.Updated)
        {
            return (intended, intent.ChangedFields);
        }

        var written = intended;
        var changed = ImmutableArray.CreateBuilder<string>(intent.ChangedFields.Length);
        foreach (var field in intent.ChangedFields)
        {
            if (!Enum.TryParse<CustomerField>(field, out var group) || CustomerFields.Same(group, current, intended))
            {
                changed.Add(field);
                continue;
            }

            written = CustomerFields.Copy(group, written, current);
        }

        return (written, changed.ToImmutable());
    }

    /// <summary>Whether an interrupted intent is the very write <paramref name="work"/> is about to make: this flow, this source version and content.</summary>
    private bool IsSameWrite(WriteIntent intent, RecordWork work) =>
        string.Equals(intent.Flow, _flow, StringComparison.Ordinal)
        && string.Equals(intent.Version.SourceSystem, work.Version!.SourceSystem, StringComparison.Ordinal)
        && string.Equals(intent.Version.SourceVersion, work.Version.SourceVersion, StringComparison.Ordinal)
        && string.Equals(intent.Version.SourceFingerprint, work.Version.SourceFingerprint, StringComparison.Ordinal);

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
