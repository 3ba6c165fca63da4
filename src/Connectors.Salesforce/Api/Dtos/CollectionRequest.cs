using System.Text.Json.Serialization;

namespace Concord.Connectors.Salesforce.Api.Dtos;

/// <summary>
/// The body of an sObject Collections write: <c>PATCH /composite/sobjects/{type}/{field}</c> (upsert by external id) or
/// <c>PATCH /composite/sobjects</c> (update by id). Each record carries <c>attributes.type</c>, and its external-id value
/// or its <c>id</c>.
/// </summary>
internal sealed class CollectionRequest
{
    [JsonPropertyName("allOrNone")]
    public bool AllOrNone { get; set; }

    [JsonPropertyName("records")]
    public required IReadOnlyList<SObjectBody> Records { get; set; }
}
