using Concord.Canonical.Errors;

namespace Concord.Connectors.HubSpot.Internal;

/// <summary>
/// How one record is addressed in a batch write: by a unique property value (<c>batch/upsert</c> with that
/// <c>idProperty</c>) or by its HubSpot id (<c>batch/update</c>).
/// </summary>
internal readonly record struct WriteKey(string? IdProperty, string Value)
{
    public bool ById => IdProperty is null;

    public static WriteKey Id(string id) => new(null, id);

    /// <summary>The key as HubSpot compares it (emails case-insensitively).</summary>
    public string Normalized => (IdProperty ?? "hs_object_id") + "\u0001" + (IdProperty == "email" ? Value.ToLowerInvariant() : Value);

    public static string NormalizeValue(string? idProperty, string value) => idProperty == "email" ? value.ToLowerInvariant() : value;
}

/// <summary>One record to write.</summary>
internal sealed record ObjectWrite(WriteKey Key, Dictionary<string, string> Properties, string TraceId);

/// <summary>What happened to one record: its id and whether it was created, or why it failed.</summary>
/// <param name="Id">The record's HubSpot id.</param>
/// <param name="Created">Whether HubSpot created it (<c>new</c>).</param>
/// <param name="Error">Why it failed.</param>
/// <param name="Adopted">Whether an existing record holding the key was written instead.</param>
/// <param name="ConflictWith">For a 409 CONFLICT, the id of the record that already holds the key (parsed before the message is masked).</param>
internal readonly record struct ObjectOutcome(string? Id, bool Created, ConcordException? Error, bool Adopted = false, string? ConflictWith = null)
{
    public static ObjectOutcome Failed(ConcordException error, string? conflictWith = null) => new(null, false, error, ConflictWith: conflictWith);
}

/// <summary>Records sharing one key, merged into one input (later values win) before sending.</summary>
internal sealed class MergedWrite(WriteKey key, Dictionary<string, string> properties, string traceId)
{
    public WriteKey Key { get; set; } = key;

    public Dictionary<string, string> Properties { get; } = properties;

    public string TraceId { get; } = traceId;

    public List<int> Members { get; } = [];

    public ObjectOutcome? Outcome { get; set; }

    public bool Adopted { get; set; }

    public bool LifecycleDropped { get; set; }

    public int TransientRetries { get; set; }
}
