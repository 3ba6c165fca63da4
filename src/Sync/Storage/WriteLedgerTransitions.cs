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
/// <item>Intents and results are fenced by the token: recorded only while the token holds the link.</item>
/// <item>Settle: a committed write records its version (the later of the stored and the new one for that source) whoever
/// holds the lease; the payload, the intent and the lease change only for the current holder. Settling twice, or
/// settling a lease taken over by another writer, changes nothing else.</item>
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
