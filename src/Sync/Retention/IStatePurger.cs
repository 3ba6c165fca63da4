using Concord.Canonical.Errors;

namespace Concord.Sync.Retention;

/// <summary>
/// Deletes finished state older than its retention from a durable state store (<c>Concord.Storage.Sqlite</c> registers
/// one). The hosted retention service calls it every <see cref="StateRetentionOptions.PurgeInterval"/>; a host that
/// schedules maintenance itself can call it directly.
/// </summary>
public interface IStatePurger
{
    /// <summary>Deletes what finished before the cut-offs, in short transactions so that flows keep running meanwhile.</summary>
    /// <param name="cutoffs">What may go (<see cref="StateRetentionOptions.CutoffsAt"/>).</param>
    /// <param name="cancellationToken">Cancels the purge between transactions; what was deleted stays deleted.</param>
    /// <returns>How many rows of each kind were deleted.</returns>
    /// <exception cref="ConcordException">The store failed.</exception>
    Task<StatePurgeResult> PurgeAsync(StatePurgeCutoffs cutoffs, CancellationToken cancellationToken = default);
}
