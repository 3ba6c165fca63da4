using Concord.Canonical;
using Concord.Canonical.Errors;

namespace Concord.Sync.Identity;

/// <summary>
/// Links each canonical customer id to its ids in every system, and remembers per system the fingerprint of the content
/// last written there. Calls take many keys at once so that an engine resolves a whole page in one round trip.
/// Implementations are safe for concurrent callers.
/// </summary>
public interface IIdentityMap
{
    /// <summary>Finds the canonical ids linked to <paramref name="references"/>.</summary>
    /// <param name="references">The external references to look up.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The canonical id of every reference that is linked; unknown references are absent.</returns>
    Task<IReadOnlyDictionary<ExternalRef, string>> ResolveAsync(IReadOnlyCollection<ExternalRef> references, CancellationToken cancellationToken = default);

    /// <summary>Reads the entries of <paramref name="canonicalIds"/>.</summary>
    /// <param name="canonicalIds">The canonical ids.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The entry of every id that has at least one link; unknown ids are absent.</returns>
    Task<IReadOnlyDictionary<string, IdentityEntry>> GetAsync(IReadOnlyCollection<string> canonicalIds, CancellationToken cancellationToken = default);

    /// <summary>
    /// Adds or replaces links: for each, (canonical id, system) now points at the external id, and the fingerprint is set
    /// when the link carries one (a null fingerprint keeps the stored one).
    /// </summary>
    /// <param name="links">The links to write.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>A task.</returns>
    /// <exception cref="ConcordException">Category <see cref="ErrorCategory.Conflict"/>: an external reference is already linked to another canonical id.</exception>
    Task LinkAsync(IReadOnlyList<IdentityLink> links, CancellationToken cancellationToken = default);

    /// <summary>Lists the entries that have a link to <paramref name="system"/> (every entry when null), by canonical id.</summary>
    /// <param name="system">The connector name, or null.</param>
    /// <param name="cancellationToken">Cancels the enumeration.</param>
    /// <returns>The entries.</returns>
    IAsyncEnumerable<IdentityEntry> ListAsync(string? system = null, CancellationToken cancellationToken = default);
}
