namespace Concord.Testing.Odoo.Internal;

/// <summary>One record of a simulated table: its id, its stored values and its magic dates (kept with full precision).</summary>
internal sealed class SimRow
{
    public SimRow(long id, DateTimeOffset stamp)
    {
        Id = id;
        CreateDate = stamp;
        WriteDate = stamp;
    }

    public long Id { get; }

    /// <summary>Stored values: string, bool, long, long? (many2one), List&lt;long&gt; (many2many) or null.</summary>
    public Dictionary<string, object?> Values { get; private set; } = new(StringComparer.Ordinal);

    public DateTimeOffset CreateDate { get; set; }

    public DateTimeOffset WriteDate { get; set; }

    /// <summary>False while the transaction that created the row has not committed.</summary>
    public bool Visible { get; set; } = true;

    public object? this[string field]
    {
        get => Values.TryGetValue(field, out var value) ? value : null;
        set => Values[field] = value;
    }

    public string? Text(string field) => this[field] as string;

    public long? Ref(string field) => this[field] as long?;

    public bool Flag(string field) => this[field] is true;

    public SimRowSnapshot Snapshot() => new(new Dictionary<string, object?>(Values.Select(v => KeyValuePair.Create(v.Key, v.Value is List<long> list ? (object?)new List<long>(list) : v.Value)), StringComparer.Ordinal), WriteDate, Visible);

    public void Restore(SimRowSnapshot snapshot)
    {
        Values = snapshot.Values;
        WriteDate = snapshot.WriteDate;
        Visible = snapshot.Visible;
    }
}

/// <summary>A copy of a row's values, to undo a rolled-back write.</summary>
internal sealed record SimRowSnapshot(Dictionary<string, object?> Values, DateTimeOffset WriteDate, bool Visible);
