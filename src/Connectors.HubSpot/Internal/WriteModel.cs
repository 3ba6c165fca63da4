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
internal readonly record struct ObjectOutcome(string? Id, bool Created, ConcordException? Error, bool Adopted = false)
{
    public static ObjectOutcome Failed(ConcordException error) => new(null, false, error);
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
