using System.Collections.Immutable;
using System.Diagnostics;
using Concord.Audit;
using Concord.Canonical;
using Concord.Connectors;
using Concord.Diagnostics;
using Concord.Flows;
using Concord.Idempotency;
using Concord.Ownership;

namespace Concord.Sync.Internal;

/// <summary>The per-target half of the engine: plan each record's write, then write in batches of the target's size.</summary>
internal sealed partial class FlowEngine
{
    private async Task WriteTargetAsync(string target, ICustomerConnector connector, List<RecordWork> works, RunState run, CancellationToken cancellationToken)
    {
        if (works.Count == 0)
        {
            return;
        }

        if (run.UnavailableTargets.Contains(target))
        {
            foreach (var work in works)
            {
                work.Fail(new RecordFailure(ErrorCategory.Transient, $"{target} was unavailable earlier in this run.", target, Retryable: true));
            }

            return;
        }

        var writes = new List<PlannedWrite>(works.Count);
        var adopted = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i < works.Count; i++)
        {
            try
            {
                var write = await PlanAsync(works[i], target, connector, run, adopted, cancellationToken).ConfigureAwait(false);
                if (write is not null)
                {
                    writes.Add(write);
                }
            }
            catch (Exception exception) when (exception is not OperationCanceledException)
            {
                var error = Classify(exception, target, "read");
                if (!IsTargetLevel(error.Category))
                {
                    works[i].Fail(new RecordFailure(error.Category, Reason(error, works[i]), target, Retryable: false));
                    continue;
                }

                await TargetUnavailableAsync(target, error, [.. writes.Select(w => w.Work), .. works.Skip(i)], writes, run, cancellationToken).ConfigureAwait(false);
                return;
            }
        }

        var batchSize = Math.Max(1, connector.Capabilities.MaxBatchSize);
        for (var offset = 0; offset < writes.Count; offset += batchSize)
        {
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
                if (IsTargetLevel(error.Category))
                {
                    var rest = writes.Skip(offset).ToList();
                    await TargetUnavailableAsync(target, error, [.. rest.Select(w => w.Work)], rest, run, cancellationToken).ConfigureAwait(false);
                    return;
                }

                foreach (var write in batch)
                {
                    await ReleaseClaimAsync(write, Reason(error), cancellationToken).ConfigureAwait(false);
                    write.Work.Fail(new RecordFailure(error.Category, Reason(error, write.Work), target, Retryable: false));
                }

                continue;
            }

            for (var i = 0; i < batch.Count; i++)
            {
                await CompleteWriteAsync(batch[i], results[i], target, run, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    private async Task<PlannedWrite?> PlanAsync(RecordWork work, string target, ICustomerConnector connector, RunState run, Dictionary<string, string> adoptedInPage, CancellationToken cancellationToken)
    {
        var customer = work.Customer!;
        var canonicalId = work.CanonicalId!;
        var link = work.Entry?.LinkTo(target);
        if (!run.ForceWrite && link is not null && string.Equals(link.Fingerprint, work.SourceFingerprint, StringComparison.Ordinal))
        {
            Record(work, run, new TargetOutcome(target, AuditOutcome.Unchanged, link.ExternalId, false, [], []));
            return null;
        }

        var knownId = link?.ExternalId;
        CanonicalCustomer? current = null;
        var adopted = false;
        if (knownId is not null)
        {
            current = await CallAsync(target, "get", run, () => connector.GetAsync(knownId, cancellationToken)).ConfigureAwait(false);
            knownId = current is null ? null : knownId;
        }
        else if (customer.Provenance.ExternalIdIn(target) is { } referenced)
        {
            current = await CallAsync(target, "get", run, () => connector.GetAsync(referenced, cancellationToken)).ConfigureAwait(false);
            knownId = current is null ? null : referenced;
        }

        if (knownId is null && !run.ForceWrite)
        {
            // An earlier attempt (interrupted before its commit) may have created the record: its completed key says where.
            var create = OwnershipMerger.Merge(_options.Ownership, customer, _source, null, target);
            var createKey = IdempotencyKey.Derive(_flow, target, canonicalId, CustomerFingerprint.Compute(create.Merged));
            var earlier = await _idempotency.GetAsync(createKey, cancellationToken).ConfigureAwait(false);
            if (earlier is { State: IdempotencyState.Completed, Result: { } stored })
            {
                Record(work, run, new TargetOutcome(target, AuditOutcome.Unchanged, stored.ExternalId, false, [], []));
                return null;
            }

        }

        if (knownId is null)
        {
            var keys = MatchKeys.From(customer);
            if (!keys.IsEmpty)
            {
                var matches = await CallAsync(target, "find", run, () => connector.FindAsync(keys, cancellationToken)).ConfigureAwait(false);
                if (matches.Count > 1)
                {
                    work.Fail(new RecordFailure(ErrorCategory.Conflict, $"{matches.Count} {target} records match the record's tax id, domain or email; link one by hand.", target, Retryable: false));
                    return null;
                }

                if (matches.Count == 1)
                {
                    var matchId = matches[0].Provenance.ExternalIdIn(target);
                    if (matchId is null)
                    {
                        work.Fail(new RecordFailure(ErrorCategory.ContractViolation, $"{target} returned a match without its id.", target, Retryable: false));
                        return null;
                    }

                    var owner = adoptedInPage.GetValueOrDefault(matchId);
                    if (owner is null)
                    {
                        var linked = await _identityMap.ResolveAsync([new ExternalRef(target, matchId)], cancellationToken).ConfigureAwait(false);
                        owner = linked.GetValueOrDefault(new ExternalRef(target, matchId));
                    }

                    if (owner is not null && !string.Equals(owner, canonicalId, StringComparison.Ordinal))
                    {
                        run.DuplicatesAvoided++;
                        work.Fail(new RecordFailure(
                            ErrorCategory.Conflict,
                            $"Matches {target} record {matchId}, which belongs to canonical customer {owner}: a duplicate in {_source}; merge the duplicates there, then replay.",
                            target,
                            Retryable: false));
                        return null;
                    }

                    adoptedInPage[matchId] = canonicalId;
                    current = matches[0];
                    knownId = matchId;
                    adopted = true;
                }
            }
        }

        var merge = OwnershipMerger.Merge(_options.Ownership, customer, _source, current, target);
        var merged = knownId is null ? merge.Merged : merge.Merged with { Provenance = merge.Merged.Provenance.WithExternalRef(new ExternalRef(target, knownId)) };
        if (current is not null && merge.ChangedFields.IsEmpty)
        {
            if (adopted)
            {
                run.DuplicatesAvoided++;
            }

            Record(work, run, new TargetOutcome(target, AuditOutcome.Unchanged, knownId!, adopted, [], merge.Refused));
            return null;
        }

        // A repair rewrites content the key store may hold as written: its key is salted with the repair run.
        var fingerprint = CustomerFingerprint.Compute(merged) + (run.ForceWrite ? ":repair:" + run.CorrelationId : string.Empty);
        var key = IdempotencyKey.Derive(_flow, target, canonicalId, fingerprint);
        var claim = await _idempotency.TryClaimAsync(key, fingerprint, _options.WriteLease, cancellationToken).ConfigureAwait(false);
        switch (claim.Status)
        {
            case IdempotencyClaimStatus.AlreadyCompleted:
                Record(work, run, new TargetOutcome(target, AuditOutcome.Unchanged, claim.Result!.ExternalId, adopted, [], merge.Refused));
                return null;
            case IdempotencyClaimStatus.HeldByAnother:
                work.Fail(new RecordFailure(ErrorCategory.Transient, $"Another worker is writing this record to {target}.", target, Retryable: true));
                return null;
            default:
                return new PlannedWrite(work, new UpsertRequest { Customer = merged, IdempotencyKey = key, KnownExternalId = knownId }, claim, merge, adopted);
        }
    }

    private async Task CompleteWriteAsync(PlannedWrite write, UpsertResult result, string target, RunState run, CancellationToken cancellationToken)
    {
        if (!result.IsSuccess)
        {
            var error = result.Error;
            var reason = Reason(error, write.Work);
            await ReleaseClaimAsync(write, reason, cancellationToken).ConfigureAwait(false);
            write.Work.Fail(new RecordFailure(error.Category, reason, target, Retryable: IsTargetLevel(error.Category)));
            return;
        }

        try
        {
            await _idempotency.CompleteAsync(write.Claim, new IdempotencyResult(result.ExternalId, result.Outcome), cancellationToken).ConfigureAwait(false);
        }
        catch (ConcordException lost) when (lost.Category == ErrorCategory.Conflict)
        {
            Log.ClaimLost(_logger, _flow, run.CorrelationId, target, Reason(lost));
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
    }

    private async Task TargetUnavailableAsync(string target, ConcordException error, List<RecordWork> affected, List<PlannedWrite> claimed, RunState run, CancellationToken cancellationToken)
    {
        Log.TargetUnavailable(_logger, _flow, run.CorrelationId, target, error.Category, _options.WhenTargetUnavailable.ToString(), Reason(error));
        foreach (var write in claimed)
        {
            await ReleaseClaimAsync(write, Reason(error), cancellationToken).ConfigureAwait(false);
        }

        run.UnavailableTargets.Add(target);
        if (_options.WhenTargetUnavailable == TargetPolicy.Stop)
        {
            run.Stop($"{target} is unavailable ({error.Category}).");
            foreach (var work in affected)
            {
                work.Unhandled = true;
            }

            return;
        }

        foreach (var work in affected)
        {
            work.Fail(new RecordFailure(error.Category, Reason(error), target, Retryable: true));
        }
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
        ConcordMetrics.FlowRecords.Add(1, Tags(_flow, outcome.Target, OutcomeName(outcome.Outcome)));
        if (outcome.Refused.Length > 0)
        {
            ConcordMetrics.RefusedChanges.Add(outcome.Refused.Length, new TagList { { ConcordTelemetry.FlowTag, _flow }, { ConcordTelemetry.SystemTag, outcome.Target } });
        }
    }

    private async Task<T> CallAsync<T>(string target, string operation, RunState run, Func<Task<T>> call, int? records = null)
    {
        using var activity = ConcordTelemetry.ActivitySource.StartActivity("concord.connector." + operation, ActivityKind.Client);
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
}
