using System.Collections.Immutable;
using System.Globalization;
using Concord.Canonical;
using Concord.Canonical.Errors;
using Concord.Sync.Audit;
using Concord.Sync.Diagnostics;
using Concord.Sync.Storage;

namespace Concord.Sync.Engine;

/// <summary>
/// Write leases: writes to one (customer, target) are serialised across flows, workers and processes by a lease in the
/// <see cref="IWriteLedger"/>, taken for a whole wave in one call before the target is read, and settled with the wave's
/// commit. A write that may create a record also locks its match keys on the target, so that two customers with one tax
/// id, domain or email are never searched for and created at the same time: the second waits, then finds the first.
/// </summary>
internal sealed partial class FlowEngine
{
    /// <summary>Phase 2: take the lease of every planned link (and the match keys of possible creates) in one ledger call.</summary>
    private async Task<List<TargetPlan>> AcquireLeasesAsync(string target, List<TargetPlan> plans, RunState run, CancellationToken cancellationToken)
    {
        if (plans.Count == 0)
        {
            return plans;
        }

        var requests = plans.Select(p => new WriteLeaseRequest
        {
            CanonicalId = p.Work.CanonicalId!,
            Target = target,
            MatchKeys = p.Candidate is null ? LockKeys(p.Work.Customer!) : [],
        }).ToList();
        var since = _time.GetUtcNow();
        var leases = await _ledger.AcquireAsync(requests, _options.WriteLease, cancellationToken).ConfigureAwait(false);
        for (var i = 0; i < plans.Count; i++)
        {
            Take(plans[i], leases[i], target, run, requests[i].MatchKeys, since);
        }

        return [.. plans.Where(p => p.Work.IsActive)];
    }

    /// <summary>Phase 3: refuse a version older than the one the target last received from this source; complete a write whose commit was lost.</summary>
    private void CheckLedger(string target, List<TargetPlan> plans, RunState run)
    {
        foreach (var plan in plans)
        {
            var work = plan.Work;
            var written = plan.Entry?.VersionFrom(_source);
            if (!run.ForceWrite && written is not null && work.Version!.IsOlderThan(written))
            {
                var externalId = work.Entry?.LinkTo(target)?.ExternalId ?? plan.Pending?.ExternalId ?? plan.Candidate ?? string.Empty;
                Record(work, run, new TargetOutcome(target, AuditOutcome.Superseded, externalId, false, [], [])
                {
                    Detail = string.Create(CultureInfo.InvariantCulture, $"Version {work.Version.SourceVersion} of the {_source} record is older than version {written.SourceVersion}, which {target} last received; not written."),
                });
                plan.Done = true;
                continue;
            }

            if (plan.Pending is not { } pending)
            {
                continue;
            }

            // The same logical write was made and answered, and its commit was lost (cancelled, killed, failed commit):
            // report it as it happened, without writing again.
            if (!run.ForceWrite && pending is { Result: { } result, ExternalId: { } id } && IsSameWrite(pending, work))
            {
                var outcome = pending.PlannedOutcome == AuditOutcome.Created ? AuditOutcome.Created
                    : result == Canonical.Connectors.UpsertOutcome.Unchanged ? AuditOutcome.Unchanged
                    : AuditOutcome.Updated;
                if (pending.Adopted)
                {
                    run.DuplicatesAvoided++;
                }

                Record(work, run, new TargetOutcome(target, outcome, id, pending.Adopted, outcome == AuditOutcome.Unchanged ? [] : pending.ChangedFields, []));
                plan.Lease!.Commit(work.Version!, pending.Payload);
                plan.Done = true;
                continue;
            }

            plan.Candidate ??= pending.ExternalId;
        }
    }

    /// <summary>Takes over another customer's record for a record that joins it: the lease of the other customer's link, one call for the wave.</summary>
    private async Task<List<(TargetPlan Plan, WriteLease Lease, DateTimeOffset Since)>> AcquireJoinLeasesAsync(string target, List<(TargetPlan Plan, string Owner)> joins, CancellationToken cancellationToken)
    {
        if (joins.Count == 0)
        {
            return [];
        }

        var since = _time.GetUtcNow();
        var leases = await _ledger.AcquireAsync([.. joins.Select(j => new WriteLeaseRequest { CanonicalId = j.Owner, Target = target })], _options.WriteLease, cancellationToken).ConfigureAwait(false);
        return [.. joins.Select((j, i) => (j.Plan, leases[i], since))];
    }

    /// <summary>
    /// The fence before a vendor call: leases of the batch with less than half their time left are renewed now (the wave's
    /// <see cref="LeaseKeeper"/> renews them on a timer too, while the call lasts), and a write whose lease another writer
    /// took over is not made: it is deferred, its intent left for that writer to complete.
    /// </summary>
    private async Task<List<PlannedWrite>> FenceAsync(string target, List<PlannedWrite> batch, RunState run, CancellationToken cancellationToken)
    {
        if (run.Leases is not { } keeper)
        {
            return batch;
        }

        await keeper.EnsureAsync([.. batch.Select(w => w.Plan.Lease!)], cancellationToken).ConfigureAwait(false);
        if (!batch.Exists(w => w.Plan.Lease!.Lost))
        {
            return batch;
        }

        var kept = new List<PlannedWrite>(batch.Count);
        foreach (var write in batch)
        {
            if (!write.Plan.Lease!.Lost)
            {
                kept.Add(write);
                continue;
            }

            write.Plan.Work.Fail(new RecordFailure(ErrorCategory.Transient, $"The write lease on {target} was lost to another writer before the write; not written.", target, Retryable: true) { CountsAsAttempt = false });
        }

        return kept;
    }

    private void Take(TargetPlan plan, WriteLease lease, string target, RunState run, System.Collections.Immutable.ImmutableArray<string> matchKeys, DateTimeOffset since)
    {
        if (lease.Status != WriteLeaseStatus.Acquired)
        {
            var holder = string.Equals(lease.HeldBy, plan.Work.CanonicalId, StringComparison.Ordinal) ? "this customer" : "a customer with the same tax id, domain or email";
            plan.Work.Fail(new RecordFailure(
                ErrorCategory.Transient,
                string.Create(CultureInfo.InvariantCulture, $"Another writer is writing {holder} to {target} (its lease holds until {lease.HeldUntil:O})."),
                target,
                Retryable: true)
            { CountsAsAttempt = false });
            Log.LeaseHeld(_logger, _flow, run.CorrelationId, target, lease.HeldUntil);
            return;
        }

        plan.Lease = new HeldLease(lease.CanonicalId, target, lease.Token, matchKeys, since + _options.WriteLease);
        plan.Work.Leases.Add(plan.Lease);
        run.Leases?.Add(plan.Lease);
        plan.Entry = lease.Entry;
    }

    /// <summary>Gives back every lease of <paramref name="works"/> not settled by a commit (a failed or cancelled wave); their intents stay.</summary>
    private async Task ReleaseLeasesAsync(IEnumerable<RecordWork> works)
    {
        var settlements = works.SelectMany(w => w.Leases).Select(l => l.ToSettlement(released: true)).ToList();
        if (settlements.Count == 0)
        {
            return;
        }

        try
        {
            await _ledger.SettleAsync(settlements, CancellationToken.None).ConfigureAwait(false);
        }
        catch (ConcordException)
        {
            // The leases expire on their own; the next writer of each link then completes its intent.
        }
    }

    /// <summary>The match keys a create locks on a target: tax id with its country, domain, emails (normalised, as matching uses them).</summary>
    internal static ImmutableArray<string> LockKeys(CanonicalCustomer customer)
    {
        var keys = ImmutableArray.CreateBuilder<string>(customer.TaxIds.Length + customer.Emails.Length + 1);
        foreach (var taxId in customer.TaxIds)
        {
            keys.Add("tax:" + taxId.Country + ":" + taxId.Value);
        }

        if (!string.IsNullOrEmpty(customer.Domain))
        {
            keys.Add("domain:" + customer.Domain);
        }

        foreach (var email in customer.Emails)
        {
            keys.Add("email:" + email.Address);
        }

        return keys.Distinct(StringComparer.Ordinal).ToImmutableArray();
    }
}
