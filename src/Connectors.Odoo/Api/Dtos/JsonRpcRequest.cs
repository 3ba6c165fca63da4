using System.Text.Json;
using System.Text.Json.Serialization;

namespace Concord.Connectors.Odoo.Api.Dtos;

/// <summary>
/// A JSON-RPC 2.0 call to <c>/jsonrpc</c>: <c>{"jsonrpc":"2.0","method":"call","id":n,"params":{service, method, args}}</c>.
/// The arguments are written by <see cref="JsonRpcRequestConverter"/> without reflection.
/// </summary>
[JsonConverter(typeof(JsonRpcRequestConverter))]
internal sealed class JsonRpcRequest
{
    public required long Id { get; init; }

    public required string Service { get; init; }

    public required string Method { get; init; }

    /// <summary>Writes the <c>args</c> array's items.</summary>
    public required Action<Utf8JsonWriter> WriteArgs { get; init; }
}

internal sealed class JsonRpcRequestConverter : JsonConverter<JsonRpcRequest>
{
    public override JsonRpcRequest Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        throw new NotSupportedException("JSON-RPC requests are only written.");

    public override void Write(Utf8JsonWriter writer, JsonRpcRequest value, JsonSerializerOptions options)
    {
        writer.WriteStartObject();
        writer.WriteString("jsonrpc", "2.0");
        writer.WriteString("method", "call");
        writer.WriteNumber("id", value.Id);
        writer.WriteStartObject("params");
        writer.WriteString("service", value.Service);
        writer.WriteString("method", value.Method);
        writer.WriteStartArray("args");
        value.WriteArgs(writer);
        writer.WriteEndArray();
        writer.WriteEndObject();
        writer.WriteEndObject();
    }
}
