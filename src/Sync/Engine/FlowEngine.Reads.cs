using Concord.Canonical;
using Concord.Canonical.Connectors;
using Concord.Canonical.Errors;
using Concord.Sync.Audit;
using Concord.Sync.Diagnostics;

namespace Concord.Sync.Engine;

/// <summary>
/// The reading half of a target's planning: the target's current records and the twins of new records, each read in
/// one batch call per chunk of the target's batch size (<see cref="ICustomerConnector.GetManyAsync"/>,
/// <see cref="ICustomerConnector.FindManyAsync"/>), not one call per record.
/// </summary>
internal sealed partial class FlowEngine
{
    /// <summary>Phase 4a: read the target's record of every plan whose target id is known, in one call per chunk of the batch size.</summary>
    private async Task ReadCurrentAsync(string target, ICustomerConnector connector, List<TargetPlan> plans, RunState run, CancellationToken cancellationToken)
    {
        var reads = plans.Where(p => !p.Done && p.Candidate is not null).ToList();
        foreach (var chunk in reads.Chunk(BatchSizeOf(connector)))
        {
            var current = await VendorReadManyAsync(
                [.. chunk.Select(p => p.Work)],
                target,
                run,
                "get",
                () => connector.GetManyAsync([.. chunk.Select(p => p.Candidate!)], cancellationToken),
                i => connector.GetAsync(chunk[i].Candidate!, cancellationToken)).ConfigureAwait(false);
            for (var i = 0; i < chunk.Length; i++)
            {
                chunk[i].Current = current[i];
                chunk[i].KnownId = current[i] is null ? null : chunk[i].Candidate;
            }
        }
    }

    /// <summary>
    /// Phase 4b: look for an existing twin of each new record in the target by its match keys (locked by this writer, so no
    /// other flow or process creates one meanwhile). A twin nobody owns is adopted, or recognised as this customer's own
    /// interrupted create; a twin owned by a customer another source brought is joined; one owned by another record of
    /// this flow's source is a duplicate in the source.
    /// </summary>
    private async Task MatchAsync(string target, ICustomerConnector connector, List<TargetPlan> plans, RunState run, CancellationToken cancellationToken)
    {
        var searches = plans
            .Where(p => !p.Done && p.Work.IsActive && p.KnownId is null)
            .Select(p => (Plan: p, Keys: MatchKeys.From(p.Work.Customer!)))
            .Where(s => !s.Keys.IsEmpty)
            .ToList();
        var found = new List<(TargetPlan Plan, IReadOnlyList<CanonicalCustomer> Matches)>(searches.Count);
        foreach (var chunk in searches.Chunk(BatchSizeOf(connector)))
        {
            var matches = await VendorReadManyAsync(
                [.. chunk.Select(s => s.Plan.Work)],
                target,
                run,
                "find",
                async () => await connector.FindManyAsync([.. chunk.Select(s => s.Keys)], cancellationToken).ConfigureAwait(false),
                async i => await connector.FindAsync(chunk[i].Keys, cancellationToken).ConfigureAwait(false)).ConfigureAwait(false);
            for (var i = 0; i < chunk.Length; i++)
            {
                if (matches[i] is { Count: > 0 } some)
                {
                    found.Add((chunk[i].Plan, some));
                }
            }
        }

        // Who already owns each single match, in one identity-map lookup for the page.
        var candidates = found
            .Where(f => f.Matches.Count == 1 && f.Matches[0].Provenance.ExternalIdIn(target) is not null)
            .Select(f => new ExternalRef(target, f.Matches[0].Provenance.ExternalIdIn(target)!))
            .ToHashSet();
        var owners = candidates.Count == 0
            ? new Dictionary<ExternalRef, string>()
            : await _identityMap.ResolveAsync(candidates, cancellationToken).ConfigureAwait(false);

        // Owners found by another customer: joined when that customer has no record in this flow's source, else duplicates.
        var others = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (plan, matches) in found)
        {
            if (matches.Count == 1 && matches[0].Provenance.ExternalIdIn(target) is { } id
                && owners.TryGetValue(new ExternalRef(target, id), out var owner) && !string.Equals(owner, plan.Work.CanonicalId, StringComparison.Ordinal))
            {
                others.Add(owner);
            }
        }

        var ownerEntries = others.Count == 0
            ? new Dictionary<string, Identity.IdentityEntry>(StringComparer.Ordinal)
            : await _identityMap.GetAsync([.. others], cancellationToken).ConfigureAwait(false);

        // In page order, so that of two records matching one target record the first adopts it and the second is a duplicate.
        var adoptedInPage = new Dictionary<string, string>(StringComparer.Ordinal);
        var joins = new List<(TargetPlan Plan, string Owner)>();
        var matched = new Dictionary<TargetPlan, (CanonicalCustomer Match, string Id)>();
        foreach (var (plan, matches) in found)
        {
            var work = plan.Work;
            if (matches.Count > 1)
            {
                work.Fail(new RecordFailure(ErrorCategory.Conflict, $"{matches.Count} {target} records match the record's tax id, domain or email; link one by hand.", target, Retryable: false));
                continue;
            }

            var matchId = matches[0].Provenance.ExternalIdIn(target);
            if (matchId is null)
            {
                work.Fail(new RecordFailure(ErrorCategory.ContractViolation, $"{target} returned a match without its id.", target, Retryable: false));
                continue;
            }

            var owner = adoptedInPage.GetValueOrDefault(matchId) ?? owners.GetValueOrDefault(new ExternalRef(target, matchId));
            if (owner is not null && !string.Equals(owner, work.CanonicalId, StringComparison.Ordinal))
            {
                if (CanJoin(work, ownerEntries.GetValueOrDefault(owner)))
                {
                    adoptedInPage[matchId] = owner;
                    joins.Add((plan, owner));
                    matched[plan] = (matches[0], matchId);
                    continue;
                }

                run.DuplicatesAvoided++;
                work.Fail(new RecordFailure(
                    ErrorCategory.Conflict,
                    $"Matches {target} record {matchId}, which belongs to canonical customer {owner}: a duplicate in {_source}; merge the duplicates there, then replay.",
                    target,
                    Retryable: false));
                continue;
            }

            adoptedInPage[matchId] = work.CanonicalId!;
            plan.Current = matches[0];
            plan.KnownId = matchId;

            // Nobody owns it: a record this customer's interrupted create made, or one Concord adopts.
            plan.OwnCreate = owner is null && plan.Pending is { PlannedOutcome: Audit.AuditOutcome.Created };
            plan.Adopted = owner is null;
        }

        foreach (var (plan, lease, since) in await AcquireJoinLeasesAsync(target, joins, cancellationToken).ConfigureAwait(false))
        {
            Join(plan, lease, since, ownerEntries[lease.CanonicalId], matched[plan], target, run);
        }
    }

    /// <summary>
    /// Whether a record may join the customer that owns its twin: that customer came from another source (it has no record
    /// in this flow's source), and this record has not been written anywhere as a customer of its own.
    /// </summary>
    private bool CanJoin(RecordWork work, Identity.IdentityEntry? owner) =>
        owner is not null && owner.LinkTo(_source) is null && work.Outcomes.Count == 0
        && (work.Entry is null || !_targets.Any(t => work.Entry.LinkTo(t.Key) is not null));

    /// <summary>The record becomes the owner's: its lease on the owner's link replaces its own (given back at commit), and it updates the twin.</summary>
    private void Join(TargetPlan plan, Storage.WriteLease lease, DateTimeOffset since, Identity.IdentityEntry owner, (CanonicalCustomer Match, string Id) twin, string target, RunState run)
    {
        Take(plan, lease, target, run, [], since);
        if (!plan.Work.IsActive)
        {
            return;
        }

        var work = plan.Work;
        work.CanonicalId = owner.CanonicalId;
        work.Entry = owner;
        work.IsNewCustomer = false;
        work.Customer = work.Customer! with { Provenance = work.Customer.Provenance with { CanonicalId = owner.CanonicalId } };
        plan.Current = twin.Match;
        plan.KnownId = twin.Id;
        plan.Adopted = true;
    }

    /// <summary>
    /// Reads for several records in one vendor call. A system-level failure makes the target unavailable; any other
    /// failure of the whole call (a record the vendor refuses to read, a wrong answer count) is retried one record at a
    /// time, so that only the record at fault fails.
    /// </summary>
    private async Task<T?[]> VendorReadManyAsync<T>(IReadOnlyList<RecordWork> works, string target, RunState run, string operation, Func<Task<IReadOnlyList<T?>>> many, Func<int, Task<T?>> one)
        where T : class
    {
        try
        {
            var results = await CallAsync(target, operation + "-many", run, many, works.Count).ConfigureAwait(false);
            if (results.Count != works.Count)
            {
                throw new ConcordException(ErrorCategory.ContractViolation, $"{target} returned {results.Count} answers for {works.Count} reads.") { System = target, Operation = operation + "-many" };
            }

            return [.. results];
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            var error = Classify(exception, target, operation + "-many");
            if (PausesTarget(error.Category))
            {
                throw new TargetDownException(error);
            }

            Log.BatchReadFellBack(_logger, _flow, run.CorrelationId, target, operation, works.Count, error.Category);
            var results = new T?[works.Count];
            for (var i = 0; i < works.Count; i++)
            {
                var index = i;
                results[i] = await VendorReadAsync(works[i], target, run, operation, () => one(index)).ConfigureAwait(false);
            }

            return results;
        }
    }

    private async Task<T?> VendorReadAsync<T>(RecordWork work, string target, RunState run, string operation, Func<Task<T?>> call)
        where T : class
    {
        try
        {
            return await CallAsync(target, operation, run, call).ConfigureAwait(false);
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            var error = Classify(exception, target, operation);
            if (IsTargetLevel(error.Category))
            {
                throw new TargetDownException(error);
            }

            work.Fail(new RecordFailure(error.Category, Reason(error, work), target, Retryable: false));
            return null;
        }
    }

    private static int BatchSizeOf(ICustomerConnector connector) => Math.Max(1, connector.Capabilities.MaxBatchSize);
}
