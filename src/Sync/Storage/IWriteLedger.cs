using Concord.Canonical.Errors;

namespace Concord.Sync.Storage;

/// <summary>
/// What the engine knows about its writes of one customer to one target (a <em>link</em>): the lease that serialises
/// them across workers and processes, the intent of a write under way, and the version and content the target last
/// received. Every call takes a page of links at once (one round trip, one transaction), never one link at a time.
/// </summary>
/// <remarks>
/// <para>A write goes: <see cref="AcquireAsync"/> (lease, plus match-key locks when the write may create a record) →
/// <see cref="RecordIntentsAsync"/> (durably, before the vendor call) → vendor call (the lease renewed by
/// <see cref="RenewAsync"/> while the wave lasts) → <see cref="RecordResultsAsync"/>
/// (what the vendor answered) → settlement in the page's <see cref="StateChangeSet.WriteSettlements"/>, committed with the
/// identity links, events and audit entries, which releases the lease. A write interrupted anywhere leaves its intent in the
/// ledger; the next writer of the link receives it and completes it with its real outcome.</para>
/// <para>The rules are <see cref="WriteLedgerTransitions"/>; a store makes each "read, apply the rule, write" atomic, so the
/// in-memory, SQLite and any other store behave alike. Implementations are safe for concurrent callers, and durable ones
/// for several processes on the same state.</para>
/// </remarks>
public interface IWriteLedger
{
    /// <summary>
    /// Takes the lease of each requested link, and locks its match keys on the target, unless another writer holds either.
    /// Requests are decided in order, so a later request for a link or key an earlier one took is answered held.
    /// </summary>
    /// <param name="requests">The links and the match keys to lock.</param>
    /// <param name="lease">How long an acquired lease holds.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>One lease per request, in request order; an acquired one carries what the ledger holds for the link.</returns>
    /// <exception cref="ConcordException">The store failed; nothing was acquired.</exception>
    Task<IReadOnlyList<WriteLease>> AcquireAsync(IReadOnlyList<WriteLeaseRequest> requests, TimeSpan lease, CancellationToken cancellationToken = default);

    /// <summary>
    /// Extends leases (and their key locks) their holder still uses: a wave whose writes outlast a part of the lease renews
    /// it, so that no other writer takes a link or a match key over while a vendor call is in flight.
    /// </summary>
    /// <param name="renewals">The leases to extend.</param>
    /// <param name="lease">How long each renewed lease holds from now.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>Per renewal, in order: whether the lease is still held (false: another writer took it or one of its keys over).</returns>
    /// <exception cref="ConcordException">The store failed; nothing was renewed.</exception>
    Task<IReadOnlyList<bool>> RenewAsync(IReadOnlyList<WriteLeaseRenewal> renewals, TimeSpan lease, CancellationToken cancellationToken = default);

    /// <summary>Records each intent as its link's pending write, when the intent's lease token still holds the link.</summary>
    /// <param name="intents">The intents.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>Per intent, in order: whether it was recorded (false: the lease was lost, and the write must not be made).</returns>
    Task<IReadOnlyList<bool>> RecordIntentsAsync(IReadOnlyList<WriteIntent> intents, CancellationToken cancellationToken = default);

    /// <summary>Records what the vendor answered for pending writes (their lease still held), so that a write whose commit is lost is not made again.</summary>
    /// <param name="results">The results.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>A task.</returns>
    Task RecordResultsAsync(IReadOnlyList<WriteResult> results, CancellationToken cancellationToken = default);

    /// <summary>
    /// Settles leases: commits the written version, keeps or drops the pending intent, and releases the lease and its key
    /// locks. A durable <see cref="IStateCommitter"/> does this inside its transaction; this method serves the store-by-store
    /// committer and leases given back without a commit (a cancelled or failed page).
    /// </summary>
    /// <param name="settlements">The settlements.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>A task.</returns>
    Task SettleAsync(IReadOnlyList<WriteSettlement> settlements, CancellationToken cancellationToken = default);

    /// <summary>
    /// Which of the customers' links to <paramref name="target"/> hold a pending write: an intent recorded and not settled
    /// (its answer, commit or process was lost), whoever holds the lease. The engine asks before it skips records whose
    /// content the target last received by a commit, since a pending write may have put another version there since.
    /// </summary>
    /// <param name="target">The target connector name.</param>
    /// <param name="canonicalIds">The customers' canonical ids.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The canonical ids, among <paramref name="canonicalIds"/>, whose link has a pending write.</returns>
    /// <exception cref="ConcordException">The store failed.</exception>
    Task<IReadOnlySet<string>> FindPendingAsync(string target, IReadOnlyList<string> canonicalIds, CancellationToken cancellationToken = default);

    /// <summary>Reads what the ledger holds for one link (for tools and tests).</summary>
    /// <param name="canonicalId">The customer's canonical id.</param>
    /// <param name="target">The target connector name.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The entry, or null.</returns>
    Task<WriteLedgerEntry?> GetAsync(string canonicalId, string target, CancellationToken cancellationToken = default);
}
