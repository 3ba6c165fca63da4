using System.Text.Json;
using System.Text.Json.Serialization;

namespace Concord.Connectors.Odoo.Api.Dtos;

/// <summary>A JSON-2 body: the method's named parameters, plus <c>ids</c> for record methods and <c>context</c>.</summary>
[JsonConverter(typeof(Json2RequestConverter))]
internal sealed class Json2Request
{
    public IReadOnlyList<long>? Ids { get; init; }

    public required IReadOnlyList<OdooArgument> Arguments { get; init; }

    public required OdooContext Context { get; init; }
}

internal sealed class Json2RequestConverter : JsonConverter<Json2Request>
{
    public override Json2Request Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        throw new NotSupportedException("JSON-2 requests are only written.");

    public override void Write(Utf8JsonWriter writer, Json2Request value, JsonSerializerOptions options)
    {
        writer.WriteStartObject();
        if (value.Ids is { } ids)
        {
            writer.WriteStartArray("ids");
            foreach (var id in ids)
            {
                writer.WriteNumberValue(id);
            }

            writer.WriteEndArray();
        }

        foreach (var argument in value.Arguments)
        {
            writer.WritePropertyName(argument.Name);
            argument.WriteValue(writer);
        }

        writer.WritePropertyName("context");
        value.Context.WriteTo(writer);
        writer.WriteEndObject();
    }
}
