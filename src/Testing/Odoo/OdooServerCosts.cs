namespace Concord.Testing.Odoo;

/// <summary>
/// A model of what a real Odoo server spends on each call, for an <see cref="OdooSimulator"/> that stands in for one in
/// a benchmark (<see cref="OdooSimulatorOptions.ServerCosts"/>): a fixed cost per ORM call plus a cost per record the
/// call reads, creates or writes. Calls are answered one at a time (a single worker), so the costs add up as on the
/// small server they were measured on. Figures a simulator reports with a model are <b>modelled</b>, not measured.
/// </summary>
public sealed record OdooServerCosts
{
    /// <summary>Gets the cost of <c>common.authenticate</c> (password hashing).</summary>
    public TimeSpan Authenticate { get; init; }

    /// <summary>Gets the fixed cost of every ORM call (<c>execute_kw</c> or JSON-2), whatever it does.</summary>
    public TimeSpan Call { get; init; }

    /// <summary>Gets the cost per record a call returns (<c>search_read</c>, <c>read</c>, <c>search</c>).</summary>
    public TimeSpan ReadPerRecord { get; init; }

    /// <summary>Gets the cost per record <c>create</c> makes.</summary>
    public TimeSpan CreatePerRecord { get; init; }

    /// <summary>Gets the cost per row <c>load</c> creates (a refused <c>load</c>, rolled back whole, costs this per row too).</summary>
    public TimeSpan LoadCreatePerRecord { get; init; }

    /// <summary>Gets the cost per row <c>load</c> updates (an existing external id).</summary>
    public TimeSpan LoadUpdatePerRecord { get; init; }

    /// <summary>Gets the cost per id <c>write</c> (or <c>unlink</c>) changes.</summary>
    public TimeSpan WritePerRecord { get; init; }

    /// <summary>
    /// Gets whether each call takes its modelled time before it is answered (the default). When false the simulator only
    /// adds the time to <see cref="OdooSimulator.ModelledServerTime"/>, so a test can check the model without waiting.
    /// </summary>
    public bool Wait { get; init; } = true;

    /// <summary>
    /// Odoo 18.0 Community on one small server, from the Odoo facts page's timings (client on the same machine):
    /// <c>authenticate</c> 510–600 ms (550), an ordinary <c>execute_kw</c> 5–7 ms (6), <c>search_read</c> of 1,000
    /// partners 0.04 s (0.04 ms each), 1,000 partners in one <c>create</c> 1.2–1.5 s (1.4 ms each), 1,000 new partners
    /// by <c>load</c> 3.2 s (3.2 ms each), 1,000 existing partners with changed names by <c>load</c> 15.4 s (15.4 ms
    /// each), <c>write</c> of 1,000 ids in one call 2.0 s (2 ms each).
    /// </summary>
    /// <returns>The model.</returns>
    public static OdooServerCosts Odoo18() => new()
    {
        Authenticate = TimeSpan.FromMilliseconds(550),
        Call = TimeSpan.FromMilliseconds(6),
        ReadPerRecord = TimeSpan.FromMilliseconds(0.04),
        CreatePerRecord = TimeSpan.FromMilliseconds(1.4),
        LoadCreatePerRecord = TimeSpan.FromMilliseconds(3.2),
        LoadUpdatePerRecord = TimeSpan.FromMilliseconds(15.4),
        WritePerRecord = TimeSpan.FromMilliseconds(2),
    };
}
