using System.Text.Json.Serialization;

namespace Concord.Connectors.Salesforce.Api.Dtos;

/// <summary>One upsert result: <c>{"id":"001…","success":true,"errors":[],"created":true}</c>.</summary>
internal sealed class SaveResult
{
    [JsonPropertyName("id")]
    public string? Id { get; set; }

    [JsonPropertyName("success")]
    public bool Success { get; set; }

    [JsonPropertyName("created")]
    public bool? Created { get; set; }

    [JsonPropertyName("errors")]
    public List<SaveError>? Errors { get; set; }
}

/// <summary>A per-record error of a collections call (<c>statusCode</c>, not <c>errorCode</c>).</summary>
internal sealed class SaveError
{
    [JsonPropertyName("statusCode")]
    public string? StatusCode { get; set; }

    [JsonPropertyName("message")]
    public string? Message { get; set; }

    [JsonPropertyName("fields")]
    public List<string>? Fields { get; set; }

    /// <summary>The matches of a duplicate rule, under the key real responses spell <c>duplicateResut</c>.</summary>
    [JsonPropertyName("duplicateResut")]
    public DuplicateResult? DuplicateResut { get; set; }

    /// <summary>The same, correctly spelt, should Salesforce ever fix it.</summary>
    [JsonPropertyName("duplicateResult")]
    public DuplicateResult? DuplicateResult { get; set; }
}
