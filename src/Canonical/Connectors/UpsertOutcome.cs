namespace Concord.Canonical.Connectors;

/// <summary>What an upsert did.</summary>
public enum UpsertOutcome
{
    /// <summary>A new record was created.</summary>
    Created,

    /// <summary>An existing record was updated (or adopted: found by match keys and linked).</summary>
    Updated,

    /// <summary>The record already held these values; nothing was written.</summary>
    Unchanged,

    /// <summary>The write failed; see <see cref="UpsertResult.Error"/>.</summary>
    Failed,
}
