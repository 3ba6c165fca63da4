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
