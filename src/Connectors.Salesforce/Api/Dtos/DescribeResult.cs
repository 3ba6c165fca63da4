using System.Text.Json.Serialization;

namespace Concord.Connectors.Salesforce.Api.Dtos;

/// <summary><c>GET /sobjects/{type}/describe</c>, the part the connector reads: the object's fields.</summary>
internal sealed class DescribeResult
{
    [JsonPropertyName("name")]
    public string? Name { get; set; }

    [JsonPropertyName("fields")]
    public List<DescribeField> Fields { get; set; } = [];
}

/// <summary>One field of a describe: its API name as the org spells it, its type and whether it can be written.</summary>
internal sealed class DescribeField
{
    [JsonPropertyName("name")]
    public string? Name { get; set; }

    [JsonPropertyName("type")]
    public string? Type { get; set; }

    [JsonPropertyName("updateable")]
    public bool Updateable { get; set; }

    [JsonPropertyName("externalId")]
    public bool ExternalId { get; set; }
}
