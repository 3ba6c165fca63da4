using System.Collections.Immutable;
using Concord.Canonical.Connectors;
using Concord.Canonical.Idempotency;
using Concord.Sync.Audit;

namespace Concord.Sync.Storage;

/// <summary>A request for the lease of one link (customer, target).</summary>
public sealed record WriteLeaseRequest
{
    /// <summary>The customer's canonical id.</summary>
    public required string CanonicalId { get; init; }

    /// <summary>The target connector name.</summary>
    public required string Target { get; init; }

    /// <summary>
    /// The match keys to lock on the target with the lease (<c>tax:DE:DE123456789</c>, <c>domain:acme.example</c>,
    /// <c>email:a@acme.example</c>) when the write may search for and create a record; empty when the target id is known.
    /// While they are locked, no other customer's writer searches or creates for them.
    /// </summary>
    public ImmutableArray<string> MatchKeys
    {
        get => _matchKeys;
        init => _matchKeys = value.IsDefault ? [] : value;
    }

    private readonly ImmutableArray<string> _matchKeys = [];

    /// <inheritdoc />
    public bool Equals(WriteLeaseRequest? other) =>
        other is not null && CanonicalId == other.CanonicalId && Target == other.Target && MatchKeys.SequenceEqual(other.MatchKeys);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(CanonicalId, Target, MatchKeys.Length);
}

/// <summary>A request to extend a lease its holder still uses (a wave still writing), with the match keys locked with it.</summary>
public sealed record WriteLeaseRenewal
{
    /// <summary>The customer's canonical id.</summary>
    public required string CanonicalId { get; init; }

    /// <summary>The target connector name.</summary>
    public required string Target { get; init; }

    /// <summary>The holder's lease token.</summary>
    public required Guid LeaseToken { get; init; }

    /// <summary>The match keys locked with the lease (as requested when it was acquired), so that a store can lock them with the link.</summary>
    public ImmutableArray<string> MatchKeys
    {
        get => _matchKeys;
        init => _matchKeys = value.IsDefault ? [] : value;
    }

    private readonly ImmutableArray<string> _matchKeys = [];

    /// <inheritdoc />
    public bool Equals(WriteLeaseRenewal? other) =>
        other is not null && CanonicalId == other.CanonicalId && Target == other.Target && LeaseToken == other.LeaseToken && MatchKeys.SequenceEqual(other.MatchKeys);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(CanonicalId, Target, LeaseToken);
}

/// <summary>Whether a lease was acquired.</summary>
public enum WriteLeaseStatus
{
    /// <summary>The caller holds the lease (and the key locks) and must settle it.</summary>
    Acquired,

    /// <summary>Another writer holds the link's lease, or one of its match keys, until <see cref="WriteLease.HeldUntil"/>.</summary>
    Held,
}

/// <summary>The answer to a <see cref="WriteLeaseRequest"/>.</summary>
public sealed record WriteLease
{
    /// <summary>Acquired or held.</summary>
    public required WriteLeaseStatus Status { get; init; }

    /// <summary>The customer's canonical id.</summary>
    public required string CanonicalId { get; init; }

    /// <summary>The target connector name.</summary>
    public required string Target { get; init; }

    /// <summary>The token that proves the caller holds the lease (acquired only).</summary>
    public Guid Token { get; init; }

    /// <summary>What the ledger holds for the link, as read when the lease was acquired; null for a link never written.</summary>
    public WriteLedgerEntry? Entry { get; init; }

    /// <summary>When the other writer's lease ends (held only).</summary>
    public DateTimeOffset? HeldUntil { get; init; }

    /// <summary>The canonical id of the customer whose writer holds the lease or a match key (held only).</summary>
    public string? HeldBy { get; init; }
}

/// <summary>What the ledger holds for one link (customer, target).</summary>
public sealed record WriteLedgerEntry
{
    /// <summary>The customer's canonical id.</summary>
    public required string CanonicalId { get; init; }

    /// <summary>The target connector name.</summary>
    public required string Target { get; init; }

    /// <summary>The current lease holder's token, or null when the link is free.</summary>
    public Guid? LeaseToken { get; init; }

    /// <summary>When the current lease ends; after it another writer may take the link over.</summary>
    public DateTimeOffset? LeaseExpiresAt { get; init; }

    /// <summary>The match keys locked with the current lease.</summary>
    public ImmutableArray<string> LockedKeys
    {
        get => _lockedKeys;
        init => _lockedKeys = value.IsDefault ? [] : value;
    }

    private readonly ImmutableArray<string> _lockedKeys = [];

    /// <summary>The last version the target received from each source (one per source system).</summary>
    public ImmutableArray<WrittenVersion> Versions
    {
        get => _versions;
        init => _versions = value.IsDefault ? [] : value;
    }

    private readonly ImmutableArray<WrittenVersion> _versions = [];

    /// <summary>The record Concord last wrote to the target for the customer (canonical JSON), or null.</summary>
    public string? WrittenPayload { get; init; }

    /// <summary>A write recorded and not committed: the vendor may or may not have applied it.</summary>
    public WriteIntent? Pending { get; init; }

    /// <summary>When the entry last changed.</summary>
    public required DateTimeOffset UpdatedAt { get; init; }

    /// <summary>Returns the last version written from <paramref name="sourceSystem"/>, or null.</summary>
    /// <param name="sourceSystem">The source connector name.</param>
    /// <returns>The version, or null.</returns>
    public WrittenVersion? VersionFrom(string sourceSystem)
    {
        foreach (var version in Versions)
        {
            if (string.Equals(version.SourceSystem, sourceSystem, StringComparison.Ordinal))
            {
                return version;
            }
        }

        return null;
    }

    /// <inheritdoc />
    public bool Equals(WriteLedgerEntry? other) =>
        other is not null && CanonicalId == other.CanonicalId && Target == other.Target && LeaseToken == other.LeaseToken
        && LeaseExpiresAt == other.LeaseExpiresAt && LockedKeys.SequenceEqual(other.LockedKeys) && Versions.SequenceEqual(other.Versions)
        && WrittenPayload == other.WrittenPayload && Equals(Pending, other.Pending) && UpdatedAt == other.UpdatedAt;

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(CanonicalId, Target, LeaseToken, Versions.Length, Pending);
}

/// <summary>One source version a target received.</summary>
/// <param name="SourceSystem">The source connector name (or the host-declared source).</param>
/// <param name="SourceVersion">The source's version stamp, or its modification time in ISO 8601 when it has none.</param>
/// <param name="SourceModifiedAt">When the source changed it: what orders versions of one source.</param>
/// <param name="SourceFingerprint">The content fingerprint of the source record.</param>
public sealed record WrittenVersion(string SourceSystem, string SourceVersion, DateTimeOffset? SourceModifiedAt, string SourceFingerprint)
{
    /// <summary>Whether this version is older than <paramref name="other"/> (both modification times known, this one earlier).</summary>
    /// <param name="other">The other version of the same source.</param>
    /// <returns>True when this version is older.</returns>
    public bool IsOlderThan(WrittenVersion other)
    {
        ArgumentNullException.ThrowIfNull(other);
        return SourceModifiedAt is { } mine && other.SourceModifiedAt is { } theirs && mine < theirs;
    }
}

/// <summary>One logical write of a customer to a target, recorded before the vendor call.</summary>
public sealed record WriteIntent
{
    /// <summary>The customer's canonical id.</summary>
    public required string CanonicalId { get; init; }

    /// <summary>The target connector name.</summary>
    public required string Target { get; init; }

    /// <summary>The lease under which it is written.</summary>
    public required Guid LeaseToken { get; init; }

    /// <summary>The flow that writes it.</summary>
    public required string Flow { get; init; }

    /// <summary>The key of the logical write: (flow, target, canonical id, source version).</summary>
    public required IdempotencyKey Key { get; init; }

    /// <summary>The source version written.</summary>
    public required WrittenVersion Version { get; init; }

    /// <summary>The merged record sent to the target, as canonical JSON.</summary>
    public required string Payload { get; init; }

    /// <summary>The target's record as read before the write (canonical JSON), or null when the write creates it.</summary>
    public string? Before { get; init; }

    /// <summary>The outcome the write will have: <see cref="AuditOutcome.Created"/> or <see cref="AuditOutcome.Updated"/>.</summary>
    public required AuditOutcome PlannedOutcome { get; init; }

    /// <summary>Whether the write updates a record found by match keys rather than one Concord linked or created.</summary>
    public bool Adopted { get; init; }

    /// <summary>The field groups the write changes (for the audit entry and the event).</summary>
    public ImmutableArray<string> ChangedFields
    {
        get => _changedFields;
        init => _changedFields = value.IsDefault ? [] : value;
    }

    private readonly ImmutableArray<string> _changedFields = [];

    /// <summary>The target record's id: known before an update, or answered by the vendor.</summary>
    public string? ExternalId { get; init; }

    /// <summary>What the vendor answered, once it did; null while the outcome is unknown.</summary>
    public UpsertOutcome? Result { get; init; }

    /// <summary>When the intent was recorded.</summary>
    public required DateTimeOffset RecordedAt { get; init; }

    /// <inheritdoc />
    public bool Equals(WriteIntent? other) =>
        other is not null && CanonicalId == other.CanonicalId && Target == other.Target && LeaseToken == other.LeaseToken && Flow == other.Flow
        && Key == other.Key && Version == other.Version && Payload == other.Payload && Before == other.Before && PlannedOutcome == other.PlannedOutcome
        && Adopted == other.Adopted && ChangedFields.SequenceEqual(other.ChangedFields) && ExternalId == other.ExternalId && Result == other.Result
        && RecordedAt == other.RecordedAt;

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(CanonicalId, Target, LeaseToken, Key, Version);
}

/// <summary>What the vendor answered for a pending write.</summary>
/// <param name="CanonicalId">The customer's canonical id.</param>
/// <param name="Target">The target connector name.</param>
/// <param name="LeaseToken">The lease the write was made under.</param>
/// <param name="ExternalId">The target record's id.</param>
/// <param name="Outcome">Created, updated or unchanged, as the vendor reported it.</param>
public sealed record WriteResult(string CanonicalId, string Target, Guid LeaseToken, string ExternalId, UpsertOutcome Outcome);

/// <summary>How a lease ends.</summary>
public enum WriteSettlementKind
{
    /// <summary>The write is done (or was not needed): its version and record become what the target last received; the intent is cleared.</summary>
    Committed,

    /// <summary>The write's outcome is unknown (lost response, cancelled, failed page): the intent stays for the next writer to complete.</summary>
    Released,

    /// <summary>The write did not happen (refused by the vendor, superseded, handed over): the intent is cleared, nothing else changes.</summary>
    Abandoned,

    /// <summary>
    /// The pending intent of an earlier, interrupted write is done (its effect is visible at the target and its audit entry
    /// and event are committed with this settlement): its version and record become what the target last received and the
    /// intent is cleared, while the holder keeps the lease for the write it is about to make.
    /// </summary>
    Completed,
}

/// <summary>The end of one lease.</summary>
public sealed record WriteSettlement
{
    /// <summary>The customer's canonical id.</summary>
    public required string CanonicalId { get; init; }

    /// <summary>The target connector name.</summary>
    public required string Target { get; init; }

    /// <summary>The lease token.</summary>
    public required Guid LeaseToken { get; init; }

    /// <summary>Committed, released, abandoned or completed.</summary>
    public required WriteSettlementKind Kind { get; init; }

    /// <summary>The version the target now has (committed and completed only).</summary>
    public WrittenVersion? Version { get; init; }

    /// <summary>The record the target now has as Concord wrote it, canonical JSON (committed and completed only; null keeps the stored one).</summary>
    public string? Payload { get; init; }
}

/// <summary>A lock on one match key of one target, held with a link's lease (store-implementer surface).</summary>
/// <param name="Target">The target connector name.</param>
/// <param name="Key">The match key.</param>
/// <param name="CanonicalId">The customer whose writer holds it.</param>
/// <param name="LeaseToken">The holder's lease token.</param>
/// <param name="ExpiresAt">When it ends with the lease.</param>
public sealed record MatchKeyLock(string Target, string Key, string CanonicalId, Guid LeaseToken, DateTimeOffset ExpiresAt);

/// <summary>What a store answers to one lease request, and what it must write (atomically with its reads) to make the answer true.</summary>
/// <param name="Lease">The answer.</param>
/// <param name="EntryToWrite">The link's entry to store, or null when nothing changes.</param>
/// <param name="LocksToWrite">Key locks to store (replacing any row of the same target and key).</param>
/// <param name="LocksToDelete">The token whose key locks are to be deleted first (an expired holder's), or null.</param>
public sealed record WriteLeaseDecision(WriteLease Lease, WriteLedgerEntry? EntryToWrite, IReadOnlyList<MatchKeyLock> LocksToWrite, Guid? LocksToDelete);
