namespace Concord.Testing.Odoo;

/// <summary>
/// A long transaction in the simulated database: partners it creates are stamped with its start time (as PostgreSQL's
/// <c>now()</c> does) but stay invisible to every call until <see cref="Commit"/>. Models a write that commits after a
/// change poll has started.
/// </summary>
public sealed class OdooSimTransaction
{
    private readonly OdooSimulator _simulator;
    private readonly DateTimeOffset _stamp;
    private readonly List<long> _created = [];
    private bool _committed;

    internal OdooSimTransaction(OdooSimulator simulator, DateTimeOffset stamp)
    {
        _simulator = simulator;
        _stamp = stamp;
    }

    /// <summary>Creates a partner inside the transaction.</summary>
    /// <param name="seed">The partner.</param>
    /// <returns>Its id (already allocated, as a sequence would).</returns>
    public long CreatePartner(OdooPartnerSeed seed)
    {
        ObjectDisposedException.ThrowIf(_committed, this);
        var id = _simulator.CreatePartner(seed, _stamp, visible: false);
        _created.Add(id);
        return id;
    }

    /// <summary>Commits: the partners become visible, with their original <c>write_date</c>.</summary>
    public void Commit()
    {
        if (!_committed)
        {
            _committed = true;
            _simulator.MakeVisible(_created);
        }
    }
}
