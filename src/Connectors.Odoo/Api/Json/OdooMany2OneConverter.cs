using System.Text.Json;
using System.Text.Json.Serialization;

namespace Concord.Connectors.Odoo.Api.Json;

/// <summary>Reads a many2one: <c>[id, "display name"]</c>, a bare id (<c>load: null</c>) or <c>false</c>.</summary>
internal sealed class OdooMany2OneConverter : JsonConverter<long?>
{
    public override bool HandleNull => true;

    public override long? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        switch (reader.TokenType)
        {
            case JsonTokenType.False:
            case JsonTokenType.Null:
                return null;
            case JsonTokenType.Number:
                return reader.GetInt64();
            case JsonTokenType.StartArray:
                long? id = null;
                while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
                {
                    if (id is null && reader.TokenType == JsonTokenType.Number)
                    {
                        id = reader.GetInt64();
                    }
                    else
                    {
                        reader.Skip();
                    }
                }

                return id;
            default:
                throw new JsonException($"Expected a many2one ([id, name], id or false), got {reader.TokenType}.");
        }
    }

    public override void Write(Utf8JsonWriter writer, long? value, JsonSerializerOptions options)
    {
        if (value is long id)
        {
            writer.WriteNumberValue(id);
        }
        else
        {
            writer.WriteBooleanValue(false);
        }
    }
}
