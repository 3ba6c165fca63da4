using System.Diagnostics;
using Concord.Canonical;
using Concord.Canonical.Connectors;
using Concord.Canonical.Diagnostics;
using Concord.Canonical.Errors;
using Concord.Canonical.Serialization;
using Concord.Sync.Audit;
using Concord.Sync.Cursors;
using Concord.Sync.DeadLetters;
using Concord.Sync.Diagnostics;
using Concord.Sync.Identity;
using Concord.Sync.Storage;

namespace Concord.Sync.Engine;

/// <summary>The commit half of the engine: turn handled records into one <see cref="StateChangeSet"/>.</summary>
internal sealed partial class FlowEngine
{
    private async Task CommitAsync(List<RecordWork> works, CursorCheckpoint? checkpoint, RunState run, CancellationToken cancellationToken)
    {
        var now = _time.GetUtcNow();
        var changes = new StateChangeSetBuilder { Cursor = checkpoint, Lease = run.FeedLease };
        foreach (var work in works.OrderBy(w => w.Index))
        {
            AddRecord(changes, work, run, now);
        }

        if (changes.IsEmpty)
        {
            return;
        }

        try
        {
            await _committer.CommitAsync(changes.Build(), cancellationToken).ConfigureAwait(false);
        }
        catch (ConcordException conflict) when (conflict.Category == ErrorCategory.Conflict && conflict is not FeedLeaseLostException)
        {
            // One record's links conflict with stored ones: commit record by record so that only it is dead-lettered.
            Log.PageCommitConflict(_logger, _flow, run.CorrelationId, Reason(conflict));
            await CommitOneByOneAsync(works, checkpoint, run, now, cancellationToken).ConfigureAwait(false);
        }

        Log.PageCommitted(_logger, _flow, run.CorrelationId, works.Count, checkpoint is not null);
        if (checkpoint?.LastChangeAt is { } lastChangeAt)
        {
            Monitor.CaughtUp(_flow, lastChangeAt); // the concord.flow.cursor.lag gauge
        }
    }

    private async Task CommitOneByOneAsync(List<RecordWork> works, CursorCheckpoint? checkpoint, RunState run, DateTimeOffset now, CancellationToken cancellationToken)
    {
        foreach (var work in works.OrderBy(w => w.Index))
        {
            var single = new StateChangeSetBuilder { Lease = run.FeedLease };
            AddRecord(single, work, run, now, count: false);
            try
            {
                await _committer.CommitAsync(single.Build(), cancellationToken).ConfigureAwait(false);
            }
            catch (ConcordException conflict) when (conflict.Category == ErrorCategory.Conflict && conflict is not FeedLeaseLostException)
            {
                var failed = new RecordWork(work.Incoming, work.Index, work.DeadLetterId) { Previous = work.Previous, Customer = work.Customer, CanonicalId = work.CanonicalId };
                failed.Leases.AddRange(work.Leases);
                failed.Fail(new RecordFailure(ErrorCategory.Conflict, Reason(conflict), null, Retryable: false));
                var fallback = new StateChangeSetBuilder { Lease = run.FeedLease };
                AddRecord(fallback, failed, run, now);
                await _committer.CommitAsync(fallback.Build(), cancellationToken).ConfigureAwait(false);
            }
        }

        if (checkpoint is not null)
        {
            await _committer.CommitAsync(new StateChangeSet { Cursor = checkpoint, Lease = run.FeedLease }, cancellationToken).ConfigureAwait(false);
        }
    }

    private void AddRecord(StateChangeSetBuilder changes, RecordWork work, RunState run, DateTimeOffset now, bool count = true)
    {
        // Every lease the record took is settled with its commit, whatever became of the record.
        foreach (var lease in work.Leases)
        {
            changes.WriteSettlements.Add(lease.ToSettlement());
        }

        if (work.Skipped && !work.Unhandled && work.Incoming is { Kind: ChangeKind.Merged } merged)
        {
            // The loser's links stay as they are (the identity map holds one link per customer and system); the audit
            // says where it went, so an operator can merge its counterparts.
            changes.AuditEntries.Add(new AuditEntry
            {
                Id = Guid.CreateVersion7(now).ToString("N"),
                At = now,
                Flow = _flow,
                SourceSystem = _source,
                SourceExternalId = merged.SourceExternalId,
                Actor = merged.Customer?.Provenance.Actor ?? _options.Actor,
                CorrelationId = run.CorrelationId,
                Outcome = AuditOutcome.Unchanged,
                Detail = $"merged into {_source}:{merged.MergedIntoExternalId ?? "(unknown)"}; not propagated as a deletion",
            });
            return;
        }

        if (work.Unhandled)
        {
            return;
        }

        if (work.Skipped)
        {
            // A deletion in the source makes an open dead letter of the record moot.
            if (work.Previous is { Status: DeadLetterStatus.Deferred or DeadLetterStatus.DeadLettered })
            {
                changes.DeadLetterResolutions.Add(new DeadLetterResolution(work.DeadLetterId, DeadLetterStatus.Discarded, now));
            }

            return;
        }

        var actor = work.Customer?.Provenance.Actor ?? work.Incoming.Customer?.Provenance.Actor ?? _options.Actor;

        // Links: the source record and every target written (or found unchanged) with the source fingerprint, once the
        // record reached a target: a record that failed before any does not make its customer known.
        if (work.CanonicalId is { } canonicalId && work.Failure?.Category != ErrorCategory.Conflict && (work.Failure is null || work.Outcomes.Count > 0))
        {
            var sourceLink = work.Entry?.LinkTo(_source);
            if (sourceLink is null || !string.Equals(sourceLink.ExternalId, work.Incoming.SourceExternalId, StringComparison.Ordinal))
            {
                changes.IdentityLinks.Add(new IdentityLink { CanonicalId = canonicalId, System = _source, ExternalId = work.Incoming.SourceExternalId, UpdatedAt = now });
            }

            foreach (var outcome in work.Outcomes)
            {
                var link = work.Entry?.LinkTo(outcome.Target);
                if (link is null || link.ExternalId != outcome.ExternalId || link.Fingerprint != work.SourceFingerprint)
                {
                    changes.IdentityLinks.Add(new IdentityLink { CanonicalId = canonicalId, System = outcome.Target, ExternalId = outcome.ExternalId, Fingerprint = work.SourceFingerprint, UpdatedAt = now });
                }
            }
        }

        foreach (var outcome in work.Outcomes)
        {
            if (outcome.Outcome != AuditOutcome.Unchanged || outcome.Refused.Length > 0)
            {
                changes.AuditEntries.Add(new AuditEntry
                {
                    Id = Guid.CreateVersion7(now).ToString("N"),
                    At = now,
                    Flow = _flow,
                    SourceSystem = _source,
                    SourceExternalId = work.Incoming.SourceExternalId,
                    TargetSystem = outcome.Target,
                    TargetExternalId = outcome.ExternalId,
                    CanonicalId = work.CanonicalId,
                    Actor = actor,
                    CorrelationId = run.CorrelationId,
                    Outcome = outcome.Outcome,
                    FieldsChanged = outcome.Changed,
                    FieldsRefused = outcome.Refused,
                    Detail = outcome.Detail,
                });
            }
        }

        if (work.Failure is { } failure)
        {
            AddFailure(changes, work, failure, actor, run, now, count);
            return;
        }

        if (work.Previous is { Status: DeadLetterStatus.Deferred or DeadLetterStatus.DeadLettered })
        {
            changes.DeadLetterResolutions.Add(new DeadLetterResolution(work.DeadLetterId, DeadLetterStatus.Resolved, now));
        }

        if (work.Outcomes.Any(o => o.Outcome is AuditOutcome.Created or AuditOutcome.Updated))
        {
            changes.OutboxMessages.Add(CustomerEventWriter.Create(_flow, run.CorrelationId, work, _source, now));
        }
    }

    private void AddFailure(StateChangeSetBuilder changes, RecordWork work, RecordFailure failure, string actor, RunState run, DateTimeOffset now, bool count)
    {
        var previous = work.Previous is { Status: DeadLetterStatus.Deferred or DeadLetterStatus.DeadLettered } open ? open : null;
        var attempts = (previous?.Attempts ?? 0) + (failure.CountsAsAttempt ? 1 : 0);
        var reason = failure.Reason;
        if (failure.Retryable && failure.CountsAsAttempt && attempts >= _options.MaxDeliveryAttempts)
        {
            failure.Outcome = AuditOutcome.DeadLettered;
            reason = $"Gave up after {attempts} attempts: {reason}";
        }

        var payload = PayloadOf(work);
        changes.DeadLetters.Add(new DeadLetter
        {
            Id = work.DeadLetterId,
            Flow = _flow,
            SourceSystem = _source,
            SourceExternalId = work.Incoming.SourceExternalId,
            CanonicalId = work.CanonicalId,
            TargetSystem = failure.Target,
            Category = failure.Category,
            Reason = reason,
            Payload = payload,
            CorrelationId = run.CorrelationId,
            Status = failure.Outcome == AuditOutcome.Deferred ? DeadLetterStatus.Deferred : DeadLetterStatus.DeadLettered,
            Attempts = attempts,
            FirstFailedAt = previous?.FirstFailedAt ?? now,
            LastFailedAt = now,
        });
        changes.AuditEntries.Add(new AuditEntry
        {
            Id = Guid.CreateVersion7(now).ToString("N"),
            At = now,
            Flow = _flow,
            SourceSystem = _source,
            SourceExternalId = work.Incoming.SourceExternalId,
            TargetSystem = failure.Target,
            CanonicalId = work.CanonicalId,
            Actor = actor,
            CorrelationId = run.CorrelationId,
            Outcome = failure.Outcome,
            Detail = $"{failure.Category}: {reason}",
        });

        if (!count)
        {
            return;
        }

        var target = failure.Target ?? "-";
        if (failure.Outcome == AuditOutcome.Deferred)
        {
            run.Deferred++;
            Log.RecordDeferred(_logger, _flow, run.CorrelationId, _source, work.Incoming.SourceExternalId, target, failure.Category, attempts, reason);
        }
        else
        {
            run.DeadLettered++;
            SyncTelemetry.DeadLetters.Add(1, new TagList { { ConcordTelemetry.FlowTag, _flow }, { ConcordTelemetry.ErrorCategoryTag, failure.Category.ToString() } });
            Log.RecordDeadLettered(_logger, _flow, run.CorrelationId, _source, work.Incoming.SourceExternalId, target, failure.Category, reason);
        }

        SyncTelemetry.FlowRecords.Add(1, Tags(_flow, target, OutcomeName(failure.Outcome)));
    }
}
