namespace Concord.Testing.Odoo;

/// <summary>
/// A long transaction in the simulated database: partners it creates or changes are stamped with its start time (as
/// PostgreSQL's <c>now()</c> does) but nothing of it is visible to any call until <see cref="Commit"/>. Models a write
/// that commits after a change poll has read past its <c>write_date</c> (a slow import, a worker near
/// <c>limit_time_real</c>).
/// </summary>
public sealed class OdooSimTransaction
{
    private readonly OdooSimulator _simulator;
    private readonly DateTimeOffset _stamp;
    private readonly List<long> _created = [];
    private readonly List<(long Id, Dictionary<string, object?> Vals)> _writes = [];
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

    /// <summary>Renames a partner inside the transaction: the new name and <c>write_date</c> (the transaction's start) show at commit.</summary>
    /// <param name="id">The partner.</param>
    /// <param name="name">The new name.</param>
    public void RenamePartner(long id, string name)
    {
        ObjectDisposedException.ThrowIf(_committed, this);
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        _writes.Add((id, new Dictionary<string, object?>(StringComparer.Ordinal) { ["name"] = name }));
    }

    /// <summary>Commits: the partners become visible, and the changes apply, with the transaction's start as <c>write_date</c>.</summary>
    public void Commit()
    {
        if (!_committed)
        {
            _committed = true;
            _simulator.MakeVisible(_created);
            if (_writes.Count > 0)
            {
                _simulator.ApplyLate(_stamp, _writes);
            }
        }
    }
}
