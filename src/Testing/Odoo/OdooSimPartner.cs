using System.Collections.Immutable;

namespace Concord.Testing.Odoo;

/// <summary>A snapshot of a partner held by the simulator, for assertions.</summary>
/// <param name="Id">The database id.</param>
/// <param name="Name">The name.</param>
/// <param name="IsCompany">Whether it is a company.</param>
/// <param name="ParentId">The parent's id.</param>
/// <param name="Type">The address type.</param>
/// <param name="Active">Whether it is active.</param>
/// <param name="WriteDate">The last write, at full precision (reads return it truncated to seconds).</param>
/// <param name="Values">Every stored value by field name (many2one as id, many2many as ids).</param>
public sealed record OdooSimPartner(
    long Id,
    string? Name,
    bool IsCompany,
    long? ParentId,
    string? Type,
    bool Active,
    DateTimeOffset WriteDate,
    ImmutableDictionary<string, object?> Values)
{
    /// <summary>A stored text value, or null.</summary>
    /// <param name="field">The field name.</param>
    /// <returns>The value.</returns>
    public string? Text(string field) => Values.TryGetValue(field, out var value) ? value as string : null;
}
