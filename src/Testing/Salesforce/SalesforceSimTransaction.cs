namespace Concord.Testing.Salesforce;

/// <summary>
/// A long transaction in the simulated org (<see cref="SalesforceSimulator.BeginTransaction"/>): the records it creates
/// and the edits it makes carry its start time as <c>SystemModstamp</c>, yet no query sees them until
/// <see cref="Commit"/>. Models a save that commits seconds after a change poll already read past its stamp.
/// </summary>
public sealed class SalesforceSimTransaction
{
    private readonly SalesforceSimulator _simulator;
    private readonly DateTimeOffset _stamp;
    private readonly List<string> _created = [];
    private readonly List<(string Id, IReadOnlyDictionary<string, object?> Fields)> _edits = [];
    private bool _committed;

    internal SalesforceSimTransaction(SalesforceSimulator simulator, DateTimeOffset stamp)
    {
        _simulator = simulator;
        _stamp = stamp;
    }

    /// <summary>Creates an Account inside the transaction.</summary>
    /// <param name="externalId">Its external id, or <see langword="null"/>.</param>
    /// <param name="name">Its name.</param>
    /// <param name="fields">More field values.</param>
    /// <returns>Its id (allocated now, as a sequence would).</returns>
    public string SeedAccount(string? externalId, string name, IReadOnlyDictionary<string, object?>? fields = null)
    {
        ObjectDisposedException.ThrowIf(_committed, this);
        var id = _simulator.SeedInTransaction("Account", null, externalId, "Name", name, fields, _stamp);
        _created.Add(id);
        return id;
    }

    /// <summary>Creates a Contact under <paramref name="accountId"/> inside the transaction.</summary>
    /// <param name="accountId">The Account's id.</param>
    /// <param name="externalId">Its external id, or <see langword="null"/>.</param>
    /// <param name="lastName">Its last name.</param>
    /// <param name="fields">More field values.</param>
    /// <returns>Its id.</returns>
    public string SeedContact(string accountId, string? externalId, string lastName, IReadOnlyDictionary<string, object?>? fields = null)
    {
        ObjectDisposedException.ThrowIf(_committed, this);
        var id = _simulator.SeedInTransaction("Contact", accountId, externalId, "LastName", lastName, fields, _stamp);
        _created.Add(id);
        return id;
    }

    /// <summary>Changes fields of a record inside the transaction; queries keep returning the old values until <see cref="Commit"/>.</summary>
    /// <param name="id">The record id.</param>
    /// <param name="fields">The new values.</param>
    public void EditRecord(string id, IReadOnlyDictionary<string, object?> fields)
    {
        ObjectDisposedException.ThrowIf(_committed, this);
        ArgumentNullException.ThrowIfNull(fields);
        _edits.Add((id, new Dictionary<string, object?>(fields, StringComparer.OrdinalIgnoreCase)));
    }

    /// <summary>Commits: the records and edits become visible, with the transaction's start time as their <c>SystemModstamp</c>.</summary>
    public void Commit()
    {
        if (!_committed)
        {
            _committed = true;
            _simulator.CommitTransaction(_created, _edits, _stamp);
        }
    }
}
