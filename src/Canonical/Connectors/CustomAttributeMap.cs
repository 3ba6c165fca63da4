using System.Collections.Immutable;

namespace Concord.Canonical.Connectors;

/// <summary>
/// A host's mapping between canonical custom attributes (<see cref="CanonicalCustomer.CustomAttributes"/>) and a vendor's
/// own fields, both ways: attribute name → vendor field name, values carried as text. A connector exposes it as an
/// <c>IDictionary&lt;string, string&gt;</c> option bound from configuration
/// (<c>Concord:Salesforce:CustomFieldMappings:tier = Tier__c</c>, HubSpot's <c>CustomProperties</c>, Zendesk's
/// <c>CustomFieldMappings</c>), checks it with <see cref="Validate"/> when the host starts, and reads and writes with one
/// instance. Reads skip empty vendor values; writes name every mapped field, an attribute the customer no longer has as
/// null, so a cleared attribute is cleared at the vendor.
/// </summary>
public sealed class CustomAttributeMap
{
    private readonly KeyValuePair<string, string>[] _mappings;

    /// <summary>Creates the map of <paramref name="mappings"/> (attribute → vendor field), ordered by attribute.</summary>
    /// <param name="mappings">The host's mappings; blank entries are left out (<see cref="Validate"/> reports them).</param>
    public CustomAttributeMap(IEnumerable<KeyValuePair<string, string>> mappings)
    {
        ArgumentNullException.ThrowIfNull(mappings);
        _mappings = [.. mappings
            .Where(m => !string.IsNullOrWhiteSpace(m.Key) && !string.IsNullOrWhiteSpace(m.Value))
            .OrderBy(m => m.Key, StringComparer.Ordinal)];
    }

    /// <summary>The mappings, attribute → vendor field, ordered by attribute.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Mappings => _mappings;

    /// <summary>The vendor fields, in the order of <see cref="Mappings"/>.</summary>
    public IEnumerable<string> Fields => _mappings.Select(m => m.Value);

    /// <summary>Whether nothing is mapped.</summary>
    public bool IsEmpty => _mappings.Length == 0;

    /// <summary>
    /// The problems with <paramref name="mappings"/>, each starting with <paramref name="path"/> (the configuration path
    /// of the option): a blank attribute or field, a field name <paramref name="isFieldName"/> refuses, a field mapped
    /// twice (by <paramref name="fieldComparer"/>, ordinal by default).
    /// </summary>
    /// <param name="path">The configuration path of the option, such as <c>Concord:Salesforce:CustomFieldMappings</c>.</param>
    /// <param name="mappings">The host's mappings.</param>
    /// <param name="isFieldName">Whether a vendor field name is well formed (null: any non-blank name).</param>
    /// <param name="fieldComparer">How the vendor compares field names (case-insensitive for Salesforce).</param>
    /// <returns>The messages; none when the mappings are fine.</returns>
    public static IEnumerable<string> Validate(string path, IEnumerable<KeyValuePair<string, string>>? mappings, Func<string, bool>? isFieldName = null, IEqualityComparer<string>? fieldComparer = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        if (mappings is null)
        {
            yield break;
        }

        var seen = new Dictionary<string, string>(fieldComparer ?? StringComparer.Ordinal);
        foreach (var (attribute, field) in mappings.OrderBy(m => m.Key, StringComparer.Ordinal))
        {
            if (string.IsNullOrWhiteSpace(attribute))
            {
                yield return $"{path} has an entry without an attribute name.";
                continue;
            }

            if (string.IsNullOrWhiteSpace(field))
            {
                yield return $"{path}:{attribute} names no field.";
                continue;
            }

            if (isFieldName is not null && !isFieldName(field))
            {
                yield return $"{path}:{attribute} ({field}) is not a field name of the vendor.";
                continue;
            }

            if (!seen.TryAdd(field, attribute))
            {
                yield return $"{path}:{attribute} maps {field}, which {path}:{seen[field]} maps already; a field holds one attribute.";
            }
        }
    }

    /// <summary>
    /// The mapped attributes of a vendor record, added to <paramref name="into"/>: each mapped field's text from
    /// <paramref name="readField"/>, empty values left out.
    /// </summary>
    /// <param name="readField">The text of a vendor field of the record, or null.</param>
    /// <param name="into">The attributes read otherwise (built-in mappings), or null.</param>
    /// <returns>The attributes.</returns>
    public ImmutableSortedDictionary<string, string> Read(Func<string, string?> readField, ImmutableSortedDictionary<string, string>? into = null)
    {
        ArgumentNullException.ThrowIfNull(readField);
        var attributes = into ?? ImmutableSortedDictionary<string, string>.Empty.WithComparers(StringComparer.Ordinal);
        foreach (var (attribute, field) in _mappings)
        {
            if (readField(field) is { Length: > 0 } value && !string.IsNullOrWhiteSpace(value))
            {
                attributes = attributes.SetItem(attribute, value);
            }
        }

        return attributes;
    }

    /// <summary>
    /// Writes every mapped field through <paramref name="writeField"/>: the attribute's value, or null when
    /// <paramref name="attributes"/> has none (the vendor clears the field).
    /// </summary>
    /// <param name="attributes">The customer's custom attributes.</param>
    /// <param name="writeField">Sets a vendor field of the record being written.</param>
    public void Write(IReadOnlyDictionary<string, string> attributes, Action<string, string?> writeField)
    {
        ArgumentNullException.ThrowIfNull(attributes);
        ArgumentNullException.ThrowIfNull(writeField);
        foreach (var (attribute, field) in _mappings)
        {
            writeField(field, attributes.TryGetValue(attribute, out var value) ? value : null);
        }
    }
}
