using Concord.Canonical.Errors;

namespace Concord.Canonical.Connectors;

/// <summary>
/// The surface every connector implements for customers (accounts with their contacts). Vendor types
/// never cross it: only canonical types come in and out, and every failure is a <see cref="ConcordException"/>.
/// Implementations are thread-safe.
/// </summary>
public interface ICustomerConnector
{
    /// <summary>
    /// The connector's registration name: the vendor family for the default instance (<c>odoo</c>), the name given for a
    /// named one (<c>AddOdooConnector("eu", …)</c>: <c>eu</c>). It is the keyed-service key and the
    /// <see cref="ExternalRef.System"/> of the ids it returns.
    /// </summary>
    string Name { get; }

    /// <summary>What the connector and its vendor can do.</summary>
    ConnectorCapabilities Capabilities { get; }

    /// <summary>Reads one customer by its id in this system.</summary>
    /// <param name="externalId">The id in this system.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The customer, or null when no record has that id.</returns>
    /// <exception cref="ConcordException">The call failed.</exception>
    Task<CanonicalCustomer?> GetAsync(string externalId, CancellationToken cancellationToken = default);

    /// <summary>Finds customers whose tax id, domain or email match <paramref name="keys"/>; archived records included.</summary>
    /// <param name="keys">The match keys; empty keys match nothing.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>Every record that matches at least one key, best match first.</returns>
    /// <exception cref="ConcordException">The call failed.</exception>
    Task<IReadOnlyList<CanonicalCustomer>> FindAsync(MatchKeys keys, CancellationToken cancellationToken = default);

    /// <summary>
    /// Reads many customers by their ids in as few vendor calls as the vendor allows. The engine reads a page's known
    /// records with it. The default calls <see cref="GetAsync"/> once per id; connectors override it with the vendor's
    /// batch read.
    /// </summary>
    /// <param name="externalIds">The ids in this system.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>One entry per id, in the order of <paramref name="externalIds"/>: the customer, or null when no record has that id.</returns>
    /// <exception cref="ConcordException">The call failed.</exception>
    async Task<IReadOnlyList<CanonicalCustomer?>> GetManyAsync(IReadOnlyList<string> externalIds, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(externalIds);
        var found = new CanonicalCustomer?[externalIds.Count];
        for (var i = 0; i < found.Length; i++)
        {
            found[i] = await GetAsync(externalIds[i], cancellationToken).ConfigureAwait(false);
        }

        return found;
    }

    /// <summary>
    /// Finds the twins of many records in as few vendor calls as the vendor allows. The engine matches a page's new
    /// records with it. The default calls <see cref="FindAsync"/> once per entry; connectors override it with one
    /// search over every key.
    /// </summary>
    /// <param name="keys">The match keys of each record.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>One list per entry, in the order of <paramref name="keys"/>: what <see cref="FindAsync"/> returns for those keys.</returns>
    /// <exception cref="ConcordException">The call failed.</exception>
    async Task<IReadOnlyList<IReadOnlyList<CanonicalCustomer>>> FindManyAsync(IReadOnlyList<MatchKeys> keys, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(keys);
        var found = new IReadOnlyList<CanonicalCustomer>[keys.Count];
        for (var i = 0; i < found.Length; i++)
        {
            found[i] = await FindAsync(keys[i], cancellationToken).ConfigureAwait(false);
        }

        return found;
    }

    /// <summary>
    /// The customers that records named by a webhook event belong to, so that a flow reacting to webhooks re-reads the
    /// right customers (<see cref="GetManyAsync"/>): a customer's own record is itself; a contact event names the customers
    /// the contact is linked to now (HubSpot: a contact's companies). The default answers every id as a customer id.
    /// </summary>
    /// <param name="objectType">The record type the event names (<c>company</c>, <c>contact</c>, <c>organization</c>, <c>res.partner</c>), or null when unknown.</param>
    /// <param name="objectIds">The records' ids in this system.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The customers' ids in this system, each once; empty when none of the records belongs to a customer.</returns>
    /// <exception cref="ConcordException">The call failed.</exception>
    Task<IReadOnlyList<string>> ResolveCustomerIdsAsync(string? objectType, IReadOnlyList<string> objectIds, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(objectIds);
        return Task.FromResult<IReadOnlyList<string>>([.. objectIds.Distinct(StringComparer.Ordinal)]);
    }

    /// <summary>
    /// Creates or updates one customer (and its contacts) so that repeating the call never creates a second
    /// record: the vendor's natural upsert by external id where it has one.
    /// </summary>
    /// <param name="request">The customer, its idempotency key and its known id here, if any.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The result; a record-level failure is a failed result, not an exception.</returns>
    /// <exception cref="ConcordException">A system-level failure (authentication, transient after retries, configuration).</exception>
    Task<UpsertResult> UpsertAsync(UpsertRequest request, CancellationToken cancellationToken = default);

    /// <summary>
    /// Creates or updates many customers in as few vendor calls as the vendor allows. Returns exactly one
    /// result per input, in input order, whatever order the vendor answers in; one bad record fails alone.
    /// </summary>
    /// <param name="requests">The requests.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>One result per request, in the order of <paramref name="requests"/>.</returns>
    /// <exception cref="ConcordException">A system-level failure that stopped the whole batch.</exception>
    Task<IReadOnlyList<UpsertResult>> UpsertManyAsync(IReadOnlyList<UpsertRequest> requests, CancellationToken cancellationToken = default);

    /// <summary>
    /// Reads changes after <paramref name="from"/> (null: from the beginning), oldest first. Each change carries
    /// the cursor to resume after it; the caller checkpoints it once the change is durably handled.
    /// </summary>
    /// <param name="from">The cursor to resume from, or null.</param>
    /// <param name="cancellationToken">Cancels the enumeration.</param>
    /// <returns>The changes as one stream across the vendor's pages.</returns>
    /// <exception cref="ConcordException">A page could not be read.</exception>
    IAsyncEnumerable<CustomerChange> ReadChangesAsync(ChangeCursor? from, CancellationToken cancellationToken = default);
}
