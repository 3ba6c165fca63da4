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

    /// <summary>The matches of a duplicate rule, under the key real responses spell <c>duplicateResut</c>.</summary>
    [JsonPropertyName("duplicateResut")]
    public DuplicateResult? DuplicateResut { get; set; }

    /// <summary>The same, correctly spelt, should Salesforce ever fix it.</summary>
    [JsonPropertyName("duplicateResult")]
    public DuplicateResult? DuplicateResult { get; set; }
}

/// <summary>An OAuth error: <c>{"error":"invalid_grant","error_description":"…"}</c>.</summary>
internal sealed class OAuthError
{
    [JsonPropertyName("error")]
    public string? Error { get; set; }

    [JsonPropertyName("error_description")]
    public string? Description { get; set; }
}
