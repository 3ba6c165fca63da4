using System.Text.Json;
using System.Text.Json.Serialization;

namespace Concord.Connectors.Odoo.Api.Dtos;

/// <summary>A JSON-RPC answer: <c>result</c>, or <c>error</c> (with HTTP 200: Odoo never uses the status for RPC errors).</summary>
internal sealed class JsonRpcResponse
{
    [JsonPropertyName("result")]
    public JsonElement Result { get; init; }

    [JsonPropertyName("error")]
    public JsonRpcError? Error { get; init; }
}

/// <summary>The <c>error</c> member. <c>code</c> is read for diagnostics only: it is 200 up to 18.0 and 0 from 19.0.</summary>
internal sealed class JsonRpcError
{
    [JsonPropertyName("code")]
    public int Code { get; init; }

    [JsonPropertyName("message")]
    public string? Message { get; init; }

    [JsonPropertyName("data")]
    public OdooErrorData? Data { get; init; }
}

/// <summary>
/// Odoo's serialized exception (JSON-RPC <c>error.data</c>, JSON-2 error body). <c>debug</c> (the Python traceback) is
/// deliberately not mapped, so it can never reach a log or a message.
/// </summary>
internal sealed class OdooErrorData
{
    [JsonPropertyName("name")]
    public string? Name { get; init; }

    [JsonPropertyName("message")]
    public string? Message { get; init; }
}
