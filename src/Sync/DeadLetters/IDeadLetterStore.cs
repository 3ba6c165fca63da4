namespace Concord.Sync.DeadLetters;

/// <summary>
/// Keeps the records flows could not deliver (deferred for a later run, or dead-lettered for a person), with their
/// category, reason and payload. Implementations are safe for concurrent callers.
/// </summary>
public interface IDeadLetterStore
{
    /// <summary>Adds entries, or replaces the entries with the same ids.</summary>
    /// <param name="deadLetters">The entries.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>A task.</returns>
    Task SaveAsync(IReadOnlyList<DeadLetter> deadLetters, CancellationToken cancellationToken = default);

    /// <summary>Reads one entry.</summary>
    /// <param name="id">The entry id.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The entry, or null.</returns>
    Task<DeadLetter?> GetAsync(string id, CancellationToken cancellationToken = default);

    /// <summary>Reads the entries with these ids.</summary>
    /// <param name="ids">The entry ids.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The entries found, by id.</returns>
    Task<IReadOnlyDictionary<string, DeadLetter>> GetManyAsync(IReadOnlyCollection<string> ids, CancellationToken cancellationToken = default);

    /// <summary>Lists entries matching <paramref name="query"/>, oldest first failure first.</summary>
    /// <param name="query">The filter.</param>
    /// <param name="cancellationToken">Cancels the enumeration.</param>
    /// <returns>The entries.</returns>
    IAsyncEnumerable<DeadLetter> ListAsync(DeadLetterQuery query, CancellationToken cancellationToken = default);

    /// <summary>Closes entries that are still open (deferred or dead-lettered); closed or unknown ids are ignored.</summary>
    /// <param name="resolutions">The entries to close and how.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>A task.</returns>
    Task ResolveAsync(IReadOnlyList<DeadLetterResolution> resolutions, CancellationToken cancellationToken = default);

    /// <summary>
    /// Claims, for <paramref name="claimant"/> until <paramref name="duration"/> from now, the entries among
    /// <paramref name="ids"/> that are still open (deferred or dead-lettered) and that no other claimant holds (or whose
    /// claim ran out), so that of several host instances retrying or replaying dead letters only one works each entry.
    /// Entries another claimant holds are skipped, not waited for.
    /// </summary>
    /// <param name="ids">The entries wanted.</param>
    /// <param name="claimant">The instance claiming.</param>
    /// <param name="duration">How long the claim holds unless released.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The entries claimed, as stored now, oldest first failure first.</returns>
    Task<IReadOnlyList<DeadLetter>> ClaimAsync(IReadOnlyCollection<string> ids, string claimant, TimeSpan duration, CancellationToken cancellationToken = default);

    /// <summary>Gives back the claims <paramref name="claimant"/> holds on <paramref name="ids"/>; other claims are left alone.</summary>
    /// <param name="ids">The entries.</param>
    /// <param name="claimant">The instance that claimed them.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>A task.</returns>
    Task ReleaseAsync(IReadOnlyCollection<string> ids, string claimant, CancellationToken cancellationToken = default);
}
