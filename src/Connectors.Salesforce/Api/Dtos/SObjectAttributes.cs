using System.Text.Json.Serialization;

namespace Concord.Connectors.Salesforce.Api.Dtos;

/// <summary>The <c>attributes</c> member of every record: its type, and its URL on reads.</summary>
internal sealed class SObjectAttributes
{
    [JsonPropertyName("type")]
    public string? Type { get; set; }

    [JsonPropertyName("url")]
    public string? Url { get; set; }
}
