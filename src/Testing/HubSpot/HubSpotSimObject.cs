using System.Collections.Immutable;

namespace Concord.Testing.HubSpot;

/// <summary>A snapshot of one company or contact held by the <see cref="HubSpotSimulator"/>.</summary>
/// <param name="ObjectType"><c>companies</c> or <c>contacts</c>.</param>
/// <param name="Id">The record id (<c>hs_object_id</c>), a decimal string.</param>
/// <param name="Properties">The property values that are set (all strings, as HubSpot holds them).</param>
/// <param name="Archived">Whether the record is archived (restorable; search never returns it).</param>
/// <param name="CreatedAt">When it was created.</param>
/// <param name="UpdatedAt">When it was last modified (<c>hs_lastmodifieddate</c> / <c>lastmodifieddate</c>).</param>
/// <param name="MergedInto">For a record merged away, the id of the record that absorbed it.</param>
public sealed record HubSpotSimObject(
    string ObjectType,
    string Id,
    ImmutableDictionary<string, string> Properties,
    bool Archived,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt,
    string? MergedInto)
{
    /// <summary>The value of <paramref name="property"/>, or <see langword="null"/> when it is not set.</summary>
    /// <param name="property">The property's internal name.</param>
    /// <returns>The value.</returns>
    public string? this[string property] => Properties.TryGetValue(property, out var value) ? value : null;
}
