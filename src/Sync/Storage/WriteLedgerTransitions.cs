namespace Concord.Sync.Storage;

/// <summary>
/// The rules every <see cref="IWriteLedger"/> applies, as pure functions from what a store read to what it must write.
/// A store only makes "read the rows, apply the rule, write the rows" atomic (a lock, an <c>IMMEDIATE</c> SQLite
/// transaction, row locks); the in-memory, SQLite and any third-party store then behave alike.
/// </summary>
/// <remarks>
/// <list type="bullet">
/// <item>Acquire: a link whose lease is unexpired is held; a match key locked by another customer's unexpired lease is held.
/// Otherwise the caller gets a new token and the entry as stored (pending intent included), the lease runs for the given
/// time, and the requested keys are locked with it (an expired holder's locks are dropped).</item>
/// <item>Renew: a holder still writing extends its lease and key locks while its token holds the link and every key (a
/// lease is never left to run out under a write in flight); a lease taken over is lost, and its holder writes no more.</item>
/// <item>Intents and results are fenced by the token: recorded only while the token holds the link.</item>
/// <item>Settle: a committed write records its version (the later of the stored and the new one for that source) whoever
/// holds the lease; the payload, the intent and the lease change only for the current holder. Settling twice, or
/// settling a lease taken over by another writer, changes nothing else. A completed settlement (the holder completed the
/// link's interrupted write before its own) records that write's version and payload and clears the intent; the lease stays.</item>
/// </list>
/// </remarks>
public static class WriteLedgerTransitions
{
    /// <summary>Decides a lease request.</summary>
    /// <param name="current">The link's stored entry, or null.</param>
    /// <param name="locks">The stored locks of the request's match keys on its target (any order; absent keys are free).</param>
    /// <param name="request">The request.</param>
    /// <param name="lease">How long an acquired lease holds.</param>
    /// <param name="now">The store's current time.</param>
    /// <returns>The answer and what to write.</returns>
    public static WriteLeaseDecision Acquire(WriteLedgerEntry? current, IReadOnlyCollection<MatchKeyLock> locks, WriteLeaseRequest request, TimeSpan lease, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(locks);
        ArgumentNullException.ThrowIfNull(request);
        ArgumentException.ThrowIfNullOrEmpty(request.CanonicalId);
        ArgumentException.ThrowIfNullOrEmpty(request.Target);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(lease, TimeSpan.Zero);

        if (current is { LeaseToken: not null, LeaseExpiresAt: { } until } && now < until)
        {
            return Held(request, until, current.CanonicalId);
        }

        foreach (var held in locks)
        {
            if (!string.Equals(held.CanonicalId, request.CanonicalId, StringComparison.Ordinal) && now < held.ExpiresAt && request.MatchKeys.Contains(held.Key))
            {
                return Held(request, held.ExpiresAt, held.CanonicalId);
            }
        }

        var token = Guid.NewGuid();
        var expires = now + lease;
        var entry = (current ?? new WriteLedgerEntry { CanonicalId = request.CanonicalId, Target = request.Target, UpdatedAt = now }) with
        {
            LeaseToken = token,
            LeaseExpiresAt = expires,
            LockedKeys = request.MatchKeys,
            UpdatedAt = now,
        };
        var written = request.MatchKeys.Select(key => new MatchKeyLock(request.Target, key, request.CanonicalId, token, expires)).ToList();
        var answer = new WriteLease { Status = WriteLeaseStatus.Acquired, CanonicalId = request.CanonicalId, Target = request.Target, Token = token, Entry = current };
        return new WriteLeaseDecision(answer, entry, written, current?.LeaseToken);
    }

    /// <summary>
    /// Decides the renewal of a lease: it is extended to <paramref name="now"/> + <paramref name="lease"/> (never shortened),
    /// with its key locks, while its token still holds the link and every key locked with it, even past its end when no
    /// other writer took it over meanwhile. A lease taken over, or one of whose keys another customer's writer took, is lost.
    /// </summary>
    /// <param name="current">The link's stored entry, or null.</param>
    /// <param name="locks">The stored locks of the entry's locked keys on its target (any order; absent keys are lost).</param>
    /// <param name="renewal">The renewal.</param>
    /// <param name="lease">How long the renewed lease holds from now.</param>
    /// <param name="now">The store's current time.</param>
    /// <returns>The renewed lease and what to write, or null when the lease is lost (nothing is written).</returns>
    public static WriteLeaseDecision? Renew(WriteLedgerEntry? current, IReadOnlyCollection<MatchKeyLock> locks, WriteLeaseRenewal renewal, TimeSpan lease, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(locks);
        ArgumentNullException.ThrowIfNull(renewal);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(lease, TimeSpan.Zero);
        if (!Holds(current, renewal.LeaseToken))
        {
            return null;
        }

        foreach (var key in current!.LockedKeys)
        {
            if (!locks.Any(l => l.LeaseToken == renewal.LeaseToken && string.Equals(l.Key, key, StringComparison.Ordinal)))
            {
                return null;
            }
        }

        var expires = current.LeaseExpiresAt is { } until && until > now + lease ? until : now + lease;
        var entry = current with { LeaseExpiresAt = expires, UpdatedAt = now };
        var written = current.LockedKeys.Select(key => new MatchKeyLock(current.Target, key, current.CanonicalId, renewal.LeaseToken, expires)).ToList();
        var answer = new WriteLease { Status = WriteLeaseStatus.Acquired, CanonicalId = current.CanonicalId, Target = current.Target, Token = renewal.LeaseToken, Entry = current };
        return new WriteLeaseDecision(answer, entry, written, null);
    }

    /// <summary>Decides the recording of an intent.</summary>
    /// <param name="current">The link's stored entry, or null.</param>
    /// <param name="intent">The intent.</param>
    /// <returns>The entry to write, or null when the intent's token does not hold the link (nothing is written).</returns>
    public static WriteLedgerEntry? RecordIntent(WriteLedgerEntry? current, WriteIntent intent)
    {
        ArgumentNullException.ThrowIfNull(intent);
        return Holds(current, intent.LeaseToken) ? current! with { Pending = intent, UpdatedAt = intent.RecordedAt } : null;
    }

    /// <summary>Decides the recording of a vendor result.</summary>
    /// <param name="current">The link's stored entry, or null.</param>
    /// <param name="result">The result.</param>
    /// <param name="now">The store's current time.</param>
    /// <returns>The entry to write, or null when nothing changes (lease lost, or no pending intent of this lease).</returns>
    public static WriteLedgerEntry? RecordResult(WriteLedgerEntry? current, WriteResult result, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(result);
        if (!Holds(current, result.LeaseToken) || current!.Pending is not { } pending || pending.LeaseToken != result.LeaseToken)
        {
            return null;
        }

        return current with { Pending = pending with { ExternalId = result.ExternalId, Result = result.Outcome }, UpdatedAt = now };
    }

    /// <summary>Decides a settlement.</summary>
    /// <param name="current">The link's stored entry, or null.</param>
    /// <param name="settlement">The settlement.</param>
    /// <param name="now">The store's current time.</param>
    /// <returns>The entry to write (its key locks go when <see cref="WriteLedgerEntry.LeaseToken"/> is cleared), or null when nothing changes.</returns>
    public static WriteLedgerEntry? Settle(WriteLedgerEntry? current, WriteSettlement settlement, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(settlement);
        if (settlement.Kind == WriteSettlementKind.Committed && settlement.Version is null)
        {
            throw new ArgumentException("A committed settlement carries the version written.", nameof(settlement));
        }

        var holds = Holds(current, settlement.LeaseToken);
        if (current is null || (!holds && settlement.Kind != WriteSettlementKind.Committed))
        {
            return null;
        }

        if (settlement.Kind == WriteSettlementKind.Completed)
        {
            // The holder completed the link's interrupted write and keeps its lease for its own.
            var completed = current with { Pending = null };
            if (settlement.Version is { } version)
            {
                completed = completed with { Versions = WithVersion(completed, version) };
            }

            return (settlement.Payload is null ? completed : completed with { WrittenPayload = settlement.Payload }) with { UpdatedAt = now };
        }

        var next = current;
        if (settlement.Kind == WriteSettlementKind.Committed)
        {
            next = next with { Versions = WithVersion(next, settlement.Version!) };
            if (holds && settlement.Payload is not null)
            {
                next = next with { WrittenPayload = settlement.Payload };
            }
        }

        if (holds)
        {
            next = next with
            {
                Pending = settlement.Kind == WriteSettlementKind.Released ? next.Pending : null,
                LeaseToken = null,
                LeaseExpiresAt = null,
                LockedKeys = [],
            };
        }

        return next == current ? null : next with { UpdatedAt = now };
    }

    private static bool Holds(WriteLedgerEntry? current, Guid token) => current?.LeaseToken is { } held && held == token;

    private static System.Collections.Immutable.ImmutableArray<WrittenVersion> WithVersion(WriteLedgerEntry entry, WrittenVersion version)
    {
        var stored = entry.VersionFrom(version.SourceSystem);
        if (stored is null)
        {
            return entry.Versions.Add(version);
        }

        return version.IsOlderThan(stored) ? entry.Versions : entry.Versions.Replace(stored, version);
    }

    private static WriteLeaseDecision Held(WriteLeaseRequest request, DateTimeOffset until, string holder) =>
        new(new WriteLease { Status = WriteLeaseStatus.Held, CanonicalId = request.CanonicalId, Target = request.Target, HeldUntil = until, HeldBy = holder }, null, [], null);
}
