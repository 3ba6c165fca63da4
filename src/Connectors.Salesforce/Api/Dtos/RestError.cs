using System.Text.Json.Serialization;

namespace Concord.Connectors.Salesforce.Api.Dtos;

/// <summary>One element of the REST error array: <c>[{"message":"…","errorCode":"…","fields":["…"]}]</c>.</summary>
internal sealed class RestError
{
    [JsonPropertyName("message")]
    public string? Message { get; set; }

    [JsonPropertyName("errorCode")]
    public string? ErrorCode { get; set; }

    [JsonPropertyName("fields")]
    public List<string>? Fields { get; set; }
}

/// <summary>An OAuth error: <c>{"error":"invalid_grant","error_description":"…"}</c>.</summary>
internal sealed class OAuthError
{
    [JsonPropertyName("error")]
    public string? Error { get; set; }

    [JsonPropertyName("error_description")]
    public string? Description { get; set; }
}
