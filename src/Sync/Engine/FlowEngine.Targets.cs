using System.Diagnostics;
using Concord.Canonical;
using Concord.Canonical.Connectors;
using Concord.Canonical.Diagnostics;
using Concord.Canonical.Errors;
using Concord.Sync.Audit;
using Concord.Sync.Diagnostics;
using Concord.Sync.Flows;
using Concord.Sync.Ownership;
using Concord.Sync.Storage;

namespace Concord.Sync.Engine;

/// <summary>
/// The per-target half of the engine. For the records of a wave: skip what the target already has, take the write leases
/// (<see cref="IWriteLedger"/>, one call), refuse versions older than the target's, read the target, find twins, merge,
/// record the intents (one call), write in batches of the target's size, and record what the vendor answered.
/// </summary>
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

        // Plan in phases so that state calls go per wave (one round trip each) and vendor reads per chunk of the batch size.
        List<PlannedWrite> writes;
        try
        {
            var plans = await SkipUnchangedAsync(target, works, run, cancellationToken).ConfigureAwait(false);
            plans = await AcquireLeasesAsync(target, plans, run, cancellationToken).ConfigureAwait(false);
            CheckLedger(target, plans, run);
            await ReadCurrentAsync(target, connector, plans, run, cancellationToken).ConfigureAwait(false);
            await MatchAsync(target, connector, plans, run, cancellationToken).ConfigureAwait(false);
            var completions = new List<TargetPlan>();
            writes = PlanWrites(target, plans, run, completions);
            await CompleteInterruptedAsync(target, completions, run, cancellationToken).ConfigureAwait(false);
            writes = await RecordIntentsAsync(target, writes, cancellationToken).ConfigureAwait(false);
        }
        catch (TargetDownException down)
        {
            TargetUnavailable(target, down.Error, Pending(works, target), run);
            return;
        }

        // A cancellation releases the wave's leases in ProcessPreparedAsync; their intents stay for the next writer to complete.
        await WriteBatchesAsync(target, connector, works, writes, BatchSizeOf(connector), run, cancellationToken).ConfigureAwait(false);
        TargetAnswered(target, run);
    }

    private async Task WriteBatchesAsync(string target, ICustomerConnector connector, List<RecordWork> works, List<PlannedWrite> writes, int batchSize, RunState run, CancellationToken cancellationToken)
    {
        for (var offset = 0; offset < writes.Count; offset += batchSize)
        {
            var batch = await FenceAsync(target, writes.GetRange(offset, Math.Min(batchSize, writes.Count - offset)), run, cancellationToken).ConfigureAwait(false);
            if (batch.Count == 0)
            {
                continue;
            }

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
                // The vendor may have applied any part of the call: every intent stays (its lease is released, not
                // settled), and the next writer of each record completes it with its real outcome.
                var error = Classify(exception, target, "upsert-many");
                if (PausesTarget(error.Category))
                {
                    TargetUnavailable(target, error, Pending(works, target), run);
                    return;
                }

                foreach (var write in batch)
                {
                    write.Plan.Work.Fail(new RecordFailure(error.Category, Reason(error, write.Plan.Work), target, Retryable: false));
                }

                continue;
            }

            var answered = new List<WriteResult>(batch.Count);
            for (var i = 0; i < batch.Count; i++)
            {
                if (results[i].IsSuccess)
                {
                    answered.Add(new WriteResult(batch[i].Intent.CanonicalId, target, batch[i].Intent.LeaseToken, results[i].ExternalId!, results[i].Outcome));
                }
            }

            if (answered.Count > 0)
            {
                await _ledger.RecordResultsAsync(answered, cancellationToken).ConfigureAwait(false);
            }

            for (var i = 0; i < batch.Count; i++)
            {
                CompleteWrite(batch[i], results[i], target, run);
            }
        }
    }

    private static List<RecordWork> Pending(List<RecordWork> works, string target) =>
        [.. works.Where(w => w.IsActive && !w.Outcomes.Exists(o => string.Equals(o.Target, target, StringComparison.Ordinal)))];

    /// <summary>
    /// Phase 1: a record whose content the target last received (the link's fingerprint) needs no lease, read or write,
    /// unless the link has a pending write: an interrupted write of another version (its answer, commit or process lost)
    /// may have put that version at the target since, so a revert to the linked content must still be written. The
    /// ledger is asked once for the wave. A record retried from a dead letter always goes on.
    /// </summary>
    private async Task<List<TargetPlan>> SkipUnchangedAsync(string target, List<RecordWork> works, RunState run, CancellationToken cancellationToken)
    {
        var plans = new TargetPlan?[works.Count];
        List<(int Index, string ExternalId)>? unchanged = null;
        for (var i = 0; i < works.Count; i++)
        {
            var work = works[i];
            var link = work.Entry?.LinkTo(target);
            if (!run.ForceWrite && work.Previous is null && link is not null && string.Equals(link.Fingerprint, work.SourceFingerprint, StringComparison.Ordinal))
            {
                (unchanged ??= []).Add((i, link.ExternalId));
                continue;
            }

            plans[i] = new TargetPlan(work, link?.ExternalId ?? work.Customer!.Provenance.ExternalIdIn(target));
        }

        if (unchanged is not null)
        {
            var pending = await _ledger.FindPendingAsync(target, [.. unchanged.Select(u => works[u.Index].CanonicalId!)], cancellationToken).ConfigureAwait(false);
            foreach (var (index, externalId) in unchanged)
            {
                var work = works[index];
                if (pending.Contains(work.CanonicalId!))
                {
                    plans[index] = new TargetPlan(work, externalId);
                    continue;
                }

                Record(work, run, new TargetOutcome(target, AuditOutcome.Unchanged, externalId, false, [], []));
            }
        }

        return [.. plans.OfType<TargetPlan>()];
    }

    private void CompleteWrite(PlannedWrite write, UpsertResult result, string target, RunState run)
    {
        var plan = write.Plan;
        if (!result.IsSuccess)
        {
            // The vendor answered for this record: nothing was applied, unless an earlier interrupted attempt was or the
            // vendor says it saved part of this one (MayHaveApplied). Then the intent stays, and the next writer completes
            // it with its real outcome, audit entry and event instead of finding "its own" record as a twin.
            var error = result.Error;
            plan.Work.Fail(new RecordFailure(error.Category, Reason(error, plan.Work), target, Retryable: IsTargetLevel(error.Category)));
            plan.Lease!.Kind = plan.Pending is null && !result.MayHaveApplied ? WriteSettlementKind.Abandoned : WriteSettlementKind.Released;
            return;
        }

        var outcome = write.PreviousCreated ? AuditOutcome.Created
            : result.Outcome == UpsertOutcome.Created && !write.Intent.Adopted ? AuditOutcome.Created
            : result.Outcome == UpsertOutcome.Unchanged ? (write.PreviousApplied ? plan.Pending!.PlannedOutcome : AuditOutcome.Unchanged)
            : AuditOutcome.Updated;
        if (write.Intent.Adopted)
        {
            run.DuplicatesAvoided++;
        }

        Record(plan.Work, run, new TargetOutcome(target, outcome, result.ExternalId, write.Intent.Adopted, outcome == AuditOutcome.Unchanged ? [] : write.Intent.ChangedFields, write.Merge.Refused));
        plan.Lease!.Commit(plan.Work.Version!, write.Intent.Payload);
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

    /// <summary>One write about to be made: its plan, the request, the merge and the intent recorded for it.</summary>
    /// <param name="Plan">The record's plan for this target.</param>
    /// <param name="Request">The vendor request.</param>
    /// <param name="Merge">The ownership merge.</param>
    /// <param name="Intent">The intent recorded before the vendor call.</param>
    /// <param name="PreviousCreated">An interrupted earlier attempt created the record (this write completes a create).</param>
    /// <param name="PreviousApplied">An interrupted earlier attempt's changes are visible at the target.</param>
    private sealed record PlannedWrite(TargetPlan Plan, UpsertRequest Request, MergeResult Merge, WriteIntent Intent, bool PreviousCreated, bool PreviousApplied);

    /// <summary>What the engine knows about one record in one target while planning its write.</summary>
    private sealed class TargetPlan(RecordWork work, string? knownId)
    {
        public RecordWork Work { get; } = work;

        /// <summary>The target id to read: the identity link's, the record's own reference, or an interrupted write's answer.</summary>
        public string? Candidate { get; set; } = knownId;

        public CanonicalCustomer? Current { get; set; }

        public string? KnownId { get; set; }

        /// <summary>Found by match keys: a record Concord did not link or create.</summary>
        public bool Adopted { get; set; }

        /// <summary>Found by match keys, and it is the record an interrupted create of this customer made.</summary>
        public bool OwnCreate { get; set; }

        /// <summary>The lease held on the link (null when none was taken).</summary>
        public HeldLease? Lease { get; set; }

        /// <summary>What the ledger held for the link when the lease was taken.</summary>
        public WriteLedgerEntry? Entry { get; set; }

        /// <summary>An earlier write of this link that was not committed (lost response, cancelled, killed).</summary>
        public WriteIntent? Pending => Entry?.Pending;

        /// <summary>Handled without a write.</summary>
        public bool Done { get; set; }
    }

    /// <summary>A system-level failure while planning: the target is unavailable for this run.</summary>
    private sealed class TargetDownException(ConcordException error) : Exception(error.Message, error)
    {
        public ConcordException Error { get; } = error;
    }
}
