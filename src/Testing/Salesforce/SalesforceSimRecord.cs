using System.Collections.Immutable;

namespace Concord.Testing.Salesforce;

/// <summary>A snapshot of one record held by the <see cref="SalesforceSimulator"/>.</summary>
/// <param name="SObject">The object type (<c>Account</c>, <c>Contact</c>).</param>
/// <param name="Id">The 18-character id.</param>
/// <param name="Fields">The field values (strings, booleans, numbers or <see langword="null"/>), system fields excluded.</param>
/// <param name="IsDeleted">Whether the record is in the Recycle Bin.</param>
/// <param name="SystemModstamp">When it was last changed (second-granular).</param>
/// <param name="AccountId">For a Contact, its Account's id.</param>
public sealed record SalesforceSimRecord(
    string SObject,
    string Id,
    ImmutableDictionary<string, object?> Fields,
    bool IsDeleted,
    DateTimeOffset SystemModstamp,
    string? AccountId)
{
    /// <summary>The value of <paramref name="field"/> as text, or <see langword="null"/>.</summary>
    /// <param name="field">The field API name.</param>
    /// <returns>The value.</returns>
    public string? this[string field] => Fields.TryGetValue(field, out var value) ? value?.ToString() : null;
}
