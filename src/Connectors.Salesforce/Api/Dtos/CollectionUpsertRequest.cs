using System.Text.Json.Serialization;

namespace Concord.Connectors.Salesforce.Api.Dtos;

/// <summary>The body of <c>PATCH /composite/sobjects/{type}/{field}</c>.</summary>
internal sealed class CollectionUpsertRequest<TRecord>
{
    [JsonPropertyName("allOrNone")]
    public bool AllOrNone { get; set; }

    [JsonPropertyName("records")]
    public required IReadOnlyList<TRecord> Records { get; set; }
}
