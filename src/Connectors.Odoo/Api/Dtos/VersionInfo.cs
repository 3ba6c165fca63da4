using System.Text.Json;
using System.Text.Json.Serialization;

namespace Concord.Connectors.Odoo.Api.Dtos;

/// <summary>JSON-RPC <c>common.version</c>: <c>{server_version, server_version_info, server_serie, protocol_version}</c>.</summary>
internal sealed class RpcVersionInfo
{
    [JsonPropertyName("server_version")]
    public string? ServerVersion { get; init; }

    [JsonPropertyName("server_version_info")]
    public JsonElement[]? ServerVersionInfo { get; init; }
}

/// <summary><c>GET /web/version</c> (19+): <c>{"version_info": [19,0,0,"final",0,""], "version": "19.0"}</c>.</summary>
internal sealed class WebVersionInfo
{
    [JsonPropertyName("version")]
    public string? Version { get; init; }

    [JsonPropertyName("version_info")]
    public JsonElement[]? VersionInfo { get; init; }
}

/// <summary>
/// The JSON-RPC call of the web client's own version route, <c>POST /web/webclient/version_info</c>, which every
/// supported version serves without authentication (16–18 as a <c>json</c> route, 19+ as <c>jsonrpc</c>):
/// <c>{"jsonrpc":"2.0","method":"call","id":n,"params":{}}</c>.
/// </summary>
internal sealed class WebClientVersionRequest
{
    [JsonPropertyName("jsonrpc")]
    public string JsonRpc { get; } = "2.0";

    [JsonPropertyName("method")]
    public string Method { get; } = "call";

    [JsonPropertyName("id")]
    public required long Id { get; init; }

    [JsonPropertyName("params")]
    public NoParameters Params { get; } = new();
}

/// <summary>An empty <c>params</c> object.</summary>
internal sealed class NoParameters;
