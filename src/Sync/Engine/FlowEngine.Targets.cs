using System.Collections.Immutable;
using System.Diagnostics;
using Concord.Canonical;
using Concord.Canonical.Connectors;
using Concord.Canonical.Diagnostics;
using Concord.Canonical.Errors;
using Concord.Canonical.Idempotency;
using Concord.Canonical.Serialization;
using Concord.Sync.Audit;
using Concord.Sync.Diagnostics;
using Concord.Sync.Flows;
using Concord.Sync.Idempotency;
using Concord.Sync.Ownership;

namespace Concord.Sync.Engine;

/// <summary>The per-target half of the engine: plan each record's write, then write in batches of the target's size.</summary>
internal sealed partial class FlowEngine
{
    private async Task WriteTargetAsync(string target, ICustomerConnector connector, List<RecordWork> works, RunState run, CancellationToken cancellationToken)
    {
        if (works.Count == 0)
        {
            return;
        }

        if (CheckPause(target, connector, run) is { } pause)
        {
            Wait(target, pause, works, run);
            return;
        }

        // Plan in phases so that store calls go per page (one round trip each) and vendor reads stay per record.
        List<PlannedWrite> writes;
        try
        {
            var plans = await ReadCurrentAsync(target, connector, works, run, cancellationToken).ConfigureAwait(false);
            await SkipCompletedCreatesAsync(target, plans, run, cancellationToken).ConfigureAwait(false);
            await MatchAsync(target, connector, plans, run, cancellationToken).ConfigureAwait(false);
            writes = await ClaimAsync(target, plans, run, cancellationToken).ConfigureAwait(false);
        }
        catch (TargetDownException down)
        {
            await TargetUnavailableAsync(target, down.Error, Pending(works, target), [], run, cancellationToken).ConfigureAwait(false);
            return;
        }

        var batchSize = Math.Max(1, connector.Capabilities.MaxBatchSize);
        var released = 0;
        try
        {
            await WriteBatchesAsync(target, connector, works, writes, batchSize, run, offset => released = offset, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // Give back the claims not written yet, so that the next run need not wait for their leases.
            foreach (var write in writes.Skip(released))
            {
                await ReleaseClaimAsync(write, "cancelled", CancellationToken.None).ConfigureAwait(false);
            }

            throw;
        }

        TargetAnswered(target, run);
    }

    private async Task WriteBatchesAsync(string target, ICustomerConnector connector, List<RecordWork> works, List<PlannedWrite> writes, int batchSize, RunState run, Action<int> progress, CancellationToken cancellationToken)
    {
        for (var offset = 0; offset < writes.Count; offset += batchSize)
        {
            progress(offset);
            var batch = writes.GetRange(offset, Math.Min(batchSize, writes.Count - offset));
            IReadOnlyList<UpsertResult> results;
            try
            {
                results = await CallAsync(target, "upsert-many", run, () => connector.UpsertManyAsync([.. batch.Select(w => w.Request)], cancellationToken), batch.Count).ConfigureAwait(false);
                if (results.Count != batch.Count)
                {
                    throw new ConcordException(ErrorCategory.ContractViolation, $"{target} returned {results.Count} results for {batch.Count} writes.") { System = target, Operation = "upsert-many" };
                }
            }
            catch (Exception exception) when (exception is not OperationCanceledException)
            {
                var error = Classify(exception, target, "upsert-many");
                if (PausesTarget(error.Category))
                {
                    var rest = writes.Skip(offset).ToList();
                    await TargetUnavailableAsync(target, error, Pending(works, target), rest, run, cancellationToken).ConfigureAwait(false);
                    return;
                }

                foreach (var write in batch)
                {
                    await ReleaseClaimAsync(write, Reason(error), cancellationToken).ConfigureAwait(false);
                    write.Work.Fail(new RecordFailure(error.Category, Reason(error, write.Work), target, Retryable: false));
                }

                continue;
            }

            var completions = new List<IdempotencyCompletion>(batch.Count);
            for (var i = 0; i < batch.Count; i++)
            {
                if (results[i].IsSuccess)
                {
                    completions.Add(new IdempotencyCompletion(batch[i].Claim, new IdempotencyResult(results[i].ExternalId!, results[i].Outcome)));
                }
            }

            var lost = await _batch.CompleteManyAsync(completions, cancellationToken).ConfigureAwait(false);
            if (lost > 0)
            {
                Log.ClaimLost(_logger, _flow, run.CorrelationId, target, $"{lost} claim(s) expired before completion");
            }

            for (var i = 0; i < batch.Count; i++)
            {
                await CompleteWriteAsync(batch[i], results[i], target, run, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    private static List<RecordWork> Pending(List<RecordWork> works, string target) =>
        [.. works.Where(w => w.IsActive && !w.Outcomes.Exists(o => string.Equals(o.Target, target, StringComparison.Ordinal)))];

    /// <summary>Phase 2: a create an earlier attempt completed (interrupted before its commit) is not written again.</summary>
    private async Task SkipCompletedCreatesAsync(string target, List<TargetPlan> plans, RunState run, CancellationToken cancellationToken)
    {
        if (run.ForceWrite)
        {
            return;
        }

        var creates = plans.Where(p => p.KnownId is null).ToList();
        var keys = new Dictionary<TargetPlan, IdempotencyKey>(creates.Count);
        foreach (var plan in creates)
        {
            plan.CreateMerge = Merge(plan.Work, null, target);
            plan.CreateFingerprint = CustomerFingerprint.Compute(plan.CreateMerge.Merged);
            keys[plan] = IdempotencyKey.Derive(_flow, target, plan.Work.CanonicalId!, plan.CreateFingerprint);
        }

        var records = await _batch.GetManyAsync([.. keys.Values.Distinct()], cancellationToken).ConfigureAwait(false);
        foreach (var (plan, key) in keys)
        {
            if (records.GetValueOrDefault(key) is { State: IdempotencyState.Completed, Result: { } stored })
            {
                var recovered = RecoveredOutcome(plan, target, stored);
                Record(plan.Work, run, new TargetOutcome(target, recovered, stored.ExternalId, false, recovered == AuditOutcome.Unchanged ? [] : plan.CreateMerge!.ChangedFields, plan.CreateMerge!.Refused));
                plan.Done = true;
            }
        }
    }

    /// <summary>Phase 4: merge by ownership, skip what the target already holds, and claim the remaining writes in one call.</summary>
    private async Task<List<PlannedWrite>> ClaimAsync(string target, List<TargetPlan> plans, RunState run, CancellationToken cancellationToken)
    {
        var pending = new List<(TargetPlan Plan, MergeResult Merge, UpsertRequest Request, string Fingerprint)>();
        foreach (var plan in plans.Where(p => !p.Done && p.Work.IsActive))
        {
            var reuse = plan.Current is null && plan.CreateMerge is not null;
            var merge = reuse ? plan.CreateMerge! : Merge(plan.Work, plan.Current, target);
            var merged = plan.KnownId is null ? merge.Merged : merge.Merged with { Provenance = merge.Merged.Provenance.WithExternalRef(new ExternalRef(target, plan.KnownId)) };
            if (plan.Current is not null && merge.ChangedFields.IsEmpty)
            {
                if (plan.Adopted)
                {
                    run.DuplicatesAvoided++;
                }

                Record(plan.Work, run, new TargetOutcome(target, AuditOutcome.Unchanged, plan.KnownId!, plan.Adopted, [], merge.Refused));
                continue;
            }

            // A repair rewrites content the key store may hold as written: its key is salted with the repair run.
            var fingerprint = (reuse && plan.KnownId is null ? plan.CreateFingerprint! : CustomerFingerprint.Compute(merged)) + (run.ForceWrite ? ":repair:" + run.CorrelationId : string.Empty);
            var key = IdempotencyKey.Derive(_flow, target, plan.Work.CanonicalId!, fingerprint);
            pending.Add((plan, merge, new UpsertRequest { Customer = merged, IdempotencyKey = key, KnownExternalId = plan.KnownId }, fingerprint));
        }

        var claims = await _batch.TryClaimManyAsync([.. pending.Select(p => new IdempotencyClaimRequest(p.Request.IdempotencyKey, p.Fingerprint))], _options.WriteLease, cancellationToken).ConfigureAwait(false);
        var writes = new List<PlannedWrite>(pending.Count);
        for (var i = 0; i < pending.Count; i++)
        {
            var (plan, merge, request, _) = pending[i];
            var claim = claims[i];
            switch (claim.Status)
            {
                case IdempotencyClaimStatus.AlreadyCompleted:
                    var recovered = RecoveredOutcome(plan, target, claim.Result!);
                    Record(plan.Work, run, new TargetOutcome(target, recovered, claim.Result!.ExternalId, plan.Adopted, recovered == AuditOutcome.Unchanged ? [] : merge.ChangedFields, merge.Refused));
                    break;
                case IdempotencyClaimStatus.HeldByAnother:
                    plan.Work.Fail(new RecordFailure(ErrorCategory.Transient, $"Another worker is writing this record to {target} (its claim holds until {claim.HeldUntil:O}).", target, Retryable: true) { CountsAsAttempt = false });
                    break;
                default:
                    writes.Add(new PlannedWrite(plan.Work, request, claim, merge, plan.Adopted));
                    break;
            }
        }

        return writes;
    }

    /// <summary>
    /// What a write whose key is already completed did, as this run must report it. When the identity map holds this
    /// source version's link to the target, the earlier run committed it: nothing changed. Otherwise that run wrote to
    /// the vendor and stopped before its commit (cancelled, killed): its stored outcome is reported, so this run's commit
    /// still records the link, the audit entry and the customer event (at least once), without writing again.
    /// </summary>
    private static AuditOutcome RecoveredOutcome(TargetPlan plan, string target, IdempotencyResult stored)
    {
        var link = plan.Work.Entry?.LinkTo(target);
        if (link is not null && link.ExternalId == stored.ExternalId && link.Fingerprint == plan.Work.SourceFingerprint)
        {
            return AuditOutcome.Unchanged;
        }

        return stored.Outcome switch
        {
            UpsertOutcome.Created when !plan.Adopted => AuditOutcome.Created,
            UpsertOutcome.Unchanged => AuditOutcome.Unchanged,
            _ => AuditOutcome.Updated,
        };
    }

    /// <summary>A vendor read for one record: a record-level failure fails the record (null returned), a system-level one takes the target down.</summary>
    private Task CompleteWriteAsync(PlannedWrite write, UpsertResult result, string target, RunState run, CancellationToken cancellationToken)
    {
        if (!result.IsSuccess)
        {
            var error = result.Error;
            var reason = Reason(error, write.Work);
            write.Work.Fail(new RecordFailure(error.Category, reason, target, Retryable: IsTargetLevel(error.Category)));
            return ReleaseClaimAsync(write, reason, cancellationToken);
        }

        var outcome = result.Outcome switch
        {
            UpsertOutcome.Created when !write.Adopted => AuditOutcome.Created,
            UpsertOutcome.Unchanged => AuditOutcome.Unchanged,
            _ => AuditOutcome.Updated,
        };
        if (write.Adopted)
        {
            run.DuplicatesAvoided++;
        }

        Record(write.Work, run, new TargetOutcome(target, outcome, result.ExternalId, write.Adopted, outcome == AuditOutcome.Unchanged ? [] : write.Merge.ChangedFields, write.Merge.Refused));
        return Task.CompletedTask;
    }

    private async Task ReleaseClaimAsync(PlannedWrite write, string reason, CancellationToken cancellationToken)
    {
        try
        {
            await _idempotency.FailAsync(write.Claim, reason, CancellationToken.None).ConfigureAwait(false);
        }
        catch (ConcordException)
        {
            // The lease expires on its own; the next attempt claims the key again.
        }

        cancellationToken.ThrowIfCancellationRequested();
    }

    private void Record(RecordWork work, RunState run, TargetOutcome outcome)
    {
        work.Outcomes.Add(outcome);
        switch (outcome.Outcome)
        {
            case AuditOutcome.Created:
                run.Created++;
                break;
            case AuditOutcome.Updated:
                run.Updated++;
                break;
            default:
                run.Unchanged++;
                break;
        }

        run.Refused += outcome.Refused.Length;
        SyncTelemetry.FlowRecords.Add(1, Tags(_flow, outcome.Target, OutcomeName(outcome.Outcome)));
        if (outcome.Refused.Length > 0)
        {
            SyncTelemetry.RefusedChanges.Add(outcome.Refused.Length, new TagList { { ConcordTelemetry.FlowTag, _flow }, { ConcordTelemetry.SystemTag, outcome.Target } });
        }
    }

    private async Task<T> CallAsync<T>(string target, string operation, RunState run, Func<Task<T>> call, int? records = null)
    {
        using var activity = SyncTelemetry.ActivitySource.StartActivity("concord.connector." + operation, ActivityKind.Client);
        if (activity is not null)
        {
            activity.SetTag(ConcordTelemetry.SystemTag, target);
            activity.SetTag(ConcordTelemetry.OperationTag, operation);
            activity.SetTag(ConcordTelemetry.FlowTag, _flow);
            activity.SetTag(ConcordTelemetry.CorrelationIdTag, run.CorrelationId);
            if (records is not null)
            {
                activity.SetTag("concord.batch.size", records.Value);
            }
        }

        try
        {
            var result = await call().ConfigureAwait(false);
            activity?.SetTag(ConcordTelemetry.OutcomeTag, "ok");
            run.AnsweredTargets.Add(target);
            return result;
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            var category = exception is ConcordException concord ? concord.Category.ToString() : exception.GetType().Name;
            activity?.SetStatus(ActivityStatusCode.Error, category);
            activity?.SetTag(ConcordTelemetry.ErrorCategoryTag, category);
            throw;
        }
    }

    private sealed record PlannedWrite(RecordWork Work, UpsertRequest Request, IdempotencyClaim Claim, MergeResult Merge, bool Adopted);

    /// <summary>What the engine knows about one record in one target while planning its write.</summary>
    private sealed class TargetPlan(RecordWork work)
    {
        public RecordWork Work { get; } = work;

        public CanonicalCustomer? Current { get; set; }

        public string? KnownId { get; set; }

        public bool Adopted { get; set; }

        /// <summary>The merge of a create (no current record) and its fingerprint, computed once.</summary>
        public MergeResult? CreateMerge { get; set; }

        public string? CreateFingerprint { get; set; }

        /// <summary>Handled without a write (an earlier attempt completed it).</summary>
        public bool Done { get; set; }
    }

    /// <summary>A system-level failure while planning: the target is unavailable for this run.</summary>
    private sealed class TargetDownException(ConcordException error) : Exception(error.Message, error)
    {
        public ConcordException Error { get; } = error;
    }
}
