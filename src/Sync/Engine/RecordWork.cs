using System.Collections.Immutable;
using Concord.Canonical;
using Concord.Canonical.Errors;
using Concord.Sync.Audit;
using Concord.Sync.DeadLetters;
using Concord.Sync.Flows;
using Concord.Sync.Identity;
using Concord.Sync.Ownership;
using Concord.Sync.Storage;

namespace Concord.Sync.Engine;

/// <summary>The engine's working state for one record of a page.</summary>
internal sealed class RecordWork(IncomingRecord incoming, int index, string deadLetterId)
{
    public IncomingRecord Incoming { get; } = incoming;

    /// <summary>The position in the page (feed order).</summary>
    public int Index { get; } = index;

    public string DeadLetterId { get; } = deadLetterId;

    public DeadLetter? Previous { get; set; }

    /// <summary>The normalised record, with its canonical id once resolved.</summary>
    public CanonicalCustomer? Customer { get; set; }

    public string? CanonicalId { get; set; }

    public bool IsNewCustomer { get; set; }

    public IdentityEntry? Entry { get; set; }

    public string? SourceFingerprint { get; set; }

    /// <summary>The source version this record is (set with <see cref="SourceFingerprint"/>): what writes of it carry and are ordered by.</summary>
    public WrittenVersion? Version { get; set; }

    /// <summary>The write leases this record holds, one per target, settled with its commit.</summary>
    public List<HeldLease> Leases { get; } = [];

    public RecordFailure? Failure { get; private set; }

    /// <summary>Not handled in this run (a target was unavailable under the Stop policy): nothing is committed for it.</summary>
    public bool Unhandled { get; set; }

    /// <summary>A deletion: read, not propagated.</summary>
    public bool Skipped { get; set; }

    public List<TargetOutcome> Outcomes { get; } = [];

    public bool IsActive => Failure is null && !Unhandled && !Skipped;

    public void Fail(RecordFailure failure) => Failure ??= failure;

    public RecordResult ToResult()
    {
        var targets = Outcomes.Select(o => new TargetResult(o.Target, o.Outcome, o.ExternalId, o.Adopted)).ToList();
        if (Failure is { } failure && failure.Target is not null)
        {
            targets.Add(new TargetResult(failure.Target, failure.Outcome, null, false, failure.Category, failure.Reason));
        }

        var outcome = Failure?.Outcome
            ?? (Outcomes.Any(o => o.Outcome == AuditOutcome.Created) ? AuditOutcome.Created
                : Outcomes.Any(o => o.Outcome == AuditOutcome.Updated) ? AuditOutcome.Updated : AuditOutcome.Unchanged);
        return new RecordResult
        {
            SourceExternalId = Incoming.SourceExternalId,
            CanonicalId = CanonicalId,
            Outcome = outcome,
            Targets = [.. targets],
            Refused = [.. Outcomes.SelectMany(o => o.Refused)],
            DeadLetterId = Failure is null ? null : DeadLetterId,
            ErrorCategory = Failure?.Category,
            Reason = Failure?.Reason,
        };
    }
}

/// <summary>What happened to a record in one target.</summary>
internal sealed record TargetOutcome(string Target, AuditOutcome Outcome, string ExternalId, bool Adopted, ImmutableArray<string> Changed, ImmutableArray<RefusedChange> Refused)
{
    /// <summary>Why, when the audit entry should say more than the outcome (a superseded version).</summary>
    public string? Detail { get; init; }
}

/// <summary>A write lease a record holds on one target, and how its commit settles it.</summary>
internal sealed class HeldLease(string canonicalId, string target, Guid token, ImmutableArray<string> matchKeys, DateTimeOffset heldUntil)
{
    private long _heldUntilTicks = heldUntil.UtcTicks;
    private int _lost;

    public string CanonicalId { get; } = canonicalId;

    public string Target { get; } = target;

    public Guid Token { get; } = token;

    /// <summary>The match keys locked with the lease.</summary>
    public ImmutableArray<string> MatchKeys { get; } = matchKeys;

    /// <summary>Until when the lease is known to hold (measured from before the call that took or renewed it).</summary>
    public DateTimeOffset HeldUntil => new(Interlocked.Read(ref _heldUntilTicks), TimeSpan.Zero);

    /// <summary>Another writer took the lease or one of its keys over: nothing more is written under it.</summary>
    public bool Lost => Volatile.Read(ref _lost) == 1;

    /// <summary>Records a renewal's answer (the renewal runs on a timer, concurrently with the wave).</summary>
    public void Renewed(bool held, DateTimeOffset until)
    {
        if (!held)
        {
            Volatile.Write(ref _lost, 1);
            return;
        }

        Interlocked.Exchange(ref _heldUntilTicks, until.UtcTicks);
    }

    public WriteLeaseRenewal ToRenewal() => new() { CanonicalId = CanonicalId, Target = Target, LeaseToken = Token, MatchKeys = MatchKeys };

    /// <summary>Released (the intent, if any, stays for the next writer) until the write is done or known not to have happened.</summary>
    public WriteSettlementKind Kind { get; set; } = WriteSettlementKind.Released;

    /// <summary>The version the target now has (committed only).</summary>
    public WrittenVersion? Version { get; set; }

    /// <summary>The record as written (committed only), canonical JSON; null keeps the stored one.</summary>
    public string? Payload { get; set; }

    public void Commit(WrittenVersion version, string? payload)
    {
        Kind = WriteSettlementKind.Committed;
        Version = version;
        Payload = payload;
    }

    public WriteSettlement ToSettlement(bool released = false) => new()
    {
        CanonicalId = CanonicalId,
        Target = Target,
        LeaseToken = Token,
        Kind = released ? WriteSettlementKind.Released : Kind,
        Version = released ? null : Version,
        Payload = released ? null : Payload,
    };
}

/// <summary>Why a record was deferred or dead-lettered.</summary>
/// <param name="Category">The error category.</param>
/// <param name="Reason">The reason, personal data masked.</param>
/// <param name="Target">The target it failed on, or null.</param>
/// <param name="Retryable">Deferred (true) or dead-lettered (false); a deferral out of attempts is dead-lettered at commit.</param>
internal sealed record RecordFailure(ErrorCategory Category, string Reason, string? Target, bool Retryable)
{
    /// <summary>Whether the failure uses up one of the record's delivery attempts (a write another worker holds does not).</summary>
    public bool CountsAsAttempt { get; init; } = true;

    /// <summary>Set at commit: deferred or dead-lettered.</summary>
    public AuditOutcome Outcome { get; set; } = Retryable ? AuditOutcome.Deferred : AuditOutcome.DeadLettered;
}
