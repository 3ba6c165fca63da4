using System.Text.Json;
using System.Text.Json.Serialization;

namespace Concord.Connectors.Salesforce.Api.Dtos;

/// <summary>
/// A record to write: its <c>attributes.type</c> (collections only), its <c>id</c> (updates by id) and its fields in the
/// order added, a null value written as an explicit <c>null</c> (which clears the field). Field names come from the
/// mapping and from configuration (the external-id field, custom fields), so they are data, not members.
/// </summary>
[JsonConverter(typeof(SObjectBodyConverter))]
internal sealed class SObjectBody(string? type, string? id = null)
{
    private readonly List<KeyValuePair<string, object?>> _fields = new(24);

    /// <summary>The <c>attributes.type</c>, or null to leave <c>attributes</c> out (one record by URL).</summary>
    public string? Type { get; } = type;

    /// <summary>The record's Salesforce id for an update by id, or null.</summary>
    public string? Id { get; } = id;

    /// <summary>The fields in the order added.</summary>
    public IReadOnlyList<KeyValuePair<string, object?>> Fields => _fields;

    /// <summary>Sets <paramref name="field"/> to a text, or to null (cleared).</summary>
    public SObjectBody Set(string field, string? value)
    {
        _fields.Add(new(field, value));
        return this;
    }

    /// <summary>Sets <paramref name="field"/> to a boolean.</summary>
    public SObjectBody Set(string field, bool value)
    {
        _fields.Add(new(field, value));
        return this;
    }

    /// <summary>Whether a field of that name was set (case-insensitive, as Salesforce names are).</summary>
    public bool Has(string field) => _fields.Exists(f => string.Equals(f.Key, field, StringComparison.OrdinalIgnoreCase));
}

/// <summary>Writes an <see cref="SObjectBody"/> straight to the writer (no intermediate DOM); bodies are never read.</summary>
internal sealed class SObjectBodyConverter : JsonConverter<SObjectBody>
{
    public override SObjectBody Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        throw new NotSupportedException("Write bodies are never read.");

    public override void Write(Utf8JsonWriter writer, SObjectBody value, JsonSerializerOptions options)
    {
        writer.WriteStartObject();
        if (value.Type is not null)
        {
            writer.WriteStartObject("attributes");
            writer.WriteString("type", value.Type);
            writer.WriteEndObject();
        }

        if (value.Id is not null)
        {
            writer.WriteString("id", value.Id);
        }

        foreach (var (name, field) in value.Fields)
        {
            switch (field)
            {
                case null:
                    writer.WriteNull(name);
                    break;
                case bool flag:
                    writer.WriteBoolean(name, flag);
                    break;
                default:
                    writer.WriteString(name, (string)field);
                    break;
            }
        }

        writer.WriteEndObject();
    }
}
